package dev.spor.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.server.SporSettings;
import dev.spor.tag.ScriptAssets;
import dev.spor.tag.Snippet;
import dev.spor.testing.Browser;
import dev.spor.testing.FaultyAlias;
import dev.spor.testing.RunningSpor;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * SPEC §1 and §4 in real headless Chromium: a consenting browser's page views, single-page
 * navigation, events and identify, downloads, alias failover, doNotTrack. The site is on
 * {@code www.spor.test}; its aliases {@code t.spor.test} and {@code s.spor.test}.
 */
class TrackingBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String HOST = "[data-spor-banner]";
    private static final String CONFIG = """
            { "sites": [ { "key": "shop", "domains": ["www.spor.test"], "cookieDomain": "spor.test",
                "hosts": ["t.spor.test", "s.spor.test"], "countAutomation": true,
                "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }
            """;

    @TempDir
    static Path dir;
    private static Browser browser;
    private static Path webRoot;
    private RunningSpor spor;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Browser.start();
        webRoot = dir.resolve("web");
        Files.createDirectories(webRoot);
        Files.writeString(webRoot.resolve("probe.js"), """
                window._spor = window._spor || [];
                window._spor.push(['onConsentChange', function (state) { window.sporState = state; }]);
                """);
    }

    @AfterAll
    static void stopBrowser() {
        browser.close();
    }

    @BeforeEach
    void startSpor() throws Exception {
        Path config = dir.resolve("spor-" + System.nanoTime() + ".json");
        Files.writeString(config, CONFIG);
        spor = RunningSpor.start(new SporSettings(config, dir.resolve("data-" + System.nanoTime()), null, null, null, "k"),
                webRoot);
        spor.app().files().put("guide.pdf", "application/pdf",
                new ByteArrayInputStream("%PDF-1.4 test".getBytes(StandardCharsets.US_ASCII)), 1024);
        browser.forget();
    }

    @AfterEach
    void stopSpor() throws Exception {
        spor.close();
    }

    /** Writes the test page with the snippet for these alias bases, opens it and accepts in the banner. */
    private void openAndAccept(String... bases) throws Exception {
        openWithBanner(bases);
        browser.driver().findElement(By.cssSelector(HOST)).getShadowRoot()
                .findElement(By.cssSelector("[data-action=accept-all]")).click();
        browser.waitFor("window.sporState && window.sporState.analytics === true", WAIT);
        waitForPaths(List.of("/app.html"));
    }

    /** Writes the test page with the snippet for these alias bases, opens it and waits for the banner. */
    private void openWithBanner(String... bases) throws Exception {
        String snippet = new Snippet(ScriptAssets.fromClasspath()).javascript(List.of(bases), "/s/shop.js");
        Files.writeString(webRoot.resolve("app.html"), "<!doctype html><html lang=\"en\"><head><title>App</title>"
                + "<script src=\"/probe.js\"></script><script>" + snippet + "</script></head><body><h1>App</h1>"
                + "<a id=\"file\" href=\"/files/guide.pdf\">Guide</a></body></html>");
        browser.open("http://www.spor.test:" + spor.port() + "/app.html");
        browser.waitFor("!!document.querySelector('" + HOST + "')"
                + " && !!document.querySelector('" + HOST + "').shadowRoot.querySelector('[data-action=accept-all]')", WAIT);
    }

    private String base(String host) {
        return "http://" + host + ":" + spor.port();
    }

    private List<String> query(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = spor.app().database().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }

    private List<String> paths() throws Exception {
        return query("SELECT path FROM page_views ORDER BY viewed_at, id");
    }

    private void waitForPaths(List<String> expected) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!paths().equals(expected) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(paths()).isEqualTo(expected);
    }

    private void navigate(String script, List<String> expected) throws Exception {
        browser.run(script);
        waitForPaths(expected);
    }

    @Test
    void spa_firstPageThreeNavigationsAndBack_exactlyFivePageViews() throws Exception {
        openAndAccept(base("t.spor.test"), base("s.spor.test"));

        navigate("history.pushState({}, '', '/view/1')", List.of("/app.html", "/view/1"));
        navigate("history.pushState({}, '', '/view/2')", List.of("/app.html", "/view/1", "/view/2"));
        navigate("history.pushState({}, '', '/view/3')", List.of("/app.html", "/view/1", "/view/2", "/view/3"));
        navigate("history.back()", List.of("/app.html", "/view/1", "/view/2", "/view/3", "/view/2"));
        browser.run("history.replaceState({}, '', '/view/2'); location.hash = 'section'");
        Thread.sleep(500);

        assertThat(paths()).containsExactly("/app.html", "/view/1", "/view/2", "/view/3", "/view/2");
        assertThat(query("SELECT COUNT(DISTINCT visitor_id) FROM page_views")).containsExactly("1");
    }

    @Test
    void navigationBeforeTheChunkArrives_countsOnce() throws Exception {
        openWithBanner(base("t.spor.test"), base("s.spor.test"));

        // In one task: the decision is posted (the server stores /app.html), and the app
        // navigates long before the answer comes and the collection chunk loads.
        browser.run("document.querySelector('" + HOST + "').shadowRoot.querySelector('[data-action=accept-all]').click();"
                + " history.pushState({}, '', '/early/1');");
        browser.waitFor("window.sporState && window.sporState.analytics === true", WAIT);

        waitForPaths(List.of("/app.html", "/early/1"));
        Thread.sleep(300);
        assertThat(paths()).containsExactly("/app.html", "/early/1");
    }

    @Test
    void primaryAliasDead_scriptFromSecond_everyBeaconArrives() throws Exception {
        int dead;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = socket.getLocalPort();
        }
        openAndAccept("http://t.spor.test:" + dead, base("s.spor.test"));

        assertThat(browser.eval("window._spor.base")).isEqualTo(base("s.spor.test"));
        navigate("history.pushState({}, '', '/after/1')", List.of("/app.html", "/after/1"));
        navigate("history.pushState({}, '', '/after/2')", List.of("/app.html", "/after/1", "/after/2"));
    }

    @Test
    void primaryAliasAnswers5xx_beaconsFailOverToTheNext() throws Exception {
        try (FaultyAlias primary = FaultyAlias.start(spor.port(), "t.spor.test",
                request -> request.startsWith("POST ") && request.matches("POST .*/s/shop/(p|e)"))) {
            openAndAccept("http://p.spor.test:" + primary.port(), base("s.spor.test"));

            navigate("history.pushState({}, '', '/failover/1')", List.of("/app.html", "/failover/1"));
            navigate("history.pushState({}, '', '/failover/2')", List.of("/app.html", "/failover/1", "/failover/2"));

            assertThat(primary.failed()).as("the primary alias failed at least one beacon").isPositive();
        }
    }

    @Test
    void trackEventAndIdentify_arriveWithTheirData() throws Exception {
        openAndAccept(base("t.spor.test"), base("s.spor.test"));

        browser.run("_spor.push(['identify', {email: 'Ada@Example.org', plan: 'pro'}]);"
                + " _spor.push(['trackEvent', 'signup', {plan: 'pro', seats: 3, trial: false}]);");

        long end = System.nanoTime() + WAIT.toNanos();
        while (query("SELECT type FROM events").size() < 2 && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(query("SELECT type || ' ' || name FROM events ORDER BY type"))
                .containsExactly("event signup", "identify ada@example.org");
        assertThat(query("SELECT properties FROM events WHERE type = 'event'")).singleElement().asString()
                .contains("\"plan\":\"pro\"").contains("\"seats\":3").contains("\"trial\":false");
        assertThat(query("SELECT properties FROM events WHERE type = 'identify'")).singleElement().asString()
                .contains("\"plan\":\"pro\"");
    }

    @Test
    void fileLinkClickAndDirectFetch_addNoPageView() throws Exception {
        openAndAccept(base("t.spor.test"), base("s.spor.test"));

        browser.driver().findElement(By.id("file")).click();
        long end = System.nanoTime() + WAIT.toNanos();
        while (query("SELECT name FROM events WHERE type = 'download'").isEmpty() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        browser.open("http://www.spor.test:" + spor.port() + "/files/guide.pdf");
        Thread.sleep(300);

        assertThat(query("SELECT name FROM events WHERE type = 'download'"))
                .containsExactly("http://www.spor.test:" + spor.port() + "/files/guide.pdf");
        assertThat(paths()).containsExactly("/app.html");
    }

    @Test
    void doNotTrack_stopsEveryBeacon() throws Exception {
        openAndAccept(base("t.spor.test"), base("s.spor.test"));
        browser.run("_spor.push(['doNotTrack'])");
        browser.requests(); // forget the traffic so far

        browser.run("history.pushState({}, '', '/quiet/1'); _spor.push(['trackEvent', 'quiet', {}]);"
                + " _spor.push(['trackPageView']);");
        Thread.sleep(700);

        assertThat(browser.requests()).noneMatch(r -> r.matches("POST .*/s/shop/(p|e)"));
        assertThat(paths()).containsExactly("/app.html");
        assertThat(query("SELECT COUNT(*) FROM events")).containsExactly("0");
    }
}
