package dev.spor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.server.SporSettings;
import dev.spor.testing.HttpVisitor;
import dev.spor.testing.RunningSpor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (seen in CI): a refused oversized body was answered 413 and the connection closed
 * while the client still sent, so the client's connection was reset and the answer lost. The
 * rest of such a body is now drained first: every one of many refusals arrives.
 */
class OversizedBodyTest {
    @TempDir
    Path dir;

    @Test
    void oversizedBodies_manyInARow_everyRefusalArrivesAs413() throws Exception {
        Path config = Files.writeString(dir.resolve("spor.json"), """
                { "limits": { "perAddressPerSecond": 1000000 },
                  "sites": [ { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org",
                    "hosts": ["t.example.org"], "policies": [ { "id": "default", "mode": "opt-in" } ],
                    "forms": [ { "id": "contact", "emailField": "email" } ] } ] }""");
        try (RunningSpor spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"), null, null, null, "k"))) {
            HttpVisitor browser = new HttpVisitor(spor.port(), "t.example.org", "https://www.example.org", "/s/shop");
            String big = "{\"x\":\"" + "a".repeat(200_000) + "\"}";
            int answered = 0;
            for (int i = 0; i < 60; i++) {
                for (String endpoint : new String[] {"/p", "/f", "/state"}) {
                    assertThat(browser.post(endpoint, big).statusCode()).isEqualTo(413);
                    answered++;
                }
            }
            assertThat(answered).isEqualTo(180);
        }
    }
}
