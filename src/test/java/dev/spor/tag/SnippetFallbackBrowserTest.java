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
 *
 * <p>The host-alias pages record, before the snippet runs, every script element's {@code load}
 * and {@code error} event, so a test sees which alias the browser tried and which one served
 * the script; the tracker's {@code _spor.base} must name the same alias.
 */
class SnippetFallbackBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SCRIPT_PATH = "/s/fb.js";
    private static final String CONFIG = """
            {"sites":[{"key":"fb","domains":["www.spor.test"],"cookieDomain":"spor.test",
              "hosts":["t.spor.test","s.spor.test"],
              "policies":[{"id":"default","mode":"opt-in"}]}]}
            """;
    /**
     * Records "load URL" / "error URL" for each tracker script element, in order (events captured
     * on document); the banner the tracker may load later is not the snippet's business.
     */
    private static final String SCRIPT_EVENT_RECORDER = """
            window.scriptEvents = [];
            ["load", "error"].forEach(function (type) {
              document.addEventListener(type, function (event) {
                if (event.target.tagName === "SCRIPT" && event.target.src.split("?")[0].endsWith("/s/fb.js")) {
                  window.scriptEvents.push(type + " " + event.target.src);
                }
              }, true);
            });
            """;
    /** The tracker has replaced the snippet's queue array with its queue object. */
    private static final String TRACKER_RUNNING = "window._spor && !Array.isArray(window._spor)";

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

            assertThat(browser.eval("window.scriptEvents")).isEqualTo(List.of("load " + first + SCRIPT_PATH));
            assertThat(browser.eval("window._spor.site")).isEqualTo("fb");
            assertThat(browser.eval("window._spor.base")).isEqualTo(first);
        }
    }

    @Test
    void snippet_firstAliasDown_fallsBackToSecond() throws Exception {
        try (RunningSpor spor = startFallbackSite()) {
            String first = "http://t.spor.test:" + closedPort();
            String second = "http://s.spor.test:" + spor.port();

            openPageWithSnippet(spor, first, second);

            assertThat(browser.eval("window.scriptEvents"))
                    .isEqualTo(List.of("error " + first + SCRIPT_PATH, "load " + second + SCRIPT_PATH));
            assertThat(browser.eval("window._spor.site")).isEqualTo("fb");
            assertThat(browser.eval("window._spor.base")).isEqualTo(second);
        }
    }

    @Test
    void snippet_firstAliasUnknownHost_404_fallsBackToSecond() throws Exception {
        try (RunningSpor spor = startFallbackSite()) {
            String first = "http://x.spor.test:" + spor.port();
            String second = "http://s.spor.test:" + spor.port();
            assertThat(spor.get(SCRIPT_PATH, "x.spor.test").statusCode()).as("script on a host that is no alias")
                    .isEqualTo(404);

            openPageWithSnippet(spor, first, second);

            assertThat(browser.eval("window.scriptEvents"))
                    .isEqualTo(List.of("error " + first + SCRIPT_PATH, "load " + second + SCRIPT_PATH));
            assertThat(browser.eval("window._spor.site")).isEqualTo("fb");
            assertThat(browser.eval("window._spor.base")).isEqualTo(second);
            HttpResponse<byte[]> fromT = spor.get(SCRIPT_PATH, "t.spor.test");
            HttpResponse<byte[]> fromS = spor.get(SCRIPT_PATH, "s.spor.test");
            assertThat(fromT.statusCode()).as("status on t.spor.test").isEqualTo(200);
            assertThat(fromS.statusCode()).as("status on s.spor.test").isEqualTo(200);
            assertThat(fromS.body()).as("script from s.spor.test, compared with t.spor.test").isEqualTo(fromT.body());
        }
    }

    @Test
    void demoPage_loadsScriptFromFirstPathAlias() throws Exception {
        try (RunningSpor spor = RunningSpor.demo(dataDir)) {
            browser.open(spor.url("/demo/"));
            browser.waitFor("window._spor && window._spor.base", WAIT);

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

    /**
     * Serves a page on the site's own domain with the snippet for the given bases, opens it and
     * waits until a script has loaded and the tracker runs.
     */
    private void openPageWithSnippet(RunningSpor spor, String... bases) throws IOException {
        String snippet = new Snippet(ScriptAssets.fromClasspath()).javascript(List.of(bases), SCRIPT_PATH);
        Files.writeString(webRoot.resolve("page.html"), "<!doctype html><html><head><title>fallback</title>"
                + "<script>" + SCRIPT_EVENT_RECORDER + "</script>"
                + "<script>" + snippet + "</script>"
                + "</head><body><p>A page with the Spor snippet.</p></body></html>");
        browser.open("http://www.spor.test:" + spor.port() + "/page.html");
        browser.waitFor(TRACKER_RUNNING + " && window.scriptEvents.some(function (e) { return e.startsWith('load '); })",
                WAIT);
    }

    /** A loopback port that nothing listens on: connecting to it is refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
