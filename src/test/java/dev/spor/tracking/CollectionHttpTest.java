package dev.spor.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spor.server.SporSettings;
import dev.spor.testing.RunningSpor;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collection endpoints {@code /p} (page views) and {@code /e} (events, downloads) over real
 * HTTP against the real server and its embedded database.
 */
class CollectionHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static RunningSpor spor;

    @BeforeAll
    static void start() throws Exception {
        Path file = dir.resolve("spor.json");
        Files.writeString(file, """
                { "sites": [
                    { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org", "hosts": ["t.example.org"],
                      "policies": [ { "id": "default", "mode": "opt-in" } ] },
                    { "key": "lab", "domains": ["www.example.net"], "cookieDomain": "example.net", "hosts": ["t.example.net"],
                      "countAutomation": true, "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }""");
        spor = RunningSpor.start(new SporSettings(file, dir.resolve("data"), null, null, null, "k"));
    }

    @AfterAll
    static void stop() throws Exception {
        spor.close();
    }

    private static TestBrowser shopper() {
        return new TestBrowser(spor.port(), "shop", "example.org");
    }

    /** Rows of a query, each column by its lower-case label. */
    private static List<Map<String, Object>> rows(String sql, Object... args) throws Exception {
        try (Connection c = spor.app().database().dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                ResultSetMetaData meta = r.getMetaData();
                while (r.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), r.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static long count(String sql, Object... args) throws Exception {
        return ((Number) rows(sql, args).get(0).values().iterator().next()).longValue();
    }

    private static long storedFor(TestBrowser browser) throws Exception {
        return count("SELECT COUNT(*) FROM page_views WHERE visitor_id = ?", browser.visitorId())
                + count("SELECT COUNT(*) FROM events WHERE visitor_id = ?", browser.visitorId());
    }

    private static void assertRefused(HttpResponse<String> response, int status, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).path("error").asText()).contains(reason);
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void pageView_sentThreeTimesWithOneEventId_isStoredOnce() throws Exception {
        TestBrowser browser = shopper().accept();

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = browser.pageView("thrice-sent-0001", "/pricing");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
            assertThat(response.headers().allValues("Set-Cookie")).as("collection never sets cookies").isEmpty();
        }

        assertThat(count("SELECT COUNT(*) FROM page_views WHERE event_id = 'thrice-sent-0001'")).isEqualTo(1);
        assertThat(rows("SELECT path, ua_family, is_bot FROM page_views WHERE event_id = 'thrice-sent-0001'").get(0))
                .containsEntry("path", "/pricing").containsEntry("ua_family", "firefox").containsEntry("is_bot", false);
    }

    @Test
    void pageViewAndEvent_withoutConsent_areRefusedAndNothingIsStored() throws Exception {
        TestBrowser stranger = shopper();
        long views = count("SELECT COUNT(*) FROM page_views");
        long events = count("SELECT COUNT(*) FROM events");

        assertRefused(stranger.pageView("no-consent-pv-1", "/"), 403, "no_consent");
        assertRefused(stranger.post("/e", """
                {"eventId":"no-consent-ev-1","type":"event","name":"signup","url":"%s",
                 "identify":{"email":"someone@example.com"}}""".formatted(stranger.page("/"))), 403, "no_consent");

        TestBrowser rejecting = shopper();
        assertThat(rejecting.post("/state", """
                {"action":"reject-all","url":"%s"}""".formatted(rejecting.page("/"))).statusCode()).isEqualTo(200);
        assertRefused(rejecting.post("/e", """
                {"eventId":"no-consent-ev-2","type":"download","name":"https://www.example.org/files/a.pdf","url":"%s"}"""
                .formatted(rejecting.page("/"))), 403, "no_consent");

        assertThat(count("SELECT COUNT(*) FROM page_views")).isEqualTo(views);
        assertThat(count("SELECT COUNT(*) FROM events")).isEqualTo(events);
    }

    @Test
    void trackEvent_withProperties_isStoredWithThem() throws Exception {
        TestBrowser browser = shopper().accept();

        HttpResponse<String> response = browser.post("/e", """
                {"eventId":"event-with-props-1","type":"event","name":"signup","url":"%s","clientTime":%d,"webdriver":false,
                 "properties":{"plan":"pro","seats":3,"price":9.5,"trial":true}}"""
                .formatted(browser.page("/pricing?x=1"), System.currentTimeMillis()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        Map<String, Object> row = rows("SELECT * FROM events WHERE event_id = 'event-with-props-1'").get(0);
        assertThat(row).containsEntry("site", "shop").containsEntry("visitor_id", browser.visitorId())
                .containsEntry("type", "event").containsEntry("name", "signup").containsEntry("path", "/pricing")
                .containsEntry("url", browser.page("/pricing?x=1")).containsEntry("is_bot", false);
        assertThat(row.get("client_time")).isNotNull();
        assertThat(JSON.readTree((String) row.get("properties")))
                .isEqualTo(JSON.readTree("{\"plan\":\"pro\",\"seats\":3,\"price\":9.5,\"trial\":true}"));
    }

    @Test
    void download_isStoredAsAnEvent_neverAsAPageView() throws Exception {
        TestBrowser browser = shopper().accept();
        long views = count("SELECT COUNT(*) FROM page_views WHERE visitor_id = ?", browser.visitorId());
        String file = "https://www.example.org/files/price-list.pdf";

        HttpResponse<String> response = browser.post("/e", """
                {"eventId":"download-click-01","type":"download","name":"%s","url":"%s"}""".formatted(file,
                browser.page("/prices")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        assertThat(rows("SELECT type, name, path FROM events WHERE event_id = 'download-click-01'")).singleElement()
                .isEqualTo(Map.of("type", "download", "name", file, "path", "/prices"));
        assertThat(count("SELECT COUNT(*) FROM page_views WHERE visitor_id = ?", browser.visitorId())).isEqualTo(views);
        assertThat(count("SELECT COUNT(*) FROM page_views WHERE url LIKE '%price-list.pdf%'")).isZero();
        assertRefused(browser.post("/e", """
                {"eventId":"download-click-02","type":"download","name":"price-list.pdf","url":"%s"}"""
                .formatted(browser.page("/prices"))), 400, "file's http(s) URL");
    }

    @Test
    void identify_onPageViewAndOnEvent_isStoredAsIdentifyRowNextToIt() throws Exception {
        TestBrowser browser = shopper().accept();

        HttpResponse<String> view = browser.post("/p", """
                {"eventId":"identify-on-view-1","url":"%s","title":"Thanks",
                 "identify":{"email":"  Ada.Lovelace@Example.COM ","properties":{"company":"Analytical","employees":12}}}"""
                .formatted(browser.page("/thanks")));
        HttpResponse<String> event = browser.post("/e", """
                {"eventId":"identify-on-event1","type":"event","name":"newsletter","url":"%s",
                 "identify":{"email":"ada@example.com","hmac":"0123456789abcdef0123456789abcdef"}}"""
                .formatted(browser.page("/news")));

        assertThat(view.statusCode()).as(view.body()).isEqualTo(204);
        assertThat(event.statusCode()).as(event.body()).isEqualTo(204);
        assertThat(count("SELECT COUNT(*) FROM page_views WHERE event_id = 'identify-on-view-1'")).isEqualTo(1);
        Map<String, Object> fromView = rows("SELECT * FROM events WHERE event_id = 'identify-on-view-1-id'").get(0);
        assertThat(fromView).containsEntry("type", "identify").containsEntry("name", "ada.lovelace@example.com")
                .containsEntry("visitor_id", browser.visitorId()).containsEntry("path", "/thanks");
        assertThat(JSON.readTree((String) fromView.get("properties")))
                .isEqualTo(JSON.readTree("{\"company\":\"Analytical\",\"employees\":12}"));
        assertThat(rows("SELECT type, name, COALESCE(hmac, '-') AS hmac FROM events WHERE event_id LIKE 'identify-on-event1%'"
                + " ORDER BY event_id")).containsExactly(Map.of("type", "event", "name", "newsletter", "hmac", "-"),
                Map.of("type", "identify", "name", "ada@example.com", "hmac", "0123456789abcdef0123456789abcdef"));
    }

    @Test
    void identify_withJunkEmail_isRefusedAndNothingIsStored() throws Exception {
        TestBrowser browser = shopper().accept();
        long before = storedFor(browser);
        List<String> junk = List.of("null", "\"\"", "\"   \"", "\"undefined\"", "\"null\"", "\"ada\"", "\"ada@example\"",
                "\"ada@@example.com\"", "\"a@b@example.com\"", "\"@example.com\"", "\"ada lovelace@example.com\"", "42",
                "\"" + "a".repeat(250) + "@example.com\"");

        for (String email : junk) {
            assertRefused(browser.post("/p", """
                    {"eventId":"identify-junk-0001","url":"%s","identify":{"email":%s}}""".formatted(browser.page("/"), email)),
                    400, "identify.email");
        }
        assertRefused(browser.post("/p", """
                {"eventId":"identify-junk-0002","url":"%s","identify":{"email":"ada@example.com","name":"Ada"}}"""
                .formatted(browser.page("/"))), 400, "unknown field identify.name");
        assertRefused(browser.post("/e", """
                {"eventId":"identify-junk-0003","type":"event","name":"x","url":"%s",
                 "identify":{"email":"ada@example.com","properties":{"address":{"city":"London"}}}}"""
                .formatted(browser.page("/"))), 400, "identify.properties.address");

        assertThat(storedFor(browser)).isEqualTo(before);
    }

    @Test
    void event_withInvalidFields_isRefusedWithItsReasonAndNothingIsStored() throws Exception {
        TestBrowser browser = shopper().accept();
        long before = storedFor(browser);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("\"properties\":{\"nested\":{\"a\":1}}", "properties.nested must be a string, a number or a boolean");
        cases.put("\"properties\":{\"list\":[1,2]}", "properties.list must be a string, a number or a boolean");
        cases.put("\"properties\":{\"nothing\":null}", "properties.nothing must be a string, a number or a boolean");
        cases.put("\"properties\":{" + many + "}", "properties has more than 20 keys");
        cases.put("\"properties\":{\"" + "k".repeat(65) + "\":1}", "keys must be 1 to 64 characters");
        cases.put("\"properties\":{\"long\":\"" + "v".repeat(257) + "\"}", "properties.long is longer than 256");
        cases.put("\"properties\":[1]", "properties must be an object");
        cases.put("\"properties\":{},\"extra\":1", "unknown field extra");
        cases.put("\"webdriver\":\"yes\"", "webdriver must be true or false");

        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertRefused(browser.post("/e", """
                    {"eventId":"invalid-event-0001","type":"event","name":"signup","url":"%s",%s}"""
                    .formatted(browser.page("/"), c.getKey())), 400, c.getValue());
        }
        assertRefused(browser.post("/e", """
                {"eventId":"invalid-event-0002","type":"event","name":"%s","url":"%s"}""".formatted("n".repeat(101),
                browser.page("/"))), 400, "name is longer than 100");
        assertRefused(browser.post("/e", """
                {"eventId":"invalid-event-0003","type":"identify","name":"x","url":"%s"}""".formatted(browser.page("/"))),
                400, "type must be event or download");
        assertRefused(browser.post("/e", """
                {"eventId":"invalid-event-0004","type":"event","url":"%s"}""".formatted(browser.page("/"))), 400, "name is required");
        assertRefused(browser.post("/e", """
                {"eventId":"invalid-event-0005","type":"event","name":"x","url":"https://elsewhere.example/"}"""), 400,
                "url must be a page on one of the site's domains");
        assertRefused(browser.post("/e", "{\"eventId\":\"invalid-event-0006\",\"pad\":\"" + "x".repeat(9000) + "\"}"), 413,
                "body larger than 8192 bytes");
        assertRefused(browser.post("/p", """
                {"eventId":"invalid-view-00001","url":"%s","action":"accept-all"}""".formatted(browser.page("/"))), 400,
                "unknown field action");

        assertThat(storedFor(browser)).isEqualTo(before);
    }

    @Test
    void botsAndAutomation_areStoredFlagged_unlessTheSiteCountsAutomation() throws Exception {
        TestBrowser headless = shopper();
        headless.userAgent = TestBrowser.HEADLESS_CHROME;
        headless.accept();
        TestBrowser driven = shopper().accept();
        TestBrowser labHeadless = new TestBrowser(spor.port(), "lab", "example.net");
        labHeadless.userAgent = TestBrowser.HEADLESS_CHROME;
        labHeadless.accept();

        assertThat(headless.pageView("bot-headless-0001", "/").statusCode()).isEqualTo(204);
        assertThat(driven.post("/p", """
                {"eventId":"bot-webdriver-001","url":"%s","webdriver":true}""".formatted(driven.page("/"))).statusCode())
                .isEqualTo(204);
        assertThat(driven.post("/e", """
                {"eventId":"bot-webdriver-002","type":"event","name":"x","url":"%s","webdriver":true}"""
                .formatted(driven.page("/"))).statusCode()).isEqualTo(204);
        assertThat(labHeadless.pageView("lab-headless-0001", "/").statusCode()).isEqualTo(204);
        assertThat(labHeadless.post("/p", """
                {"eventId":"lab-webdriver-001","url":"%s","webdriver":true}""".formatted(labHeadless.page("/a"))).statusCode())
                .isEqualTo(204);

        assertThat(rows("SELECT ua_family, is_bot FROM page_views WHERE event_id = 'bot-headless-0001'")).singleElement()
                .isEqualTo(Map.of("ua_family", "bot", "is_bot", true));
        assertThat(rows("SELECT ua_family, is_bot FROM page_views WHERE event_id = 'bot-webdriver-001'")).singleElement()
                .isEqualTo(Map.of("ua_family", "firefox", "is_bot", true));
        assertThat(rows("SELECT is_bot FROM events WHERE event_id = 'bot-webdriver-002'")).singleElement()
                .isEqualTo(Map.of("is_bot", true));
        assertThat(rows("SELECT event_id, is_bot FROM page_views WHERE site = 'lab' AND event_id LIKE 'lab-%' ORDER BY event_id"))
                .containsExactly(Map.of("event_id", "lab-headless-0001", "is_bot", false),
                        Map.of("event_id", "lab-webdriver-001", "is_bot", false));
    }

    @Test
    void storageFailure_answers500WithAShortReason_andOtherBeaconsAreStored() throws Exception {
        try (Connection c = spor.app().database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE page_views ADD CONSTRAINT refuse_poison CHECK (path <> '/poison')");
        }
        try {
            TestBrowser browser = shopper().accept();

            HttpResponse<String> poisoned = browser.pageView("poisoned-view-001", "/poison");
            HttpResponse<String> fine = browser.pageView("fine-view-000001", "/fine");

            assertThat(poisoned.statusCode()).isEqualTo(500);
            JsonNode body = JSON.readTree(poisoned.body());
            assertThat(body.path("error").asText()).isEqualTo("storage_failed");
            assertThat(poisoned.body()).doesNotContain("Exception").doesNotContain("CHECK").doesNotContain("at ");
            assertThat(fine.statusCode()).isEqualTo(204);
            assertThat(count("SELECT COUNT(*) FROM page_views WHERE visitor_id = ? AND path = '/fine'", browser.visitorId()))
                    .isEqualTo(1);
        } finally {
            try (Connection c = spor.app().database().dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE page_views DROP CONSTRAINT refuse_poison");
            }
        }
    }
}
