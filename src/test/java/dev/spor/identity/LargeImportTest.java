package dev.spor.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spor.server.SporSettings;
import dev.spor.testing.RunningSpor;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 100,000-row CSV import over real HTTP, streamed from a generator, with 1 % bad rows. */
class LargeImportTest {
    private static final int ROWS = 100_000;

    @TempDir
    Path dir;

    /** Rows generated as they are read: the test holds no file either. */
    static InputStream csv(int rows, List<Long> badLines) {
        Enumeration<InputStream> parts = new Enumeration<>() {
            int row = -1;

            @Override
            public boolean hasMoreElements() {
                return row < rows;
            }

            @Override
            public InputStream nextElement() {
                String line;
                if (row < 0) {
                    line = "email,name,plan\n";
                } else if (row % 100 == 42) {
                    line = "broken-" + row + "-at-nowhere,Bad Row,free\n";
                    badLines.add((long) row + 2);
                } else {
                    line = "person" + row + "@example.com,Person " + row + ",team\n";
                }
                row++;
                return new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8));
            }
        };
        return new SequenceInputStream(parts);
    }

    @Test
    void import_100kRowsWithOnePercentBad_reportsExactlyThoseLines() throws Exception {
        Path config = dir.resolve("spor.json");
        Files.writeString(config, IdentityContract.config());
        try (RunningSpor spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"), null, null, null, "k"))) {
            List<Long> bad = new ArrayList<>();
            HttpRequest request = HttpRequest.newBuilder(URI.create(spor.url("/api/v1/contacts/import?site=shop")))
                    .timeout(Duration.ofMinutes(5)).header("Authorization", "Bearer k").header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> csv(ROWS, bad))).build();
            long started = System.nanoTime();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("import of %,d rows: %,d ms (%,d rows/s)%n", ROWS, millis, ROWS * 1000L / Math.max(1, millis));

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode report = new ObjectMapper().readTree(answer.body());
            assertThat(bad).hasSize(ROWS / 100);
            assertThat(report.path("rows").asLong()).isEqualTo(ROWS);
            assertThat(report.path("created").asLong()).isEqualTo(ROWS - bad.size());
            assertThat(report.path("rejectedCount").asLong()).isEqualTo(bad.size());
            List<Long> reported = new ArrayList<>();
            report.path("rejected").forEach(r -> reported.add(r.path("line").asLong()));
            assertThat(reported).isEqualTo(bad);
            assertThat(report.path("rejected").path(0).path("reason").asText()).isEqualTo("email must be one name, an @ and a domain");
            assertThat(spor.app().identity().contacts().count("shop")).isEqualTo(ROWS - bad.size());
        }
    }
}
