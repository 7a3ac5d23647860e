package dev.spor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.server.SporSettings;
import dev.spor.testing.Http;
import dev.spor.testing.RunningSpor;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HSTS once the visitor came over HTTPS (as a trusted proxy says), never over plain HTTP; strict headers on API and console. */
class SecurityHeadersTest {
    @TempDir
    Path dir;

    @Test
    void https_throughTrustedProxy_getsHsts_plainHttpDoesNot_apiAndConsoleStrict() throws Exception {
        Path config = Files.writeString(dir.resolve("spor.json"), """
                { "country": { "trustedProxies": ["127.0.0.1", "::1"] },
                  "sites": [ { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org",
                    "hosts": ["t.example.org"], "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }""");
        try (RunningSpor spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"), null, null, null, "k"))) {
            HttpResponse<byte[]> secure = Http.get(spor.port(), "/s/shop.js", "t.example.org", "X-Forwarded-Proto", "https");
            HttpResponse<byte[]> plain = Http.get(spor.port(), "/s/shop.js", "t.example.org");
            HttpResponse<byte[]> api = Http.get(spor.port(), "/api/v1/sites", null, "Authorization", "Bearer k",
                    "X-Forwarded-Proto", "https");
            HttpResponse<byte[]> console = Http.get(spor.port(), "/console/", null);

            assertThat(secure.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
            assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
            assertThat(api.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
            assertThat(api.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(console.headers().firstValue("Content-Security-Policy").orElse(""))
                    .contains("default-src 'self'").doesNotContain("unsafe-inline");
            assertThat(console.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
    }
}
