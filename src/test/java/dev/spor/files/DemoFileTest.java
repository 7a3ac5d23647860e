package dev.spor.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.server.SporSettings;
import dev.spor.testing.RunningSpor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's price list: stored when the demo boots, never over the operator's file of that name. */
class DemoFileTest {
    @TempDir
    Path dir;

    @Test
    void demoBoot_operatorReplacedTheFile_restartKeepsTheOperatorsFile() throws Exception {
        byte[] operators = "%PDF-1.4 the operator's own price list".getBytes(StandardCharsets.US_ASCII);
        try (RunningSpor spor = RunningSpor.demo(dir.resolve("data"))) {
            assertThat(spor.app().files().get("price-list.pdf")).get().extracting(StoredFile::contentType)
                    .isEqualTo("application/pdf");
            spor.app().files().put("price-list.pdf", "application/pdf", new ByteArrayInputStream(operators), 1000);
        }

        try (RunningSpor spor = RunningSpor.demo(dir.resolve("data"))) {
            assertThat(spor.get("/files/price-list.pdf", null).body()).isEqualTo(operators);
        }
    }

    @Test
    void ownConfig_noDemoFileIsStored() throws Exception {
        Path config = dir.resolve("spor.json");
        Files.writeString(config, """
                { "sites": [ { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org",
                  "hosts": ["www.example.org/_sp"], "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }""");
        try (RunningSpor spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"), null, null, null, "k"))) {
            assertThat(spor.app().files().list()).isEmpty();
            assertThat(spor.get("/files/price-list.pdf", null).statusCode()).isEqualTo(404);
        }
    }
}
