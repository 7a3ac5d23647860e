package dev.spor.tag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.config.ConfigLoader;
import dev.spor.config.SiteConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SnippetTest {
    private static final Pattern MARKED = Pattern.compile("<!-- spor-snippet -->(.*?)<!-- /spor-snippet -->");
    private final Snippet snippet = new Snippet(ScriptAssets.fromClasspath());

    @Test
    void html_demoSite_isWhatEveryDemoPageEmbeds() throws Exception {
        SiteConfig demo = ConfigLoader.loadDemo().site("demo").orElseThrow();
        String expected = snippet.html(demo);
        List<Path> pages;
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("spor.webRoot", "webapp"), "demo"))) {
            pages = files.filter(p -> p.toString().endsWith(".html")).toList();
        }

        assertThat(pages).hasSizeGreaterThanOrEqualTo(5);
        for (Path page : pages) {
            Matcher marked = MARKED.matcher(Files.readString(page));
            assertThat(marked.find()).as(page + " has the snippet markers").isTrue();
            assertThat(marked.group(1)).as(page + " embeds the current snippet").isEqualTo(expected);
        }
    }

    @Test
    void javascript_hostAliases_fitsThePasteBudget() {
        String js = snippet.javascript(List.of("https://t.example.org", "https://s.example.org"), "/s/shop.js");

        assertThat(js.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(500);
        assertThat(js).contains("[\"https://t.example.org\",\"https://s.example.org\"]").contains("\"/s/shop.js\"");
    }

    @Test
    void javascript_hostileBase_cannotCloseTheScriptElement() {
        String js = snippet.javascript(List.of("https://t.example.org/</script><script>alert(1)//"), "/s/x.js");

        assertThat(js).doesNotContain("</script>").doesNotContain("<script>").contains("\\u003c/script\\u003e");
    }
}
