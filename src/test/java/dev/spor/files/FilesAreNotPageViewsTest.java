package dev.spor.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.server.SporSettings;
import dev.spor.testing.RunningSpor;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §1.5: fetching a hosted file adds nothing to what Spor stores, even for a consenting
 * visitor on a site whose pages are counted server-side (where the same visitor's HTML page is).
 */
class FilesAreNotPageViewsTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String CONFIG = """
            { "sites": [ { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org",
              "hosts": ["www.example.org/_sp"], "serverSidePageViews": true,
              "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }""";

    @TempDir
    Path dir;

    private final List<String> cookies = new ArrayList<>();

    private HttpResponse<byte[]> send(RunningSpor spor, String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + spor.port() + path))
                .timeout(Duration.ofSeconds(10)).header("Host", "www.example.org").header("Origin", "https://www.example.org")
                .header("User-Agent", "Mozilla/5.0 Firefox/140.0")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (!cookies.isEmpty()) {
            request.header("Cookie", String.join("; ", cookies));
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().allValues("Set-Cookie").forEach(c -> cookies.add(c.split(";", 2)[0]));
        return response;
    }

    private static Map<String, Long> rowCounts(RunningSpor spor) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = spor.app().database().dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("page_views", "visitors", "consent_log")) {
                try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    r.next();
                    counts.put(table, r.getLong(1));
                }
            }
        }
        return counts;
    }

    /** Page views are written in the background: waits until {@code expected} are stored. */
    private static void awaitPageViews(RunningSpor spor, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (rowCounts(spor).get("page_views") < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(rowCounts(spor).get("page_views")).as("page views stored").isEqualTo(expected);
    }

    @Test
    void fetchingFiles_consentingVisitorCountedServerSide_storesNothing() throws Exception {
        Path config = dir.resolve("spor.json");
        Files.writeString(config, CONFIG);
        try (RunningSpor spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"), null, null, null, "k"))) {
            spor.app().files().put("price-list.pdf", null, new ByteArrayInputStream("%PDF-1.4 test".getBytes()), 1000);
            assertThat(send(spor, "POST", "/_sp/s/shop/state", """
                    {"action":"accept-all","url":"https://www.example.org/","eventId":"evt-files-accept-1"}""").statusCode())
                    .isEqualTo(200);
            assertThat(cookies).anyMatch(c -> c.startsWith("spor_id_shop="));
            awaitPageViews(spor, 1);
            assertThat(send(spor, "GET", "/demo/index.html", null).statusCode()).isEqualTo(200);
            awaitPageViews(spor, 2);
            Map<String, Long> before = rowCounts(spor);

            assertThat(send(spor, "GET", "/files/price-list.pdf", null).statusCode()).isEqualTo(200);
            assertThat(send(spor, "GET", "/files/price-list.pdf?utm_source=mail", null, "Range", "bytes=0-3").statusCode())
                    .isEqualTo(206);
            assertThat(send(spor, "HEAD", "/files/price-list.pdf", null).statusCode()).isEqualTo(200);
            assertThat(send(spor, "GET", "/files/missing.pdf", null).statusCode()).isEqualTo(404);
            // a page fetched after the files is stored after anything they could have queued
            assertThat(send(spor, "GET", "/demo/pricing.html", null).statusCode()).isEqualTo(200);
            awaitPageViews(spor, 3);

            before.merge("page_views", 1L, Long::sum);
            assertThat(rowCounts(spor)).isEqualTo(before);
            assertThat(pathsStored(spor)).containsExactly("/", "/demo/index.html", "/demo/pricing.html");
        }
    }

    private static List<String> pathsStored(RunningSpor spor) throws Exception {
        List<String> paths = new ArrayList<>();
        try (Connection c = spor.app().database().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT path FROM page_views ORDER BY id")) {
            while (r.next()) {
                paths.add(r.getString(1));
            }
        }
        return paths;
    }
}
