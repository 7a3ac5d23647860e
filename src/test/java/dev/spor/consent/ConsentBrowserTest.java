package dev.spor.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.server.SporSettings;
import dev.spor.tag.ScriptAssets;
import dev.spor.tag.Snippet;
import dev.spor.testing.Browser;
import dev.spor.testing.MutableClock;
import dev.spor.testing.RunningSpor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * SPEC §2 in real headless Chromium: the banner, the cookie jar (read through the driver, not
 * {@code document.cookie}), and what the database holds after each step. The site lives on
 * {@code www.spor.test}, its script aliases on {@code t.spor.test} and {@code s.spor.test}, all
 * mapped to loopback; cookies are first-party for {@code spor.test}.
 */
class ConsentBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String HOST = "[data-spor-banner]";
    private static final String BANNER_SHOWN = "!!document.querySelector('" + HOST + "')"
            + " && !!document.querySelector('" + HOST + "').shadowRoot.querySelector('[data-action=accept-all]')";
    private static final String STATE_KNOWN = "!!window.sporState";
    private static final String CONFIG = """
            { "country": { "trustedProxies": ["127.0.0.1", "::1"], "database": "%s" },
              "sites": [ { "key": "shop", "domains": ["www.spor.test"], "cookieDomain": "spor.test",
                "hosts": ["t.spor.test", "s.spor.test"],
                "texts": { "en": { "title": "<img src=x onerror=\\"window.pwned=1\\">Your privacy",
                                   "description": "We count visits</p><script>window.pwned=2</script>" } },
                "policies": [
                  { "id": "privacy", "mode": "none", "match": { "paths": ["/privacy.html"] } },
                  { "id": "blog", "mode": "notify", "match": { "paths": ["/blog/**"] } },
                  { "id": "us", "mode": "opt-out", "match": { "paths": ["/us/**"] } },
                  { "id": "eu", "mode": "opt-in", "match": { "countries": ["EEA"] }, "revision": 1 },
                  { "id": "default", "mode": "opt-in", "revision": %d, "acceptDays": 30,
                    "categories": ["necessary", "analytics", "advertisement"] } ] } ] }
            """;

    @TempDir
    static Path dir;
    private static Browser browser;
    private static Path webRoot;
    private RunningSpor spor;
    private MutableClock clock;
    private Path configFile;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Browser.start();
        webRoot = dir.resolve("web");
        Files.createDirectories(webRoot.resolve("blog"));
        Files.createDirectories(webRoot.resolve("us"));
        // records the consent state and any CSP violation; an external file, as a strict CSP wants
        Files.writeString(webRoot.resolve("probe.js"), """
                window.cspViolations = [];
                document.addEventListener('securitypolicyviolation', function (e) {
                  window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
                });
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
        configFile = dir.resolve("spor-" + System.nanoTime() + ".json");
        writeConfig(1);
        clock = MutableClock.startingNow();
        spor = RunningSpor.start(new SporSettings(configFile, dir.resolve("data-" + System.nanoTime()), null, null, null, "k"),
                webRoot, clock);
        String snippet = new Snippet(ScriptAssets.fromClasspath()).javascript(
                List.of("http://t.spor.test:" + spor.port(), "http://s.spor.test:" + spor.port()), "/s/shop.js");
        for (String page : List.of("index.html", "next.html", "privacy.html", "blog/post.html", "us/page.html")) {
            Files.writeString(webRoot.resolve(page), page(snippet, page, null));
        }
        Files.writeString(webRoot.resolve("strict.html"), page(snippet, "strict.html", "n0nce-" + spor.port()));
        browser.forget();
    }

    @AfterEach
    void stopSpor() throws Exception {
        spor.close();
    }

    private void writeConfig(int revision) throws Exception {
        Path mmdb = Path.of(getClass().getClassLoader().getResource("geoip/GeoLite2-Country-Test.mmdb").toURI());
        Files.writeString(configFile, CONFIG.formatted(mmdb, revision));
    }

    private String page(String snippet, String name, String nonce) {
        String aliases = "http://t.spor.test:" + spor.port() + " http://s.spor.test:" + spor.port();
        String csp = nonce == null ? "" : "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                + " script-src 'nonce-" + nonce + "' " + aliases + "; connect-src " + aliases + "; style-src 'self'\">";
        String n = nonce == null ? "" : " nonce=\"" + nonce + "\"";
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">" + csp + "<title>" + name + "</title>"
                + "<script src=\"/probe.js\"" + n + "></script><script" + n + ">" + snippet + "</script></head>"
                + "<body><h1>" + name + "</h1><a id=\"settings\" href=\"#\" data-spor-consent-settings>Cookie settings</a>"
                + "</body></html>";
    }

    private void open(String page) {
        browser.open("http://www.spor.test:" + spor.port() + "/" + page);
        browser.waitFor(STATE_KNOWN, WAIT);
    }

    private WebElement button(String action) {
        SearchContext shadow = browser.driver().findElement(By.cssSelector(HOST)).getShadowRoot();
        return shadow.findElement(By.cssSelector("[data-action=" + action + "]"));
    }

    private Optional<Map<String, Object>> cookie(String name) {
        return browser.cookies().stream().filter(c -> name.equals(c.get("name"))).findFirst();
    }

    private List<String> storedPaths() throws Exception {
        List<String> paths = new ArrayList<>();
        try (Connection c = spor.app().database().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT path FROM page_views ORDER BY viewed_at, id")) {
            while (r.next()) {
                paths.add(r.getString(1));
            }
        }
        return paths;
    }

    private List<String> loggedActions() throws Exception {
        List<String> actions = new ArrayList<>();
        try (Connection c = spor.app().database().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT action FROM consent_log ORDER BY id")) {
            while (r.next()) {
                actions.add(r.getString(1));
            }
        }
        return actions;
    }

    private void waitForStoredPaths(List<String> expected) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!storedPaths().equals(expected) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(storedPaths()).isEqualTo(expected);
    }

    @Test
    void optIn_beforeAnyDecision_bannerButNoTrackingCookieAndNothingStored() throws Exception {
        browser.requests(); // forget earlier tests' traffic
        open("index.html");
        browser.waitFor(BANNER_SHOWN, WAIT);
        browser.eval("window._spor.push(['trackPageView']) || true");
        open("next.html");
        browser.waitFor(BANNER_SHOWN, WAIT);
        Thread.sleep(300);

        List<String> sent = browser.requests();
        assertThat(sent).as("the driver sees the consent queries").anyMatch(r -> r.startsWith("GET ") && r.contains("/s/shop/state"));
        assertThat(sent).as("no beacon leaves a page without consent").noneMatch(r -> r.matches("POST .*/s/shop/(p|e)(\\?.*)?"));

        assertThat(cookie("spor_id_shop")).isEmpty();
        assertThat(cookie("spor_c_shop")).isEmpty();
        assertThat(storedPaths()).isEmpty();
        assertThat(loggedActions()).isEmpty();
    }

    @Test
    void reject_noTrackingCookie_consentCookieRecordsIt_nothingStored() throws Exception {
        open("index.html");
        browser.waitFor(BANNER_SHOWN, WAIT);

        button("reject-all").click();
        browser.waitFor("!document.querySelector('" + HOST + "')", WAIT);
        open("next.html");

        assertThat(browser.eval(BANNER_SHOWN)).isEqualTo(false);
        assertThat(cookie("spor_id_shop")).isEmpty();
        assertThat(cookie("spor_c_shop")).get().satisfies(c -> assertThat(c.get("httpOnly")).isEqualTo(true));
        assertThat(storedPaths()).isEmpty();
        assertThat(loggedActions()).containsExactly("reject-all");
    }

    @Test
    void accept_httpOnlyFirstPartyCookie_acceptingPageIsTheFirstPageView_nextOneToo() throws Exception {
        open("index.html");
        browser.waitFor(BANNER_SHOWN, WAIT);

        button("accept-all").click();
        browser.waitFor("window.sporState.analytics === true", WAIT);

        Map<String, Object> tracking = cookie("spor_id_shop").orElseThrow();
        assertThat(tracking.get("httpOnly")).isEqualTo(true);
        assertThat(tracking.get("domain")).isEqualTo(".spor.test");
        assertThat(tracking.get("sameSite")).isEqualTo("Lax");
        assertThat((String) tracking.get("value")).matches("[A-Za-z0-9_-]{22}");
        waitForStoredPaths(List.of("/index.html"));

        open("next.html");
        waitForStoredPaths(List.of("/index.html", "/next.html"));
        assertThat(browser.eval(BANNER_SHOWN)).isEqualTo(false);
        assertThat(loggedActions()).containsExactly("accept-all");
        assertThat((String) browser.eval("document.cookie")).doesNotContain("spor_");
    }

    @Test
    void keyboardOnly_tabToAcceptAndPressEnter_accepts() throws Exception {
        open("index.html");
        browser.waitFor(BANNER_SHOWN, WAIT);
        String active = "document.querySelector('" + HOST + "').shadowRoot.activeElement"
                + " && document.querySelector('" + HOST + "').shadowRoot.activeElement.getAttribute('data-action')";
        browser.waitFor(active, WAIT); // focus moved into the banner when it opened

        Actions keys = new Actions(browser.driver());
        for (int i = 0; i < 6 && !"accept-all".equals(browser.eval(active)); i++) {
            keys.sendKeys(Keys.TAB).perform();
        }
        assertThat(browser.eval(active)).isEqualTo("accept-all");
        keys.sendKeys(Keys.ENTER).perform();

        browser.waitFor("window.sporState.analytics === true", WAIT);
        assertThat(cookie("spor_id_shop")).isPresent();
        assertThat(loggedActions()).containsExactly("accept-all");
    }

    @Test
    void banner_rejectAsProminentAsAccept_andTextsAreText() throws Exception {
        open("index.html");
        browser.waitFor(BANNER_SHOWN, WAIT);

        WebElement accept = button("accept-all");
        WebElement reject = button("reject-all");
        assertThat(reject.getAttribute("class")).isEqualTo(accept.getAttribute("class"));
        assertThat(reject.getSize()).isEqualTo(accept.getSize());
        assertThat(reject.getCssValue("background-color")).isEqualTo(accept.getCssValue("background-color"));
        assertThat(browser.eval("document.querySelector('" + HOST + "').shadowRoot.querySelector('[role=dialog]')"
                + ".getAttribute('aria-labelledby')")).isNotNull();
    }

    @Test
    void banner_firstLayerAndSettings_passAxeWcagChecks() throws Exception {
        open("index.html");
        browser.waitFor(BANNER_SHOWN, WAIT);
        // axe-core from npm (tag-js devDependency), injected through the driver
        browser.run(Files.readString(Path.of("tag-js/node_modules/axe-core/axe.min.js")));
        String run = "(function () { window.axeResult = null; axe.run(document, { runOnly: { type: 'tag', values:"
                + " ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then(function (r) { window.axeResult ="
                + " r.violations.map(function (v) { return v.id + ': ' + v.nodes.map(function (n) {"
                + " return n.target.join(' '); }).join(', '); }); }); return true; })()";

        browser.eval(run);
        browser.waitFor("window.axeResult !== null", WAIT);
        assertThat(browser.eval("window.axeResult")).as("first layer").isEqualTo(List.of());
        assertThat(browser.eval("axe.utils.querySelectorAll(axe.setup(document), '[data-action=accept-all]').length"))
                .as("axe sees into the banner's shadow root").isEqualTo(1L);
        browser.eval("axe.teardown() || true");

        button("settings").click();
        browser.waitFor("!!document.querySelector('" + HOST + "').shadowRoot.querySelector('[data-category=analytics]')", WAIT);
        browser.eval(run);
        browser.waitFor("window.axeResult !== null", WAIT);
        assertThat(browser.eval("window.axeResult")).as("settings view").isEqualTo(List.of());
    }

    @Test
    void settings_noBoxPreTicked_savingAChoiceGrantsOnlyThat() throws Exception {
        open("index.html");
        browser.waitFor(BANNER_SHOWN, WAIT);
        button("settings").click();
        SearchContext shadow = browser.driver().findElement(By.cssSelector(HOST)).getShadowRoot();
        browser.waitFor("!!document.querySelector('" + HOST + "').shadowRoot.querySelector('[data-category=analytics]')", WAIT);

        WebElement analytics = shadow.findElement(By.cssSelector("[data-category=analytics]"));
        WebElement ads = shadow.findElement(By.cssSelector("[data-category=advertisement]"));
        assertThat(analytics.isSelected()).isFalse();
        assertThat(ads.isSelected()).isFalse();
        assertThat(shadow.findElement(By.cssSelector("[data-category=necessary]")).isEnabled()).isFalse();
        analytics.click();
        button("save").click();

        browser.waitFor("window.sporState.analytics === true", WAIT);
        assertThat(browser.eval("window.sporState.categories")).isEqualTo(List.of("necessary", "analytics"));
        assertThat(loggedActions()).containsExactly("custom");
        assertThat(cookie("spor_id_shop")).isPresent();
    }

    @Test
    void banner_htmlInConfiguredTexts_isShownAsTextNeverMarkup() throws Exception {
        open("index.html");
        browser.waitFor(BANNER_SHOWN, WAIT);
        String shadow = "document.querySelector('" + HOST + "').shadowRoot";

        assertThat(browser.eval(shadow + ".querySelector('h2').textContent"))
                .isEqualTo("<img src=x onerror=\"window.pwned=1\">Your privacy");
        assertThat(browser.eval(shadow + ".querySelectorAll('img, script').length")).isEqualTo(0L);
        assertThat(browser.eval("window.pwned === undefined")).isEqualTo(true);
    }

    @Test
    void strictCsp_withNonce_bannerWorksWithoutViolations() throws Exception {
        open("strict.html");
        browser.waitFor(BANNER_SHOWN, WAIT);

        button("accept-all").click();
        browser.waitFor("window.sporState.analytics === true", WAIT);

        assertThat(browser.eval("window.cspViolations")).isEqualTo(List.of());
        waitForStoredPaths(List.of("/strict.html"));
    }

    @Test
    void revoke_deletesTrackingCookieAtOnceAndStopsTracking() throws Exception {
        open("index.html");
        browser.waitFor(BANNER_SHOWN, WAIT);
        button("accept-all").click();
        browser.waitFor("window.sporState.analytics === true", WAIT);
        waitForStoredPaths(List.of("/index.html"));

        browser.eval("window._spor.push(['revokeConsent']) || true");
        browser.waitFor("window.sporState.analytics === false", WAIT);

        assertThat(cookie("spor_id_shop")).isEmpty();
        open("next.html");
        Thread.sleep(300);
        assertThat(storedPaths()).containsExactly("/index.html");
        assertThat(loggedActions()).containsExactly("accept-all", "revoke");
    }

    @Test
    void cookieSettingsLink_reopensTheBanner() throws Exception {
        open("index.html");
        browser.waitFor(BANNER_SHOWN, WAIT);
        button("reject-all").click();
        browser.waitFor("!document.querySelector('" + HOST + "')", WAIT);

        browser.driver().findElement(By.id("settings")).click();

        browser.waitFor("!!document.querySelector('" + HOST + "')", WAIT);
        button("accept-all").click();
        browser.waitFor("window.sporState.analytics === true", WAIT);
        assertThat(loggedActions()).containsExactly("reject-all", "accept-all");
    }

    @Test
    void revisionBump_asksAgain() throws Exception {
        open("index.html");
        browser.waitFor(BANNER_SHOWN, WAIT);
        button("accept-all").click();
        browser.waitFor("window.sporState.analytics === true", WAIT);
        open("next.html");
        assertThat(browser.eval(BANNER_SHOWN)).isEqualTo(false);

        writeConfig(2);
        long end = System.nanoTime() + WAIT.toNanos();
        while (spor.app().config().get().sites().get(0).policies().get(4).revision() != 2 && System.nanoTime() < end) {
            Thread.sleep(50);
        }

        open("next.html");
        browser.waitFor(BANNER_SHOWN, WAIT);
        assertThat(browser.eval("window.sporState.analytics")).isEqualTo(false);
    }

    @Test
    void expiredAcceptance_asksAgain() throws Exception {
        open("index.html");
        browser.waitFor(BANNER_SHOWN, WAIT);
        button("accept-all").click();
        browser.waitFor("window.sporState.analytics === true", WAIT);

        clock.advance(Duration.ofDays(31)); // the policy's acceptDays is 30

        open("next.html");
        browser.waitFor(BANNER_SHOWN, WAIT);
        assertThat(browser.eval("window.sporState.analytics")).isEqualTo(false);
    }

    @Test
    void pathRules_nonePolicyShowsNoBanner_notifyPolicyOnlyANotice() throws Exception {
        open("privacy.html");
        Thread.sleep(300);
        assertThat(browser.eval("!!document.querySelector('" + HOST + "')")).isEqualTo(false);

        open("blog/post.html");
        browser.waitFor(BANNER_SHOWN, WAIT);
        assertThat(browser.eval("document.querySelector('" + HOST + "').shadowRoot.querySelector('[data-action=reject-all]')"))
                .isNull();
        assertThat(browser.eval("window.sporState.policy.id")).isEqualTo("blog");
    }

    @Test
    void country_throughTrustedProxy_picksItsPolicy() throws Exception {
        browser.sendHeaders(Map.of("X-Forwarded-For", "89.160.20.113")); // Sweden, in the MaxMind test data

        open("index.html");

        assertThat(browser.eval("window.sporState.policy.id")).isEqualTo("eu");
    }

    @Test
    void gpc_wherePolicySaysSo_declinedOnceAndSaidSo() throws Exception {
        browser.sendHeaders(Map.of("Sec-GPC", "1"));

        open("us/page.html");
        open("us/page.html");

        assertThat(browser.eval("window.sporState.analytics")).isEqualTo(false);
        assertThat(cookie("spor_id_shop")).isEmpty();
        assertThat(loggedActions()).containsExactly("gpc");
        assertThat(storedPaths()).isEmpty();
    }

    @Test
    void optOut_withoutGpc_tracksFromTheFirstPage() throws Exception {
        open("us/page.html");

        browser.waitFor(BANNER_SHOWN, WAIT);
        assertThat(cookie("spor_id_shop")).isPresent();
        waitForStoredPaths(List.of("/us/page.html"));
    }
}
