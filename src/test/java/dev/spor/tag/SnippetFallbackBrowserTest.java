package dev.spor.tag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.server.SporSettings;
import dev.spor.testing.Browser;
import dev.spor.testing.RunningSpor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The paste-in snippet in real headless Chromium: it loads the script from the first host
 * alias and falls back to the next when that fails; the demo pages load it too.
 */
class SnippetFallbackBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String LOADED = "window._spor && window._spor.base";
    private static final String CONFIG = """
            {"sites":[{"key":"fb","domains":["www.spor.test"],"cookieDomain":"spor.test",
              "hosts":["t.spor.test","s.spor.test"],
              "policies":[{"id":"default","mode":"opt-in"}]}]}
            """;

    private static Browser browser;

    @TempDir
    Path dataDir;
    @TempDir
    Path webRoot;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Browser.start();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void snippet_firstAliasUp_loadsFromFirstAlias() throws Exception {
        try (RunningSpor spor = startFallbackSite()) {
            String first = "http://t.spor.test:" + spor.port();
            String second = "http://s.spor.test:" + spor.port();

            openPageWithSnippet(spor, first, second);

            assertThat(browser.eval("window._spor.base")).isEqualTo(first);
        }
    }

    @Test
    void snippet_firstAliasDown_fallsBackToSecond() throws Exception {
        try (RunningSpor spor = startFallbackSite()) {
            String first = "http://t.spor.test:" + closedPort();
            String second = "http://s.spor.test:" + spor.port();

            openPageWithSnippet(spor, first, second);

            assertThat(browser.eval("window._spor.base")).isEqualTo(second);
        }
    }

    @Test
    void snippet_firstAliasUnknownHost_404_fallsBackToSecond() throws Exception {
        try (RunningSpor spor = startFallbackSite()) {
            String first = "http://x.spor.test:" + spor.port();
            String second = "http://s.spor.test:" + spor.port();
            assertThat(spor.get("/s/fb.js", "x.spor.test").statusCode()).as("script on a host that is no alias").isEqualTo(404);

            openPageWithSnippet(spor, first, second);

            assertThat(browser.eval("window._spor.base")).isEqualTo(second);
            HttpResponse<byte[]> fromT = spor.get("/s/fb.js", "t.spor.test");
            HttpResponse<byte[]> fromS = spor.get("/s/fb.js", "s.spor.test");
            assertThat(fromT.statusCode()).isEqualTo(200);
            assertThat(fromS.statusCode()).isEqualTo(200);
            assertThat(fromS.body()).as("script from s.spor.test vs t.spor.test").isEqualTo(fromT.body());
        }
    }

    @Test
    void demoPage_loadsScriptFromFirstPathAlias() throws Exception {
        try (RunningSpor spor = RunningSpor.demo(dataDir)) {
            browser.open(spor.url("/demo/"));
            browser.waitFor(LOADED, WAIT);

            assertThat(browser.eval("window._spor.base")).isEqualTo("/sa");
            assertThat(browser.eval("window._spor.site")).isEqualTo("demo");
            browser.waitFor("document.getElementById('spor-status').getAttribute('data-state') === 'loaded'", WAIT);
            assertThat(browser.driver().findElement(By.id("spor-status")).getText()).contains("/sa");
        }
    }

    private RunningSpor startFallbackSite() throws Exception {
        Path config = Files.writeString(dataDir.resolve("spor.json"), CONFIG);
        return RunningSpor.start(new SporSettings(config, dataDir, null, null, null, "test-admin-key"), webRoot);
    }

    /** Serves a page on the site's own domain with the snippet for the given bases, and opens it. */
    private void openPageWithSnippet(RunningSpor spor, String... bases) throws IOException {
        String snippet = new Snippet(ScriptAssets.fromClasspath()).javascript(List.of(bases), "/s/fb.js");
        Files.writeString(webRoot.resolve("page.html"), "<!doctype html><html><head><title>fallback</title><script>"
                + snippet + "</script></head><body><p>page with the Spor snippet</p></body></html>");
        browser.open("http://www.spor.test:" + spor.port() + "/page.html");
        browser.waitFor(LOADED, WAIT);
    }

    /** A loopback port that nothing listens on: connecting to it is refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
