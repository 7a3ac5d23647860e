package dev.spor.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveConfigTest {
    private static final String ONE_SITE = """
            { "sites": [ { "key": "%s", "domains": ["example.org"], "cookieDomain": "example.org",
              "hosts": ["t.example.org"], "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }""";

    @Test
    void reload_validEdit_swapsInTheNewSnapshot(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spor.json");
        Files.writeString(file, ONE_SITE.formatted("first"));
        try (LiveConfig live = LiveConfig.watching(file)) {
            ConfigSnapshot before = live.get();

            Files.writeString(file, ONE_SITE.formatted("second"));
            assertThat(live.reload()).isTrue();

            assertThat(live.get()).isNotSameAs(before);
            assertThat(live.get().sites().get(0).key()).isEqualTo("second");
            assertThat(live.lastReloadFailure()).isEmpty();
        }
    }

    @Test
    void reload_brokenEdit_keepsTheOldConfigAndSaysWhy(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spor.json");
        Files.writeString(file, ONE_SITE.formatted("first"));
        try (LiveConfig live = LiveConfig.watching(file)) {
            ConfigSnapshot before = live.get();

            Files.writeString(file, ONE_SITE.formatted("Not A Key"));
            assertThat(live.reload()).isFalse();

            assertThat(live.get()).isSameAs(before);
            assertThat(live.lastReloadFailure()).get()
                    .extracting(e -> e.errors().get(0).path()).isEqualTo("sites[0].key");
        }
    }

    @Test
    void watcher_fileReplacedOnDisk_isAppliedWithoutACall(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spor.json");
        Files.writeString(file, ONE_SITE.formatted("first"));
        try (LiveConfig live = LiveConfig.watching(file)) {
            // as editors do: write a temporary file, then move it over the original
            Path temp = dir.resolve("spor.json.tmp");
            Files.writeString(temp, ONE_SITE.formatted("edited"));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            assertThat(eventually(() -> live.get().sites().get(0).key().equals("edited"), Duration.ofSeconds(10)))
                    .as("the watcher applied the edited file").isTrue();

            Files.writeString(file, "{ broken");
            assertThat(eventually(() -> live.lastReloadFailure().isPresent(), Duration.ofSeconds(10)))
                    .as("the watcher saw the broken edit").isTrue();
            assertThat(live.get().sites().get(0).key()).isEqualTo("edited");
        }
    }

    @Test
    void watching_invalidFileAtStart_fails(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spor.json");
        Files.writeString(file, "{ \"sites\": [] }");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LiveConfig.watching(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sites: at least one site is required");
    }

    private static boolean eventually(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(25);
        }
        return condition.getAsBoolean();
    }
}
