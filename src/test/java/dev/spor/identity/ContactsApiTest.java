package dev.spor.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spor.server.SporSettings;
import dev.spor.testing.ApiClient;
import dev.spor.testing.DatabaseScan;
import dev.spor.testing.HttpVisitor;
import dev.spor.testing.RunningSpor;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contacts part of the API over real HTTP: every endpoint, its 401, its 404 for another site's key, its 400s. */
class ContactsApiTest {
    private static final String SITE = "https://www.example.org";
    @TempDir
    static Path dir;
    private static RunningSpor spor;
    private static ApiClient api;
    private static String otherSitesKey;

    @BeforeAll
    static void start() throws Exception {
        Path config = dir.resolve("spor.json");
        Files.writeString(config, IdentityContract.config());
        spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"), null, null, null, "admin-key"));
        api = new ApiClient(spor.port(), "admin-key");
        HttpResponse<String> created = api.call("POST", "/keys", "{\"name\":\"safe only\",\"sites\":[\"safe\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        otherSitesKey = ApiClient.json(created).path("key").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        spor.close();
    }

    private static String id() {
        return "e" + UUID.randomUUID().toString().replace("-", "");
    }

    /** A consented browser that viewed /, /pricing/team and /blog, then submitted the contact form as {@code email}. */
    private static HttpVisitor person(String email) throws Exception {
        HttpVisitor browser = new HttpVisitor(spor.port(), "t.example.org", SITE, "/s/shop").from("198.18.0." + (email.length() % 200));
        assertThat(browser.accept(SITE + "/", id()).statusCode()).isEqualTo(200);
        assertThat(browser.pageView(SITE + "/pricing/team", id(), null).statusCode()).isEqualTo(204);
        assertThat(browser.pageView(SITE + "/blog", id(), null).statusCode()).isEqualTo(204);
        assertThat(browser.post("/e", "{\"eventId\":\"" + id() + "\",\"url\":\"" + SITE + "/blog\",\"type\":\"event\","
                + "\"name\":\"signup-click\"}").statusCode()).isEqualTo(204);
        assertThat(browser.post("/f", "{\"eventId\":\"" + id() + "\",\"form\":\"contact\",\"url\":\"" + SITE
                + "/contact\",\"fields\":{\"email\":\"" + email + "\"}}").statusCode()).isEqualTo(204);
        return browser;
    }

    private static long contactId(String email) throws Exception {
        return api.get("/contacts?site=shop&email=" + email).path("contacts").path(0).path("id").asLong();
    }

    @Test
    void timeline_listsEverythingInTimeOrder() throws Exception {
        String email = "timeline-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        person(email);
        long id = contactId(email);

        JsonNode items = api.get("/contacts/" + id + "/timeline?site=shop").path("items");

        List<String> types = new ArrayList<>();
        List<String> times = new ArrayList<>();
        items.forEach(item -> {
            types.add(item.path("type").asText());
            times.add(item.path("at").asText());
        });
        assertThat(types).contains("consent", "page-view", "event", "form-submission", "identity-change");
        assertThat(types.stream().filter("page-view"::equals).count()).isEqualTo(3);
        assertThat(times).isSortedAccordingTo(java.util.Comparator.comparing(java.time.Instant::parse));
    }

    @Test
    void viewedFilter_findsContactsByPathPattern_fileUrlRejected() throws Exception {
        String viewer = "viewer-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        person(viewer);

        JsonNode pricing = api.get("/contacts?site=shop&viewed=/pricing/**&since=2000-01-01");
        JsonNode none = api.get("/contacts?site=shop&viewed=/careers/**");
        HttpResponse<String> file = api.call("GET", "/contacts?site=shop&viewed=/files/price-list.pdf", null);
        HttpResponse<String> badPattern = api.call("GET", "/contacts?site=shop&viewed=pricing", null);

        assertThat(pricing.path("contacts").findValuesAsText("primaryEmail")).contains(viewer);
        assertThat(none.path("contacts")).isEmpty();
        assertThat(file.statusCode()).isEqualTo(400);
        assertThat(file.body()).contains("hosted files (/files/...) are never page views");
        assertThat(badPattern.statusCode()).isEqualTo(400);
        assertThat(badPattern.body()).contains("viewed must start with");
    }

    @Test
    void visitor_pageViews_anonymousHistory() throws Exception {
        HttpVisitor browser = person("visitor-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com");

        JsonNode views = api.get("/visitors/" + browser.cookie("spor_id_shop") + "?site=shop").path("pageViews");

        assertThat(views.findValuesAsText("path")).containsExactly("/", "/pricing/team", "/blog");
    }

    @Test
    void export_holdsEverythingAboutThePerson() throws Exception {
        String email = "export-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        person(email);

        HttpResponse<String> answer = api.call("GET", "/contacts/" + contactId(email) + "/export?site=shop", null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment");
        JsonNode export = ApiClient.json(answer);
        assertThat(export.path("emails").get(0).asText()).isEqualTo(email);
        assertThat(export.path("pageViews")).hasSize(3);
        assertThat(export.path("submissions")).hasSize(1);
        assertThat(export.path("consentDecisions")).hasSize(1);
        assertThat(export.path("history")).isNotEmpty();
    }

    @Test
    void erasure_leavesNoTableHoldingTheEmailOrVisitorIds_consentLogKeepsItsRowUnlinked() throws Exception {
        String email = "erase-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        HttpVisitor browser = person(email);
        String visitor = browser.cookie("spor_id_shop");
        long id = contactId(email);
        long consentRows = count("SELECT COUNT(*) FROM consent_log");

        HttpResponse<String> erased = api.call("DELETE", "/contacts/" + id + "?site=shop", null);

        assertThat(erased.statusCode()).isEqualTo(204);
        assertThat(DatabaseScan.everyValue(spor.app().database().dataSource()))
                .noneMatch(v -> v.contains(email) || v.contains(visitor));
        assertThat(count("SELECT COUNT(*) FROM consent_log")).isEqualTo(consentRows);
        assertThat(api.call("GET", "/contacts/" + id + "?site=shop", null).statusCode()).isEqualTo(404);
        assertThat(api.call("DELETE", "/contacts/" + id + "?site=shop", null).statusCode()).isEqualTo(404);
    }

    @Test
    void everyEndpoint_withoutKey_is401() throws Exception {
        ApiClient anonymous = api.as(null);
        for (String[] call : new String[][] {{"GET", "/contacts?site=shop"}, {"GET", "/contacts/1?site=shop"},
            {"GET", "/contacts/1/timeline?site=shop"}, {"GET", "/contacts/1/export?site=shop"},
            {"DELETE", "/contacts/1?site=shop"}, {"GET", "/visitors/AAAAAAAAAAAAAAAAAAAAAA?site=shop"},
            {"POST", "/contacts/import?site=shop"}, {"POST", "/email-links"}, {"POST", "/forms/contact/submissions"},
            {"GET", "/keys"}, {"GET", "/sites"}, {"POST", "/sites/validate"}, {"GET", "/files"}, {"GET", "/nope"}}) {
            HttpResponse<String> answer = anonymous.call(call[0], call[1], "{}");
            assertThat(answer.statusCode()).as(call[0] + " " + call[1]).isEqualTo(401);
            assertThat(answer.body()).isEqualTo("{\"error\":\"a valid API key is required\"}");
        }
    }

    @Test
    void anotherSitesKey_getsNotFound_forThisSitesContacts() throws Exception {
        String email = "scoped-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        person(email);
        long id = contactId(email);
        ApiClient other = api.as(otherSitesKey);

        for (String path : List.of("/contacts/" + id + "?site=shop", "/contacts/" + id + "/timeline?site=shop",
                "/contacts?site=shop&email=" + email, "/contacts/" + id + "?site=safe")) {
            HttpResponse<String> answer = other.call("GET", path, null);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.body()).doesNotContain(email);
        }
        assertThat(other.call("DELETE", "/contacts/" + id + "?site=shop", null).statusCode()).isEqualTo(404);
        assertThat(api.call("GET", "/contacts/" + id + "?site=shop", null).statusCode()).isEqualTo(200);
    }

    @Test
    void badParameters_are400WithReasons() throws Exception {
        assertThat(api.call("GET", "/contacts", null).body()).isEqualTo("{\"error\":\"site is required\"}");
        assertThat(api.call("GET", "/contacts?site=shop&limit=0", null).body())
                .isEqualTo("{\"error\":\"limit must be a whole number from 1 to 200\"}");
        assertThat(api.call("GET", "/contacts?site=shop&email=nope", null).body()).contains("email must be one name");
        assertThat(api.call("GET", "/contacts?site=shop&viewed=/a/**&since=yesterday", null).body())
                .contains("since must be a date");
        assertThat(api.call("POST", "/contacts/1?site=shop", null).statusCode()).isEqualTo(405);
        assertThat(api.call("POST", "/forms/contact/submissions", "{\"site\":\"shop\",\"fields\":{\"email\":\"x\"}}").body())
                .contains("field email");
        assertThat(api.call("POST", "/forms/contact/submissions", "{\"site\":\"shop\",\"fields\":{},\"extra\":1}").body())
                .contains("unknown field extra");
    }

    private static long count(String sql) throws Exception {
        try (Connection c = spor.app().database().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
