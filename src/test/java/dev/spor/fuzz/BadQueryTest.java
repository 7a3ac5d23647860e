package dev.spor.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.testing.Http;
import dev.spor.testing.RunningSpor;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression (found by {@link InputFuzzTest}): a query string that is not percent-encoded UTF-8 was a 500. */
class BadQueryTest {
    @TempDir
    Path dir;

    @Test
    void queryNotUtf8_is400WithAReason_onTheApiAndTheConsentEndpoint() throws Exception {
        try (RunningSpor spor = RunningSpor.demo(dir)) {
            HttpResponse<byte[]> api = Http.get(spor.port(), "/api/v1/contacts?site=%C3%28", null,
                    "Authorization", "Bearer test-admin-key");
            HttpResponse<byte[]> state = Http.get(spor.port(), "/sa/s/demo/state?url=%FF", "localhost");
            HttpResponse<byte[]> fine = Http.get(spor.port(), "/sa/s/demo/state?url=http%3A%2F%2Flocalhost%2Fdemo%2F%C3%A6",
                    "localhost");

            for (HttpResponse<byte[]> answer : java.util.List.of(api, state)) {
                assertThat(answer.statusCode()).isEqualTo(400);
                assertThat(new String(answer.body(), StandardCharsets.UTF_8))
                        .isEqualTo("{\"error\":\"the query string is not valid: percent-encoded UTF-8 expected\"}");
            }
            assertThat(fine.statusCode()).isEqualTo(200);
        }
    }
}
