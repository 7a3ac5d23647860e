package dev.spor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.server.SporSettings;
import dev.spor.testing.Http;
import dev.spor.testing.HttpVisitor;
import dev.spor.testing.RunningSpor;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} over real HTTP after real traffic: the bearer key, and the named series. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsHttpTest {
    private static final String KEY = "metrics-test-key";
    private static final String SITE = "https://www.example.org";

    @TempDir
    static Path dir;
    RunningSpor spor;

    @BeforeAll
    void start() throws Exception {
        Path file = dir.resolve("spor.json");
        Files.writeString(file, """
                { "sites": [ { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org",
                  "hosts": ["t.example.org"], "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }
                """);
        spor = RunningSpor.start(new SporSettings(file, dir.resolve("data"), null, null, null, KEY));
    }

    @AfterAll
    void stop() throws Exception {
        spor.close();
    }

    @Test
    void metrics_withoutOrWithAWrongKey_is401() throws Exception {
        assertThat(Http.get(spor.port(), "/metrics", null).statusCode()).isEqualTo(401);
        HttpResponse<byte[]> wrong = Http.get(spor.port(), "/metrics", null, "Authorization", "Bearer nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void metrics_afterTraffic_hasRequestsBeaconsBatchesConsentAndCacheSeries() throws Exception {
        HttpVisitor browser = new HttpVisitor(spor.port(), "t.example.org", SITE, "/s/shop");
        assertThat(browser.accept(SITE + "/", "metrics-accept-1").statusCode()).isEqualTo(200);
        assertThat(browser.pageView(SITE + "/pricing", "metrics-view-01", null).statusCode()).isEqualTo(204);
        assertThat(new HttpVisitor(spor.port(), "t.example.org", SITE, "/s/shop").post("/state",
                "{\"action\":\"reject-all\",\"url\":\"" + SITE + "/\"}").statusCode()).isEqualTo(200);
        assertThat(Http.get(spor.port(), "/api/v1/nothing", null).statusCode()).isEqualTo(401);

        HttpResponse<byte[]> answer = Http.get(spor.port(), "/metrics", null, "Authorization", "Bearer " + KEY);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String text = new String(answer.body(), StandardCharsets.UTF_8);
        assertThat(value(text, "spor_http_requests_total{status=\"2xx\"}")).isGreaterThanOrEqualTo(3);
        assertThat(value(text, "spor_http_requests_total{status=\"4xx\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "spor_beacons_stored_total")).isEqualTo(1);
        assertThat(value(text, "spor_collection_batch_size_beacons_count")).isEqualTo(1);
        assertThat(value(text, "spor_collection_batch_commit_seconds_count")).isEqualTo(1);
        assertThat(value(text, "spor_collection_queue_depth")).isZero();
        assertThat(value(text, "spor_consent_decisions_total{action=\"accept-all\"}")).isEqualTo(1);
        assertThat(value(text, "spor_consent_decisions_total{action=\"reject-all\"}")).isEqualTo(1);
        assertThat(value(text, "spor_consent_decisions_total{action=\"gpc\"}")).isZero();
        assertThat(text).contains("cache_gets_total{cache=\"consent-policy-answers\",result=\"miss\"}")
                .contains("cache_gets_total{cache=\"consent-path-patterns\",result=\"hit\"}")
                .contains("jvm_memory_used_bytes");
    }

    /** The value of one series line, such as {@code spor_beacons_stored_total 3.0}. */
    static double value(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no series " + series + " in\n" + text));
    }
}
