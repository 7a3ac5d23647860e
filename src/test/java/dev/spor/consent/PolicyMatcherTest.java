package dev.spor.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.config.ConfigLoader;
import dev.spor.config.SiteConfig;
import dev.spor.country.Location;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PolicyMatcherTest {
    private static SiteConfig site;

    @BeforeAll
    static void load() throws Exception {
        String json = """
                { "sites": [ { "key": "shop", "domains": ["example.org", "shop.example.org", "blog.example.org"],
                  "cookieDomain": "example.org", "hosts": ["t.example.org"],
                  "policies": [
                    { "id": "privacy", "mode": "none", "match": { "paths": ["/privacy", "/legal/**"] } },
                    { "id": "blog", "mode": "notify", "match": { "domains": ["blog.example.org"] } },
                    { "id": "california", "mode": "opt-out", "match": { "countries": ["US-CA"] } },
                    { "id": "eea", "mode": "opt-in", "match": { "countries": ["EEA", "GB"] } },
                    { "id": "shop-us", "mode": "opt-out", "match": { "domains": ["*.example.org"], "countries": ["US"] } },
                    { "id": "default", "mode": "opt-in" } ] } ] }""";
        site = ConfigLoader.parse("test", json.getBytes(StandardCharsets.UTF_8)).sites().get(0);
    }

    private static String pick(String host, String path, String country, String region) {
        return PolicyMatcher.policyFor(site, host, path, new Location(country, region)).id();
    }

    @Test
    void policyFor_firstMatchWins_inOrder() {
        assertThat(pick("blog.example.org", "/privacy", "SE", null)).isEqualTo("privacy");
        assertThat(pick("blog.example.org", "/post", "SE", null)).isEqualTo("blog");
        assertThat(pick("example.org", "/legal/terms", null, null)).isEqualTo("privacy");
    }

    @Test
    void policyFor_countryGroupsAndRegions() {
        assertThat(pick("example.org", "/", "SE", null)).isEqualTo("eea");
        assertThat(pick("example.org", "/", "NO", null)).as("EEA outside the EU").isEqualTo("eea");
        assertThat(pick("example.org", "/", "GB", null)).isEqualTo("eea");
        assertThat(pick("example.org", "/", "US", "US-CA")).isEqualTo("california");
        assertThat(pick("example.org", "/", "JP", null)).isEqualTo("default");
    }

    @Test
    void policyFor_wildcardDomainMatchesSubdomainsOnly_andAllConditionsMustHold() {
        assertThat(pick("shop.example.org", "/", "US", "US-NY")).isEqualTo("shop-us");
        assertThat(pick("example.org", "/", "US", "US-NY")).isEqualTo("default");
        assertThat(pick("shop.example.org", "/", "JP", null)).isEqualTo("default");
    }

    @Test
    void policyFor_unknownCountry_onlyPoliciesWithoutCountryCondition() {
        assertThat(pick("example.org", "/", null, null)).isEqualTo("default");
        assertThat(pick("example.org", "/privacy", null, null)).isEqualTo("privacy");
    }
}
