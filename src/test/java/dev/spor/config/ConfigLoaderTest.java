package dev.spor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    static Path resource(String name) throws URISyntaxException {
        return Path.of(ConfigLoaderTest.class.getClassLoader().getResource(name).toURI());
    }

    static Stream<String> invalidFixtures() throws Exception {
        try (Stream<Path> files = Files.list(resource("config/invalid"))) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json")).map(n -> n.substring(0, n.length() - 5)).sorted().toList();
            assertThat(names).hasSizeGreaterThan(30);
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFixtures")
    void load_fixtureWithOneMistake_failsWithExactlyItsMessage(String name) throws Exception {
        Path file = resource("config/invalid/" + name + ".json");
        String expected = Files.readString(resource("config/invalid/" + name + ".expected")).strip();

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(expected);
                    assertThat(e.source()).isEqualTo(file.toString());
                    assertThat(e.getMessage()).contains(file + ": " + expected);
                });
    }

    @Test
    void load_validFile_keepsEverySiteAndAppliesDefaults() throws Exception {
        ConfigSnapshot snapshot = ConfigLoader.load(resource("config/valid.json"));

        assertThat(snapshot.sites()).extracting(SiteConfig::key).containsExactly("shop", "blog");
        SiteConfig shop = snapshot.site("shop").orElseThrow();
        assertThat(shop.scriptPath()).isEqualTo("/s/shop.js");
        assertThat(shop.aliases()).containsExactly(
                new HostAlias("t.example.org", ""), new HostAlias("s.example.org", ""),
                new HostAlias("www.example.org", "/_sp"));
        assertThat(shop.policies()).extracting(PolicyConfig::id).containsExactly("privacy", "eu", "california", "default");
        assertThat(shop.policies().get(0).revision()).isEqualTo(1);
        assertThat(shop.policies().get(1).revision()).isEqualTo(3);
        assertThat(shop.forms().get(0).alwaysCreateNewContact()).isFalse();
        assertThat(shop.forms().get(1).alwaysCreateNewContact()).isTrue();
        assertThat(shop.identity().required()).isTrue();
        assertThat(shop.identity().toString()).doesNotContain("0123456789abcdef");
        assertThat(snapshot.site("blog").orElseThrow().scriptPath()).isEqualTo("/assets/site.js");
        assertThat(snapshot.site("blog").orElseThrow().name()).isEqualTo("blog");
    }

    @Test
    void load_demoConfig_isValid() throws Exception {
        ConfigSnapshot demo = ConfigLoader.loadDemo();

        assertThat(demo.sites()).extracting(SiteConfig::key).containsExactly("demo");
        assertThat(demo.sites().get(0).policies().get(demo.sites().get(0).policies().size() - 1).mode())
                .isEqualTo("opt-in");
    }

    @Test
    void parse_severalMistakes_reportsAllOfThemWithTheirPaths() {
        String json = """
                { "sites": [ {
                    "key": "Shop!", "domains": ["example.org"], "cookieDomain": "example.org",
                    "hosts": ["t.example.com"], "colour": "red",
                    "policies": [ { "id": "default", "mode": "sometimes", "categories": ["cookies"] } ]
                } ] }""";

        assertThatThrownBy(() -> ConfigLoader.parse("sites.json", json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
                        .extracting(ConfigError::path)
                        .containsExactly("sites[0].colour", "sites[0].key", "sites[0].hosts[0]",
                                "sites[0].policies[0].mode", "sites[0].policies[0].categories[0]"));
    }

    @Test
    void load_missingFile_namesTheFile() {
        Path missing = Path.of("/nonexistent/spor.json");

        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("/nonexistent/spor.json: file not found");
    }

    @Test
    void load_largerThanLimit_isRefusedWithoutParsing(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.json");
        Files.write(big, new byte[4 * 1024 * 1024 + 1]);

        assertThatThrownBy(() -> ConfigLoader.load(big)).hasMessageContaining("is larger than 4 MiB");
    }
}
