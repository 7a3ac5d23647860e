package dev.spor.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConfigSnapshotTest {
    private static ConfigSnapshot snapshot;

    @BeforeAll
    static void load() throws Exception {
        snapshot = ConfigLoader.load(ConfigLoaderTest.resource("config/valid.json"));
    }

    @Test
    void resolve_hostAlias_findsSiteWhateverPortOrCase() {
        var match = snapshot.resolve("T.Example.org:8443", "/s/shop.js").orElseThrow();

        assertThat(match.site().key()).isEqualTo("shop");
        assertThat(match.path()).isEqualTo("/s/shop.js");
    }

    @Test
    void resolve_pathPrefixAlias_stripsThePrefix() {
        var match = snapshot.resolve("www.example.org", "/_sp/s/shop.js").orElseThrow();

        assertThat(match.alias()).isEqualTo(new HostAlias("www.example.org", "/_sp"));
        assertThat(match.path()).isEqualTo("/s/shop.js");
    }

    @Test
    void resolve_prefixMustEndAtASegment() {
        assertThat(snapshot.resolve("www.example.org", "/_spx/s/shop.js")).isEmpty();
        assertThat(snapshot.resolve("www.example.org", "/s/shop.js")).isEmpty();
    }

    @Test
    void resolve_unknownHost_isEmpty() {
        assertThat(snapshot.resolve("evil.example.com", "/s/shop.js")).isEmpty();
        assertThat(snapshot.resolve(null, "/s/shop.js")).isEmpty();
        assertThat(snapshot.resolve("", "/s/shop.js")).isEmpty();
    }

    @Test
    void hostOnly_stripsPortAndTrailingDot() {
        assertThat(ConfigSnapshot.hostOnly("A.Example.org.:80")).isEqualTo("a.example.org");
        assertThat(ConfigSnapshot.hostOnly("[::1]:8080")).isEqualTo("[::1]");
    }
}
