package dev.spor.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spor.server.SporSettings;
import dev.spor.testing.Browser;
import dev.spor.testing.HttpVisitor;
import dev.spor.testing.RunningSpor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/**
 * The web console in real headless Chromium against the real server, with data seeded through
 * the real collection endpoints and, for past days, straight into the tables: sign-in and
 * sign-out, the overview's daily chart, a contact's timeline, the consent log and its CSV, the
 * config check, and the strict CSP with zero violations. Screenshots land in
 * {@code target/console-screenshots/} for a person to look at.
 */
class ConsoleBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String KEY = "k";
    private static final String ADA = "ada@example.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final String CONFIG = """
            { "sites": [ { "key": "shop", "name": "The shop", "domains": ["www.spor.test"], "cookieDomain": "spor.test",
                "hosts": ["t.spor.test"],
                "policies": [ { "id": "default", "mode": "opt-in" } ],
                "forms": [ { "id": "contact", "emailField": "email" } ] } ] }
            """;
    /** Records every CSP violation from the first line of every document (DevTools runs it before the page). */
    private static final String VIOLATION_PROBE = "window.cspViolations = [];"
            + "document.addEventListener('securitypolicyviolation', function (e) {"
            + "  window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);"
            + "});";

    @TempDir
    static Path dir;
    private static RunningSpor spor;
    private static Browser browser;
    private static LocalDate today;

    @BeforeAll
    static void start() throws Exception {
        Path config = dir.resolve("spor.json");
        Files.writeString(config, CONFIG);
        spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"), null, null, null, KEY));
        today = LocalDate.now(ZoneOffset.UTC);
        seedPastDays();
        seedToday();
        browser = Browser.start();
        browser.cdp("Emulation.setTimezoneOverride", Map.of("timezoneId", "UTC"));
        browser.cdp("Page.addScriptToEvaluateOnNewDocument", Map.of("source", VIOLATION_PROBE));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        spor.close();
    }

    /** Two cookies' page views at noon UTC: 6 days ago 2 (1 cookie), 4 days ago 3 (2 cookies), yesterday 1. */
    private static void seedPastDays() throws Exception {
        try (Connection c = spor.app().database().dataSource().getConnection()) {
            for (String visitor : List.of("seed-cookie-one", "seed-cookie-two")) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO visitors (id, site, created_at) VALUES (?, 'shop', ?)")) {
                    insert.setString(1, visitor);
                    insert.setTimestamp(2, noon(6));
                    insert.executeUpdate();
                }
            }
            int n = 0;
            for (Object[] view : new Object[][] {
                {6, "seed-cookie-one", "/"}, {6, "seed-cookie-one", "/pricing"},
                {4, "seed-cookie-one", "/"}, {4, "seed-cookie-two", "/"}, {4, "seed-cookie-two", "/pricing"},
                {1, "seed-cookie-two", "/blog/spring"}}) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO page_views (site, event_id, visitor_id, url, path,"
                        + " title, referrer, viewed_at) VALUES ('shop', ?, ?, ?, ?, 'Seeded', ?, ?)")) {
                    insert.setString(1, "seed-" + n++);
                    insert.setString(2, (String) view[1]);
                    insert.setString(3, "https://www.spor.test" + view[2]);
                    insert.setString(4, (String) view[2]);
                    insert.setString(5, n % 2 == 0 ? "https://news.example/" : null);
                    insert.setTimestamp(6, noon((Integer) view[0]));
                    insert.executeUpdate();
                }
            }
        }
    }

    private static Timestamp noon(int daysAgo) {
        return Timestamp.from(today.minusDays(daysAgo).atTime(12, 0).toInstant(ZoneOffset.UTC));
    }

    /**
     * Today, over the real endpoints: two browsers accept (1 page view each), one rejects, and
     * Ada's browser accepts on /start, views /pricing and /docs, then her form arrives from the
     * site's backend with her cookie: 5 page views from 3 cookies, 4 decisions of which 3 accept.
     */
    private static void seedToday() throws Exception {
        for (String action : List.of("accept-all", "accept-all", "reject-all")) {
            HttpVisitor visitor = visitor();
            visitor.post("/state", "{\"action\":\"" + action + "\",\"url\":\"https://www.spor.test/\",\"title\":\"Home\","
                    + "\"eventId\":\"ev-" + System.nanoTime() + "\",\"lang\":\"en\"}");
        }
        HttpVisitor ada = visitor();
        assertThat(ada.accept("https://www.spor.test/start", "ada-start-view").statusCode()).isLessThan(300);
        Thread.sleep(30);
        assertThat(ada.pageView("https://www.spor.test/pricing", "ada-pricing-view", null).statusCode()).isLessThan(300);
        Thread.sleep(30);
        assertThat(ada.pageView("https://www.spor.test/docs", "ada-docs-view", null).statusCode()).isLessThan(300);
        Thread.sleep(30);
        HttpResponse<String> submitted = api("POST", "/forms/contact/submissions", "{\"site\":\"shop\",\"fields\":{\"email\":\""
                + ADA + "\",\"name\":\"Ada\"},\"visitor\":\"" + ada.cookie("spor_id_shop") + "\"}", KEY);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    }

    private static HttpVisitor visitor() {
        return new HttpVisitor(spor.port(), "t.spor.test", "https://www.spor.test", "/s/shop");
    }

    private static HttpResponse<String> api(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(spor.url("/api/v1" + path)))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String consoleUrl(String hash) {
        return spor.url("/console/" + hash);
    }

    /** A fresh tab state (nothing in sessionStorage), then the sign-in form filled and sent. */
    private static void signIn(String key, String site) {
        browser.driver().manage().window().setSize(new Dimension(1280, 1000));
        browser.open(consoleUrl(""));
        browser.run("sessionStorage.clear();");
        browser.driver().navigate().refresh();
        browser.waitFor("!!document.getElementById('api-key')", WAIT);
        browser.driver().findElement(By.id("api-key")).sendKeys(key);
        if (site != null) {
            browser.driver().findElement(By.id("site-key")).sendKeys(site);
        }
        browser.driver().findElement(By.cssSelector("#sign-in button[type=submit]")).click();
    }

    private static void signedIn() {
        signIn(KEY, null);
        browser.waitFor("!!document.getElementById('sign-out') && !document.getElementById('main').hasAttribute('aria-busy')", WAIT);
    }

    private static void go(String hash) {
        browser.run("location.hash = '" + hash + "';");
        browser.waitFor("location.hash === '" + hash + "' && !!document.querySelector('main h1')"
                + " && !document.getElementById('main').hasAttribute('aria-busy')", WAIT);
    }

    /** A full-page screenshot (beyond the viewport) into target/console-screenshots/. */
    private static void screenshot(String name) throws Exception {
        Map<String, Object> shot = browser.cdp("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.write(SHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
    }

    @SuppressWarnings("unchecked")
    private static List<String> texts(String selector) {
        return (List<String>) browser.eval("Array.prototype.map.call(document.querySelectorAll('" + selector + "'),"
                + " function (e) { return e.textContent.trim(); })");
    }

    @Test
    void overview_sevenDays_chartHasSevenPointsWithTheSeededCounts_labelledCookiesNotVisitors() throws Exception {
        signedIn();
        String from = today.minusDays(6).toString();
        go("#/overview?from=" + from + "&to=" + today);
        browser.waitFor("!!document.querySelector('#daily-chart .uplot canvas')", WAIT);

        assertThat(browser.eval("document.getElementById('daily-chart').getAttribute('data-points')")).isEqualTo("7");
        assertThat(texts("#daily-chart .chart-table tbody tr")).hasSize(7);
        List<String> pageViews = texts("#daily-chart .chart-table tbody td:nth-child(2)");
        List<String> cookies = texts("#daily-chart .chart-table tbody td:nth-child(3)");
        assertThat(pageViews).containsExactly("2", "0", "3", "0", "0", "1", "5");
        assertThat(cookies).containsExactly("1", "0", "2", "0", "0", "1", "3");
        assertThat(browser.eval("document.getElementById('total-page-views').textContent")).isEqualTo("11");
        assertThat(browser.eval("document.getElementById('total-cookies').textContent")).isEqualTo("5");
        assertThat((String) browser.eval("document.getElementById('cookies-note').textContent"))
                .contains("one person can have many cookies");
        String text = (String) browser.eval("document.getElementById('main').innerText");
        assertThat(text.toLowerCase(java.util.Locale.ROOT)).doesNotContain("visitor").doesNotContain("unique");
        assertThat(texts("table.top tbody th")).contains("/", "/pricing", "/start", "/docs", "/blog/spring");
        assertThat(texts("#consent-chart table tbody td:nth-child(2)")).containsExactly("75 %");
        assertThat(browser.eval("document.activeElement.tagName")).isEqualTo("H1");
        screenshot("overview");

        browser.driver().manage().window().setSize(new Dimension(390, 844));
        browser.waitFor("document.querySelector('#daily-chart .uplot').getBoundingClientRect().width <= 390", WAIT);
        screenshot("overview-phone");
        assertThat(browser.eval("document.documentElement.scrollWidth <= window.innerWidth"))
                .as("wider than the phone: %s", browser.eval("Array.prototype.filter.call(document.querySelectorAll('body *'),"
                        + " function (e) { return e.getBoundingClientRect().right > window.innerWidth + 1; })"
                        + ".map(function (e) { return e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right; })"
                        + ".slice(0, 10).join('; ')"))
                .isEqualTo(true);
    }

    @Test
    void contact_timeline_listsSeededEventsInTimeOrder() throws Exception {
        signedIn();
        go("#/contacts?email=" + ADA);
        assertThat(texts("#contacts-table tbody th")).containsExactly(ADA);
        browser.driver().findElement(By.linkText(ADA)).click();
        browser.waitFor("!!document.getElementById('timeline') && !document.getElementById('main').hasAttribute('aria-busy')", WAIT);

        List<String> pages = texts("#timeline li[data-type=page-view] .event-summary");
        assertThat(pages).containsExactly("/start", "/pricing", "/docs");
        @SuppressWarnings("unchecked")
        List<String> types = (List<String>) browser.eval("Array.prototype.map.call(document.querySelectorAll('#timeline li'),"
                + " function (e) { return e.getAttribute('data-type'); })");
        assertThat(types.indexOf("form-submission")).isGreaterThan(types.lastIndexOf("page-view"));
        @SuppressWarnings("unchecked")
        List<String> times = (List<String>) browser.eval("Array.prototype.map.call(document.querySelectorAll('#timeline time'),"
                + " function (e) { return e.getAttribute('datetime'); })");
        assertThat(times.stream().map(Instant::parse).toList()).isSorted();
        assertThat(browser.eval("document.querySelector('main h1').textContent")).isEqualTo(ADA);
        assertThat(texts("#possibly-title")).containsExactly("Possibly this contact (0)");
        screenshot("contact");
    }

    @Test
    void contacts_list_pagesThroughAll() throws Exception {
        for (int i = 0; i < 3; i++) {
            api("POST", "/forms/contact/submissions", "{\"site\":\"shop\",\"fields\":{\"email\":\"list-" + i
                    + "@example.com\"}}", KEY);
        }
        signedIn();
        go("#/contacts");
        assertThat(texts("#contacts-table tbody th")).contains(ADA, "list-0@example.com");
        assertThat((String) browser.eval("document.getElementById('contacts-range').textContent")).startsWith("Showing 1–");
        screenshot("contacts");
    }

    @Test
    void wrongKey_showsErrorAndKeepsNothing() {
        signIn("not-the-key", null);
        browser.waitFor("!!document.querySelector('#sign-in [role=alert]')", WAIT);

        assertThat(texts("#sign-in [role=alert]")).containsExactly("That API key was not accepted.");
        assertThat(browser.eval("sessionStorage.length")).isEqualTo(0L);
        assertThat(browser.eval("localStorage.length")).isEqualTo(0L);
    }

    @Test
    void signIn_keyOnlyInSessionStorage_neverInUrlsOrLocalStorage() {
        signedIn();
        go("#/contacts");
        assertThat(browser.eval("sessionStorage.getItem('spor.console.key')")).isEqualTo(KEY);
        assertThat(browser.eval("localStorage.length")).isEqualTo(0L);
        assertThat(browser.requests()).filteredOn(r -> r.contains("/api/v1/")).isNotEmpty()
                .noneMatch(r -> r.toLowerCase(java.util.Locale.ROOT).contains("key="));
    }

    @Test
    void revokedKey_nextCall_signsOutWithAMessage() throws Exception {
        HttpResponse<String> created = api("POST", "/keys", "{\"name\":\"console-test\",\"sites\":[\"shop\"]}", KEY);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String key = JSON.readTree(created.body()).get("key").asText();
        signIn(key, null);
        // the overview's own calls must be over before the key goes, or one of them is the "next call"
        browser.waitFor("!!document.getElementById('sign-out') && !document.getElementById('main').hasAttribute('aria-busy')", WAIT);
        for (JsonNode listed : JSON.readTree(api("GET", "/keys", null, KEY).body()).get("keys")) {
            if (listed.get("name").asText().equals("console-test")) {
                assertThat(api("DELETE", "/keys/" + listed.get("id").asText(), null, KEY).statusCode()).isEqualTo(204);
            }
        }

        browser.driver().findElement(By.linkText("Contacts")).click();
        browser.waitFor("!!document.querySelector('#sign-in [role=alert]')", WAIT);

        assertThat(texts("#sign-in [role=alert]").get(0)).contains("signed out");
        assertThat(browser.eval("sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void consentLog_listsDecisions_csvFetchedWithTheKeyInTheHeader() throws Exception {
        signedIn();
        go("#/consent-log?from=" + today.minusDays(1) + "&to=" + today);
        assertThat(texts("#consent-table tbody tr")).hasSize(4);
        assertThat(texts("#consent-table tbody td:nth-child(2)")).containsOnly("accept-all", "reject-all");
        // keep the Blob the console hands to the browser, to read what was downloaded
        browser.run("var create = URL.createObjectURL; URL.createObjectURL = function (b) {"
                + " b.text().then(function (t) { window.downloaded = t; }); return create.call(URL, b); };");
        browser.driver().findElement(By.id("download-csv")).click();
        browser.waitFor("typeof window.downloaded === 'string'", WAIT);

        String csv = (String) browser.eval("window.downloaded");
        assertThat(csv.strip().split("\n")).hasSize(5);
        assertThat(browser.requests()).anyMatch(r -> r.contains("/api/v1/consent-log?") && r.contains("format=csv"))
                .noneMatch(r -> r.contains("key="));
        screenshot("consent-log");
    }

    @Test
    void configCheck_invalidConfig_showsEachErrorWithItsPath() throws Exception {
        signedIn();
        go("#/config-check");
        String candidate = "{\"sites\":[{\"key\":\"shop\",\"domains\":[\"www.spor.test\"],\"policies\":[{\"id\":\"eu\",\"mode\":"
                + "\"opt-in\",\"match\":{\"countries\":[\"DE\"]}}],\"colour\":\"red\"}]}";
        WebElement area = browser.driver().findElement(By.id("config-json"));
        browser.run("document.getElementById('config-json').value = " + JSON.writeValueAsString(candidate) + ";");
        area.sendKeys(" ");
        browser.driver().findElement(By.cssSelector("#main form button[type=submit]")).click();
        browser.waitFor("!!document.getElementById('config-errors')", WAIT);

        assertThat(texts("#config-errors tbody th")).contains("sites[0].colour", "sites[0].policies");
        assertThat(texts("#config-errors tbody td")).contains("unknown field");
        screenshot("config-check");

        browser.run("document.getElementById('config-json').value = '{ not json';");
        browser.driver().findElement(By.cssSelector("#main form button[type=submit]")).click();
        browser.waitFor("document.getElementById('config-result').textContent.indexOf('not JSON') >= 0", WAIT);
    }

    @Test
    void assets_servedFromTheClasspath_gzipped_revalidatedByEtag_strictHeadersToo() throws Exception {
        HttpResponse<byte[]> script = spor.get("/console/assets/console.js", null, "Accept-Encoding", "gzip");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(script.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(script.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(script.headers().firstValue("Content-Security-Policy")).hasValue(ConsoleHeaders.CSP);
        String etag = script.headers().firstValue("ETag").orElseThrow();

        assertThat(spor.get("/console/assets/console.js", null, "Accept-Encoding", "gzip", "If-None-Match", etag).statusCode())
                .isEqualTo(304);
        HttpResponse<byte[]> plain = spor.get("/console/assets/console.css", null);
        assertThat(plain.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
        assertThat(new String(plain.body(), java.nio.charset.StandardCharsets.UTF_8)).contains(".uplot");
        assertThat(spor.get("/console/assets/spor.js", null).statusCode()).isEqualTo(404);
    }

    /** WCAG 2.1 A/AA violations axe-core (tag-js devDependency, injected through the driver) finds on the page. */
    private static Object axeViolations() throws Exception {
        if (!Boolean.TRUE.equals(browser.eval("typeof axe !== 'undefined'"))) {
            browser.run(Files.readString(Path.of("tag-js/node_modules/axe-core/axe.min.js")));
        }
        browser.eval("(function () { window.axeResult = null; axe.run(document, { runOnly: { type: 'tag', values:"
                + " ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then(function (r) { window.axeResult ="
                + " r.violations.map(function (v) { return v.id + ': ' + v.nodes.map(function (n) {"
                + " return n.target.join(' '); }).join(', '); }); }); return true; })()");
        browser.waitFor("window.axeResult !== null", WAIT);
        return browser.eval("window.axeResult");
    }

    @Test
    void everyPage_signInIncluded_passesAxeWcagChecks() throws Exception {
        signIn("not-the-key", null);
        browser.waitFor("!!document.querySelector('#sign-in [role=alert]')", WAIT);
        assertThat(axeViolations()).as("sign-in with an error").isEqualTo(List.of());
        signedIn();
        for (String hash : List.of("#/overview", "#/contacts", "#/consent-log", "#/config-check")) {
            go(hash);
            assertThat(axeViolations()).as(hash).isEqualTo(List.of());
        }
        go("#/contacts?email=" + ADA);
        browser.driver().findElement(By.linkText(ADA)).click();
        browser.waitFor("!!document.getElementById('timeline') && !document.getElementById('main').hasAttribute('aria-busy')", WAIT);
        assertThat(axeViolations()).as("contact").isEqualTo(List.of());
    }

    @Test
    void consolePage_strictCspHeaders_everyPageRendersWithZeroViolations() throws Exception {
        HttpResponse<byte[]> page = spor.get("/console/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'self'; script-src 'self';"
                + " style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
                + " form-action 'self'");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");

        signedIn();
        for (String hash : List.of("#/overview", "#/contacts", "#/consent-log", "#/config-check", "#/overview?from="
                + today.minusDays(89) + "&to=" + today)) {
            go(hash);
        }
        browser.waitFor("!!document.querySelector('#daily-chart .uplot canvas')", WAIT);
        assertThat(browser.eval("window.cspViolations")).isEqualTo(List.of());

        // the probe does see a violation: an inline style attribute is refused under this CSP
        browser.run("document.body.setAttribute('style', 'color: red');");
        browser.waitFor("window.cspViolations.length === 1", WAIT);
    }
}
