package dev.spor.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.config.ConfigLoader;
import dev.spor.config.SiteConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The page of a reported URL: the quick reading of the usual URL must always agree with {@link java.net.URI}'s. */
class PageContextTest {
    private static SiteConfig site;

    @BeforeAll
    static void load() throws Exception {
        String json = """
                { "sites": [ { "key": "shop", "domains": ["example.org", "www.example.org", "1.example.org"],
                  "cookieDomain": "example.org", "hosts": ["t.example.org"],
                  "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }""";
        site = ConfigLoader.parse("test", json.getBytes(StandardCharsets.UTF_8)).sites().get(0);
    }

    @Test
    void of_usualUrls_hostAndRawPath() {
        assertThat(PageContext.of(site, "https://www.example.org/products/7?utm_source=x#top"))
                .contains(new PageContext("https://www.example.org/products/7?utm_source=x#top", "www.example.org", "/products/7"));
        assertThat(PageContext.of(site, "http://example.org")).map(PageContext::path).contains("/");
        assertThat(PageContext.of(site, "https://example.org?q=1")).map(PageContext::path).contains("/");
        assertThat(PageContext.of(site, "https://example.org/a%20b/c")).map(PageContext::path).contains("/a%20b/c");
        assertThat(PageContext.of(site, "HTTPS://WWW.Example.org/x")).map(PageContext::host).contains("www.example.org");
    }

    @Test
    void of_foreignOrBrokenUrls_empty() {
        for (String url : List.of("https://evil.test/", "https://www.example.org.evil.test/", "https://www.example.org@evil.test/",
                "https://evil.test/@www.example.org", "ftp://www.example.org/", "//www.example.org/", "https://www.example.org/a b",
                "https://www.example.org/%zz", "https://www.example.org/#a#b", "javascript:alert(1)", "", "https:///x")) {
            assertThat(PageContext.of(site, url)).as(url).isEmpty();
        }
        assertThat(PageContext.of(site, "https://www.example.org/" + "a".repeat(PageContext.MAX_URL))).isEmpty();
    }

    @Test
    void of_anyUrl_agreesWithUri() {
        List<String> urls = new ArrayList<>(List.of("https://www.example.org:443/x", "https://user@www.example.org/",
                "https://www.example.org./", "https://www.example.org/[x]", "https://www.example.org/?a=[1]",
                "https://www.example.org/ü", "https://www.example.org/%", "https://www.example.org/%4", "http://1.example.org/",
                "https://www.example.org/?#?", "https://www.example.org#", "https://www.example.org/\\", "http://example.org/|"));
        // random URLs from the characters that matter to a parser, on the site's hosts and beside them
        String chars = "aZ09-._~!$&'()*+,;=:@/?#%[]\\ |\"<>{}^`ü\t";
        String[] prefixes = {"https://www.example.org", "http://example.org", "https://1.example.org", "https://evil.test",
            "https://www.example.org:8443", "HTTP://example.org", "https://www.example.org@evil.test"};
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder url = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
            for (int n = random.nextInt(12); n > 0; n--) {
                char c = chars.charAt(random.nextInt(chars.length()));
                url.append(c == '%' && random.nextBoolean() ? "%" + Integer.toHexString(16 + random.nextInt(240)) : String.valueOf(c));
            }
            urls.add(url.toString());
        }
        int agreedPages = 0;
        for (String url : urls) {
            Optional<PageContext> quick = PageContext.of(site, url);
            assertThat(quick).as(url).isEqualTo(PageContext.parsed(site, url));
            agreedPages += quick.isPresent() ? 1 : 0;
        }
        assertThat(agreedPages).as("the random URLs include pages of the site").isGreaterThan(1_000);
    }
}
