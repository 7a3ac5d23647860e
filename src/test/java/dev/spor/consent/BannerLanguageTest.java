package dev.spor.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.config.ConfigLoader;
import dev.spor.config.SiteConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BannerLanguageTest {
    private static SiteConfig site;

    @BeforeAll
    static void load() throws Exception {
        String json = """
                { "sites": [ { "key": "shop", "domains": ["example.org"], "cookieDomain": "example.org",
                  "hosts": ["t.example.org"],
                  "texts": {
                    "en": { "title": "Cookies?", "privacyUrl": "/privacy" },
                    "de": { "title": "Kekse?", "acceptAll": "Alle akzeptieren" },
                    "pt-BR": { "title": "Biscoitos?" } },
                  "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }""";
        site = ConfigLoader.parse("test", json.getBytes(StandardCharsets.UTF_8)).sites().get(0);
    }

    private static BannerLanguage.Chosen choose(String pageLang, String acceptLanguage) {
        return BannerLanguage.choose(site, site.policies().get(0), pageLang, acceptLanguage);
    }

    @Test
    void choose_pageLangFirst_missingTextsFromFallback() {
        BannerLanguage.Chosen de = choose("de-AT", "fr");

        assertThat(de.language()).isEqualTo("de");
        assertThat(de.texts().title()).isEqualTo("Kekse?");
        assertThat(de.texts().acceptAll()).isEqualTo("Alle akzeptieren");
        assertThat(de.texts().rejectAll()).as("from English").isEqualTo("Reject all");
        assertThat(de.texts().privacyUrl()).as("from the site's English texts").isEqualTo("/privacy");
    }

    @Test
    void choose_acceptLanguageByQuality_whenPageLangIsUnknown() {
        assertThat(choose("fr", "it;q=0.9, pt-BR;q=0.95, de;q=0.5").language()).isEqualTo("pt-BR");
        assertThat(choose(null, "sv, de;q=0.1").language()).isEqualTo("de");
    }

    @Test
    void choose_nothingKnown_fallbackLanguage() {
        BannerLanguage.Chosen chosen = choose("<script>", "xx;q=abc, *");

        assertThat(chosen.language()).isEqualTo("en");
        assertThat(chosen.texts().title()).isEqualTo("Cookies?");
    }
}
