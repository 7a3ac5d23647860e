package dev.spor.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spor.server.SporSettings;
import dev.spor.testing.ApiClient;
import dev.spor.testing.HttpVisitor;
import dev.spor.testing.MutableClock;
import dev.spor.testing.RunningSpor;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports, the consent log and retention over real HTTP against the real server, on a clock
 * the test moves: visitors are seeded through the collection endpoints, and every figure is
 * asserted exactly. Each test works in a time window (or a site) of its own. Run on H2 and on
 * PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReportsContract {
    static final String KEY = "reports-test-key";
    static final String SHOP = "https://www.example.org";
    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);

    @TempDir
    static Path dir;
    RunningSpor spor;
    ApiClient api;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

    /** The settings of the server under test for a config file and a data directory. */
    abstract SporSettings settings(Path config, Path data) throws Exception;

    static String config() {
        return """
                { "country": { "trustedProxies": ["127.0.0.1", "::1"], "header": "X-Country" },
                  "limits": { "perAddressPerSecond": 1000000, "perSitePerSecond": 1000000 },
                  "sites": [
                    { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org", "hosts": ["t.example.org"],
                      "policies": [ { "id": "default", "mode": "opt-in" } ] },
                    { "key": "other", "domains": ["www.example.net"], "cookieDomain": "example.net", "hosts": ["t.example.net"],
                      "policies": [ { "id": "default", "mode": "opt-in" } ] },
                    { "key": "logs", "domains": ["www.example.com"], "cookieDomain": "example.com", "hosts": ["t.example.com"],
                      "policies": [ { "id": "-2-3", "mode": "opt-in" } ] },
                    { "key": "brief", "domains": ["www.example.info"], "cookieDomain": "example.info",
                      "hosts": ["t.example.info"], "policies": [ { "id": "default", "mode": "opt-in" } ], "retentionDays": 30 } ] }
                """;
    }

    @BeforeAll
    void start() throws Exception {
        Path own = Files.createTempDirectory(dir, getClass().getSimpleName());
        Path file = own.resolve("spor.json");
        Files.writeString(file, config());
        spor = RunningSpor.start(settings(file, own.resolve("data")), Path.of(System.getProperty("spor.webRoot", "webapp")),
                clock);
        api = new ApiClient(spor.port(), KEY);
    }

    @AfterAll
    void stop() throws Exception {
        spor.close();
    }

    void at(String instant) {
        clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
    }

    /** A new browser of a site ({@code shop}, {@code logs} ...), from an address of its own. */
    HttpVisitor browser(String site, String tld) {
        int n = ADDRESSES.getAndIncrement();
        return new HttpVisitor(spor.port(), "t.example." + tld, "https://www.example." + tld, "/s/" + site)
                .from("198.51." + (n / 250) + "." + (n % 250 + 1));
    }

    HttpVisitor shopper() {
        return browser("shop", "org");
    }

    /** A browser that accepted on {@code path} of the shop (its first page view). */
    HttpVisitor accepted(HttpVisitor browser, String path) throws Exception {
        assertThat(browser.accept(SHOP + path, id()).statusCode()).isEqualTo(200);
        assertThat(browser.cookie("spor_id_shop")).isNotNull();
        return browser;
    }

    static void view(HttpVisitor browser, String page) throws Exception {
        view(browser, page, null);
    }

    static void view(HttpVisitor browser, String page, String referrer) throws Exception {
        HttpResponse<String> answer = browser.post("/p", "{\"eventId\":\"" + id() + "\",\"url\":\"" + page + "\",\"title\":\"T\""
                + (referrer == null ? "" : ",\"referrer\":\"" + referrer + "\"") + "}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
    }

    static String id() {
        return "e" + UUID.randomUUID().toString().replace("-", "");
    }

    JsonNode report(String query) throws Exception {
        return api.get("/reports/pageviews?site=shop&" + query);
    }

    static List<String> rows(JsonNode report) {
        List<String> rows = new ArrayList<>();
        report.get("rows").forEach(r -> rows.add(r.get("key").asText() + " " + r.get("pageViews").asLong() + "/"
                + r.get("cookies").asLong()));
        return rows;
    }

    static String total(JsonNode report) {
        return report.at("/total/pageViews").asLong() + "/" + report.at("/total/cookies").asLong();
    }

    // ---- page views ----

    @Test
    void pageViewsByDay_countsPeoplesViewsAndDistinctCookies_withZeroDays_withoutBotsOrFiles() throws Exception {
        at("2026-12-01T10:00:00Z");
        HttpVisitor ann = accepted(shopper(), "/");
        view(ann, SHOP + "/pricing");
        accepted(shopper(), "/");
        HttpVisitor crawler = accepted(shopper().header("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1)"), "/");
        view(crawler, SHOP + "/pricing");
        HttpVisitor automated = shopper();
        assertThat(automated.post("/state", "{\"action\":\"accept-all\",\"url\":\"" + SHOP + "/\",\"eventId\":\"" + id()
                + "\",\"webdriver\":true}").statusCode()).isEqualTo(200);
        assertThat(automated.post("/p", "{\"eventId\":\"" + id() + "\",\"url\":\"" + SHOP + "/pricing\",\"webdriver\":true}")
                .statusCode()).isEqualTo(204);
        insertFileView(ann.cookie("spor_id_shop"), clock.instant());
        at("2026-12-03T08:00:00Z");
        view(ann, SHOP + "/pricing");

        JsonNode report = report("from=2026-12-01&to=2026-12-03&groupBy=day");

        assertThat(rows(report)).containsExactly("2026-12-01 3/2", "2026-12-02 0/0", "2026-12-03 1/1");
        assertThat(total(report)).isEqualTo("4/2");
        assertThat(report.get("from").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(report.get("to").asText()).isEqualTo("2026-12-04T00:00:00Z");
        assertThat(report.get("groupBy").asText()).isEqualTo("day");
        assertThat(report.get("tz").asText()).isEqualTo("UTC");
        assertThat(report.get("note").asText()).contains("one person can hold many cookies")
                .contains("one shared browser can hold many people");
        assertThat(report.toString()).doesNotContain("\"visitors\"").doesNotContain("\"people\"");
        assertThat(count("SELECT COUNT(*) FROM page_views WHERE site = 'shop' AND is_bot AND viewed_at < ?",
                Instant.parse("2026-12-02T00:00:00Z"))).as("bots are stored, only left out").isEqualTo(4);
    }

    @Test
    void pageViewsByDay_timeZone_putsALateEveningViewOnTheNextLocalDay() throws Exception {
        at("2026-12-05T23:30:00Z");
        accepted(shopper(), "/late");

        assertThat(rows(report("from=2026-12-05&to=2026-12-06"))).containsExactly("2026-12-05 1/1", "2026-12-06 0/0");
        JsonNode berlin = report("from=2026-12-05&to=2026-12-06&tz=Europe/Berlin");
        assertThat(rows(berlin)).containsExactly("2026-12-05 0/0", "2026-12-06 1/1");
        assertThat(berlin.get("from").asText()).isEqualTo("2026-12-04T23:00:00Z");
        assertThat(berlin.get("tz").asText()).isEqualTo("Europe/Berlin");
    }

    @Test
    void pageViewsByPathCountryReferrer_mostViewedFirst_withLimit() throws Exception {
        at("2026-12-10T12:00:00Z");
        HttpVisitor german = accepted(shopper().header("X-Country", "DE"), "/a");
        view(german, SHOP + "/a", "https://search.example/?q=spor");
        view(german, SHOP + "/b", "https://search.example/?q=spor");
        HttpVisitor french = accepted(shopper().header("X-Country", "FR"), "/a");
        view(french, SHOP + "/a?utm=1");
        String range = "from=2026-12-10T00:00:00Z&to=2026-12-11T00:00:00Z";

        assertThat(rows(report(range + "&groupBy=path"))).containsExactly("/a 4/2", "/b 1/1");
        assertThat(rows(report(range + "&groupBy=path&limit=1"))).containsExactly("/a 4/2");
        assertThat(report(range + "&groupBy=path&limit=1").get("limit").asInt()).isEqualTo(1);
        assertThat(rows(report(range + "&groupBy=country"))).containsExactly("DE 3/1", "FR 2/1");
        assertThat(rows(report(range + "&groupBy=referrer"))).containsExactly("null 3/2", "https://search.example/?q=spor 2/1");
        assertThat(total(report(range + "&groupBy=referrer"))).isEqualTo("5/2");
    }

    @Test
    void pageViews_badParameters_are400WithAReasonNamingTheParameter() throws Exception {
        assertBad("/reports/pageviews?site=shop&groupBy=week", "groupBy");
        assertBad("/reports/pageviews?site=shop&tz=Mars/Olympus", "tz");
        assertBad("/reports/pageviews?site=shop&from=2026-13-01", "from");
        assertBad("/reports/pageviews?site=shop&to=yesterday", "to");
        assertBad("/reports/pageviews?site=shop&from=2026-12-05&to=2026-12-01", "from must be before to");
        assertBad("/reports/pageviews?site=shop&groupBy=path&limit=500", "limit");
        assertBad("/reports/pageviews?site=shop&from=2020-01-01&to=2026-01-01", "groupBy=day covers at most 366");
        assertBad("/reports/pageviews", "site is required");
        assertBad("/consent-log?site=shop&format=xml", "format");
    }

    void assertBad(String path, String reason) throws Exception {
        HttpResponse<String> answer = api.call("GET", path, null);
        assertThat(answer.statusCode()).as(path).isEqualTo(400);
        assertThat(ApiClient.json(answer).get("error").asText()).as(path).contains(reason);
    }

    @Test
    void everyEndpoint_withoutKey_is401_andAnotherSitesIs404() throws Exception {
        String scoped = "scoped-" + UUID.randomUUID();
        insertKey(scoped, "other");
        for (String path : List.of("/reports/pageviews?site=shop", "/reports/consent?site=shop", "/consent-log?site=shop",
                "/consent-log?site=shop&format=csv", "/retention?site=shop")) {
            assertThat(api.as(null).call("GET", path, null).statusCode()).as(path).isEqualTo(401);
            assertThat(api.as("wrong-key").call("GET", path, null).statusCode()).as(path).isEqualTo(401);
            HttpResponse<String> foreign = api.as(scoped).call("GET", path, null);
            assertThat(foreign.statusCode()).as(path).isEqualTo(404);
            assertThat(foreign.body()).contains("no site \\\"shop\\\" for this key");
            assertThat(api.as(scoped).call("GET", path.replace("site=shop", "site=other"), null).statusCode()).as(path)
                    .isEqualTo(200);
        }
        assertThat(api.as(scoped).call("POST", "/retention/run?site=shop", null).statusCode()).isEqualTo(404);
        JsonNode sites = ApiClient.json(api.as(scoped).call("GET", "/retention", null)).get("sites");
        assertThat(sites).hasSize(1);
        assertThat(sites.get(0).get("site").asText()).isEqualTo("other");
    }

    // ---- consent ----

    @Test
    void consentReport_countsDecisionsPerActionAndTheAcceptanceRate() throws Exception {
        at("2026-12-20T09:00:00Z");
        decide(shopper(), "accept-all", null);
        decide(shopper(), "accept-all", null);
        decide(shopper(), "reject-all", null);
        decide(shopper(), "custom", "[\"analytics\"]");
        decide(shopper(), "custom", "[]");
        HttpVisitor changed = shopper();
        decide(changed, "accept-all", null);
        decide(changed, "revoke", null);

        JsonNode report = api.get("/reports/consent?site=shop&from=2026-12-20&to=2026-12-20");

        assertThat(report.get("policies")).hasSize(1);
        JsonNode policy = report.get("policies").get(0);
        assertThat(policy.get("policy").asText()).isEqualTo("default");
        assertThat(policy.get("revision").asInt()).isEqualTo(1);
        assertThat(policy.get("decisions").asLong()).isEqualTo(7);
        assertThat(policy.get("actions").toString())
                .isEqualTo("{\"accept-all\":3,\"reject-all\":1,\"custom\":2,\"revoke\":1,\"gpc\":0}");
        assertThat(policy.get("acceptedAnalytics").asLong()).isEqualTo(4);
        assertThat(policy.get("acceptanceRate").asDouble()).isEqualTo(4.0 / 7);
        assertThat(report.get("definition").asText()).contains("acceptedAnalytics / decisions");
        assertThat(api.get("/reports/consent?site=shop&from=2026-12-21&to=2026-12-22").get("policies")).isEmpty();
    }

    void decide(HttpVisitor browser, String action, String categories) throws Exception {
        HttpResponse<String> answer = browser.post("/state", "{\"action\":\"" + action + "\",\"url\":\"" + SHOP
                + "/consent\",\"eventId\":\"" + id() + "\"" + (categories == null ? "" : ",\"categories\":" + categories) + "}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void consentLog_json_pagesTheRowsInTimeOrder_withTheIpHashNeverTheAddress() throws Exception {
        at("2026-12-24T10:00:00Z");
        HttpVisitor browser = browser("logs", "com").from("203.0.113.77");
        assertThat(browser.accept("https://www.example.com/xmas", id()).statusCode()).isEqualTo(200);
        String visitor = browser.cookie("spor_id_logs");
        assertThat(visitor).isNotNull();
        at("2026-12-24T11:00:00Z");
        assertThat(browser.post("/state", "{\"action\":\"revoke\",\"url\":\"https://www.example.com/xmas\"}").statusCode())
                .isEqualTo(200);
        at("2026-12-24T12:00:00Z");
        assertThat(browser("logs", "com").post("/state", "{\"action\":\"reject-all\",\"url\":\"https://www.example.com/\"}")
                .statusCode()).isEqualTo(200);

        JsonNode all = api.get("/consent-log?site=logs&from=2026-12-24T00:00:00Z&to=2026-12-25T00:00:00Z");
        JsonNode page = api.get("/consent-log?site=logs&from=2026-12-24T00:00:00Z&to=2026-12-25T00:00:00Z&offset=1&limit=1");

        assertThat(all.get("total").asLong()).isEqualTo(3);
        assertThat(all.get("rows")).extracting(r -> r.get("action").asText()).containsExactly("accept-all", "revoke",
                "reject-all");
        JsonNode first = all.get("rows").get(0);
        assertThat(first.get("policyId").asText()).isEqualTo("-2-3");
        assertThat(first.get("policyRevision").asInt()).isEqualTo(1);
        assertThat(first.get("categories").toString()).isEqualTo("[\"necessary\",\"analytics\"]");
        assertThat(first.get("domain").asText()).isEqualTo("www.example.com");
        assertThat(first.get("path").asText()).isEqualTo("/xmas");
        assertThat(first.get("decidedAt").asText()).isEqualTo("2026-12-24T10:00:00Z");
        assertThat(first.get("ipHash").asText()).hasSizeGreaterThanOrEqualTo(16);
        assertThat(first.get("visitorId").asText()).isEqualTo(visitor);
        assertThat(all.toString()).doesNotContain("203.0.113.77").doesNotContain("\"ip\"");
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(page.get("offset").asInt()).isEqualTo(1);
        assertThat(page.get("rows")).extracting(r -> r.get("action").asText()).containsExactly("revoke");
        assertThat(api.get("/consent-log?site=logs").get("from").isNull()).isTrue();
    }

    @Test
    void consentLog_csv_quotesPerRfc4180_andDefusesFormulas() throws Exception {
        at("2026-12-26T10:00:00Z");
        assertThat(browser("logs", "com").accept("https://www.example.com/boxing-day", id()).statusCode()).isEqualTo(200);

        HttpResponse<String> csv = api.call("GET", "/consent-log?site=logs&format=csv&from=2026-12-26&to=2026-12-26", null);

        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("consent-log-logs.csv");
        String[] lines = csv.body().split("\r\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).isEqualTo("id,consentId,policyId,policyRevision,action,categories,source,domain,path,country,"
                + "region,language,decidedAt,validUntil,ipHash,userAgent,visitorId");
        assertThat(lines[1]).contains(",'-2-3,1,accept-all,\"necessary,analytics\",banner,www.example.com,/boxing-day,")
                .contains(",2026-12-26T10:00:00Z,");
        assertThat(lines[2]).isEmpty();
    }

    // ---- retention ----

    @Test
    void retention_deletesOnlyRowsOlderThanTheSitesDays_andRecordsItsRun() throws Exception {
        at("2027-02-01T10:00:00Z");
        HttpVisitor old = browser("brief", "info");
        assertThat(old.accept("https://www.example.info/", id()).statusCode()).isEqualTo(200);
        view(old, "https://www.example.info/old");
        event(old, "https://www.example.info/old");
        at("2027-03-10T10:00:00Z");
        view(old, "https://www.example.info/recent");
        event(old, "https://www.example.info/recent");
        long shopViews = count("SELECT COUNT(*) FROM page_views WHERE site = 'shop' AND viewed_at < ?", clock.instant());

        HttpResponse<String> run = api.call("POST", "/retention/run?site=brief", null);

        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        JsonNode ran = ApiClient.json(run);
        assertThat(ran.get("pageViewsDeleted").asLong()).isEqualTo(2);
        assertThat(ran.get("eventsDeleted").asLong()).isEqualTo(1);
        assertThat(ran.get("cutoff").asText()).isEqualTo("2027-02-08T10:00:00Z");
        assertThat(count("SELECT COUNT(*) FROM page_views WHERE site = 'brief'", null)).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM events WHERE site = 'brief'", null)).isEqualTo(1);
        assertThat(ApiClient.json(api.call("POST", "/retention/run?site=shop", null)).get("pageViewsDeleted").asLong())
                .as("the shop keeps 730 days").isZero();
        assertThat(count("SELECT COUNT(*) FROM page_views WHERE site = 'shop' AND viewed_at < ?", clock.instant()))
                .isEqualTo(shopViews);
        JsonNode brief = site(api.get("/retention"), "brief");
        assertThat(brief.get("retentionDays").asInt()).isEqualTo(30);
        assertThat(brief.at("/lastRun/ranAt").asText()).isEqualTo("2027-03-10T10:00:00Z");
        assertThat(brief.at("/lastRun/pageViewsDeleted").asLong()).isEqualTo(2);
        assertThat(site(api.get("/retention"), "other").get("lastRun").isNull()).isTrue();
        assertThat(site(api.get("/retention"), "other").get("retentionDays").asInt()).isEqualTo(730);
    }

    @Test
    void retention_aRunHeldByAnotherNode_isSkippedUntilItsLeaseExpires() throws Exception {
        at("2027-04-01T10:00:00Z");
        execute("INSERT INTO retention_runs (site, claimed_until) VALUES ('other', ?)", Instant.parse("2027-04-01T10:30:00Z"));

        assertThat(api.call("POST", "/retention/run?site=other", null).statusCode()).isEqualTo(409);
        at("2027-04-01T10:31:00Z");
        assertThat(api.call("POST", "/retention/run?site=other", null).statusCode()).isEqualTo(200);
        assertThat(site(api.get("/retention"), "other").at("/lastRun/ranAt").asText()).isEqualTo("2027-04-01T10:31:00Z");
    }

    static JsonNode site(JsonNode retention, String site) {
        for (JsonNode s : retention.get("sites")) {
            if (s.get("site").asText().equals(site)) {
                return s;
            }
        }
        throw new AssertionError("no site " + site + " in " + retention);
    }

    static void event(HttpVisitor browser, String page) throws Exception {
        HttpResponse<String> answer = browser.post("/e", "{\"eventId\":\"" + id() + "\",\"type\":\"event\",\"name\":\"x\","
                + "\"url\":\"" + page + "\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
    }

    // ---- the database, for what no endpoint can seed ----

    /** A stored page view of a hosted file, which collection never stores: the reports must not count it either. */
    void insertFileView(String visitor, Instant at) throws Exception {
        try (Connection c = spor.app().database().dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO page_views (site, event_id, visitor_id, url, path, viewed_at) VALUES ('shop', ?, ?, ?, ?, ?)")) {
            s.setString(1, id());
            s.setString(2, visitor);
            s.setString(3, SHOP + "/files/price-list.pdf");
            s.setString(4, "/files/price-list.pdf");
            s.setTimestamp(5, Timestamp.from(at));
            s.executeUpdate();
        }
    }

    void insertKey(String key, String sites) throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        try (Connection c = spor.app().database().dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO api_keys (name, key_hash, is_admin, sites, created_at) VALUES (?, ?, FALSE, ?, ?)")) {
            s.setString(1, "scoped");
            s.setString(2, hash);
            s.setString(3, sites);
            s.setTimestamp(4, Timestamp.from(clock.instant()));
            s.executeUpdate();
        }
    }

    long count(String sql, Instant parameter) throws Exception {
        try (Connection c = spor.app().database().dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (parameter != null) {
                s.setTimestamp(1, Timestamp.from(parameter));
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    void execute(String sql, Instant parameter) throws Exception {
        try (Connection c = spor.app().database().dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, Timestamp.from(parameter));
            s.executeUpdate();
        }
    }
}
