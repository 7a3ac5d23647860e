package dev.spor.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spor.server.SporSettings;
import dev.spor.testing.HttpVisitor;
import dev.spor.testing.RunningSpor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity rules of SPEC §3 over real HTTP against the real server: one test per row of
 * the table, and the cases the identity issue names. Run on H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IdentityContract {
    static final String KEY = "identity-test-key";
    static final String SECRET = "0123456789abcdef0123456789abcdef-site-secret";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);
    static final String SITE = "https://www.example.org";

    @TempDir
    static Path dir;
    RunningSpor spor;

    /** The settings of the server under test for a config file and a data directory. */
    abstract SporSettings settings(Path config, Path data) throws Exception;

    static String config() {
        return """
                { "country": { "trustedProxies": ["127.0.0.1", "::1"] },
                  "sites": [
                    { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org", "hosts": ["t.example.org"],
                      "policies": [ { "id": "default", "mode": "opt-in" } ],
                      "forms": [ { "id": "contact", "emailField": "email" },
                                 { "id": "kiosk", "emailField": "email", "alwaysCreateNewContact": true } ] },
                    { "key": "safe", "domains": ["www.example.net"], "cookieDomain": "example.net", "hosts": ["t.example.net"],
                      "policies": [ { "id": "default", "mode": "opt-in" } ],
                      "identity": { "secret": "%s", "required": true } } ] }
                """.formatted(SECRET);
    }

    @BeforeAll
    void start() throws Exception {
        Path own = Files.createTempDirectory(dir, getClass().getSimpleName());
        Path file = own.resolve("spor.json");
        Files.writeString(file, config());
        spor = RunningSpor.start(settings(file, own.resolve("data")));
    }

    @AfterAll
    void stop() throws Exception {
        spor.close();
    }

    /** A new browser of the shop, from an address of its own (so rate limits stay apart). */
    HttpVisitor browser() {
        int n = ADDRESSES.getAndIncrement();
        return new HttpVisitor(spor.port(), "t.example.org", SITE, "/s/shop").from("198.51." + (n / 250) + "." + (n % 250 + 1));
    }

    /** A browser that accepted tracking on the home page (its first page view). */
    HttpVisitor consented() throws Exception {
        HttpVisitor browser = browser();
        assertThat(browser.accept(SITE + "/", id()).statusCode()).isEqualTo(200);
        assertThat(browser.cookie("spor_id_shop")).isNotNull();
        return browser;
    }

    static String id() {
        return "e" + UUID.randomUUID().toString().replace("-", "");
    }

    static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    static int submit(HttpVisitor browser, String form, String email) throws Exception {
        return submit(browser, form, email, id());
    }

    static int submit(HttpVisitor browser, String form, String email, String eventId) throws Exception {
        return browser.post("/f", """
                {"eventId":"%s","form":"%s","url":"%s/contact","title":"Contact","fields":{"email":"%s","name":"Ann"}}
                """.formatted(eventId, form, SITE, email)).statusCode();
    }

    void view(HttpVisitor browser, String path) throws Exception {
        assertThat(browser.pageView(SITE + path, id(), null).statusCode()).isEqualTo(204);
    }

    Contacts contacts() {
        return spor.app().identity().contacts();
    }

    Contacts.Contact contact(String email) {
        return contacts().byEmail("shop", email).orElseThrow(() -> new AssertionError("no contact " + email));
    }

    List<String> viewedPaths(Contacts.Contact contact) {
        return contacts().pageViews("shop", contact.id()).stream().map(Contacts.ContactPageView::path).toList();
    }

    HttpResponse<String> api(String method, String path, String body) throws Exception {
        return api(method, path, body, "application/json", KEY);
    }

    HttpResponse<String> api(String method, String path, String body, String type, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(spor.url("/api/v1" + path)))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", type)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- SPEC §3, one test per row of the table ----

    @Test
    void formSubmission_existingEmail_linksCookieToThatContactWithItsEarlierPageViews() throws Exception {
        String email = unique("known");
        assertThat(submit(browser(), "contact", email)).isEqualTo(204); // the contact exists, no visitor
        HttpVisitor browser = consented();
        view(browser, "/pricing");

        assertThat(submit(browser, "contact", email.toUpperCase())).isEqualTo(204);

        Contacts.Contact contact = contact(email);
        assertThat(contact.visitors()).containsExactly(browser.cookie("spor_id_shop"));
        assertThat(viewedPaths(contact)).containsExactly("/", "/pricing");
        assertThat(contacts().submissions("shop", contact.id())).hasSize(2);
    }

    @Test
    void formSubmission_newEmail_cookieLinkedToX_makesItXsPrimaryEmailAndKeepsTheOld() throws Exception {
        HttpVisitor browser = consented();
        String first = unique("first");
        String second = unique("second");
        submit(browser, "contact", first);
        long x = contact(first).id();

        assertThat(submit(browser, "contact", second)).isEqualTo(204);

        Contacts.Contact updated = contact(second);
        assertThat(updated.id()).isEqualTo(x);
        assertThat(updated.primaryEmail()).isEqualTo(second);
        assertThat(updated.emails()).containsExactlyInAnyOrder(first, second);
        assertThat(contact(first).id()).isEqualTo(x);
        assertThat(contacts().submissions("shop", x)).extracting(Contacts.Submission::email).containsExactly(first, second);
        assertThat(contacts().history("shop", x)).extracting(Contacts.Change::change).contains("created", "primary-email");
    }

    @Test
    void formSubmission_newEmail_cookieNotLinked_createsContactAndLinksCookie() throws Exception {
        HttpVisitor browser = consented();
        String email = unique("new");

        assertThat(submit(browser, "contact", email)).isEqualTo(204);

        Contacts.Contact contact = contact(email);
        assertThat(contact.emails()).containsExactly(email);
        assertThat(contact.visitors()).containsExactly(browser.cookie("spor_id_shop"));
        assertThat(viewedPaths(contact)).containsExactly("/");
    }

    @Test
    void kioskForm_existingEmail_goesToThatContact() throws Exception {
        String email = unique("kiosk-known");
        submit(browser(), "contact", email);
        long existing = contact(email).id();
        HttpVisitor kiosk = consented();

        assertThat(submit(kiosk, "kiosk", email)).isEqualTo(204);

        assertThat(contact(email).id()).isEqualTo(existing);
        assertThat(contacts().submissions("shop", existing)).hasSize(2);
        assertThat(contact(email).visitors()).containsExactly(kiosk.cookie("spor_id_shop"));
    }

    @Test
    void kioskForm_newEmail_createsNewContactWhateverTheCookieIsLinkedTo_andRelinksFromNowOn() throws Exception {
        HttpVisitor kiosk = consented();
        String ann = unique("ann");
        String bob = unique("bob");
        submit(kiosk, "kiosk", ann);
        view(kiosk, "/ann-looks");

        assertThat(submit(kiosk, "kiosk", bob)).isEqualTo(204);
        view(kiosk, "/bob-looks");

        Contacts.Contact first = contact(ann);
        Contacts.Contact second = contact(bob);
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(first.emails()).containsExactly(ann);
        assertThat(second.emails()).containsExactly(bob);
        assertThat(second.visitors()).containsExactly(kiosk.cookie("spor_id_shop"));
        assertThat(first.visitors()).isEmpty();
        assertThat(viewedPaths(first)).containsExactly("/", "/ann-looks");
        assertThat(viewedPaths(second)).containsExactly("/bob-looks");
    }

    // ---- the cases the identity issue names ----

    @Test
    void sharedBrowser_twoPeopleTwoEmails_oneContactWithBothEmailsAndBothSubmissions() throws Exception {
        HttpVisitor shared = consented();
        String ann = unique("ann-shared");
        String bob = unique("bob-shared");
        submit(shared, "contact", ann);
        submit(shared, "contact", bob);

        Contacts.Contact merged = contact(ann);
        assertThat(contact(bob).id()).isEqualTo(merged.id());
        assertThat(merged.emails()).containsExactlyInAnyOrder(ann, bob);
        assertThat(contacts().submissions("shop", merged.id())).hasSize(2);
    }

    @Test
    void cookieCleared_sameEmailAgain_oneContactWithTwoVisitors() throws Exception {
        String email = unique("returning");
        HttpVisitor before = consented();
        submit(before, "contact", email);
        HttpVisitor after = consented(); // the same person after deleting cookies: a new visitor

        submit(after, "contact", email);

        Contacts.Contact contact = contact(email);
        assertThat(contact.visitors()).containsExactlyInAnyOrder(before.cookie("spor_id_shop"), after.cookie("spor_id_shop"));
        assertThat(viewedPaths(contact)).containsExactly("/", "/");
        assertThat(contacts().count("shop")).isPositive();
    }

    @Test
    void importedContact_thenFormWithItsEmail_linksTheCookieToIt() throws Exception {
        String email = unique("imported");
        HttpResponse<String> imported = api("POST", "/contacts/import?site=shop", "email,company\n" + email + ",Acme\n",
                "text/csv", KEY);
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        long id = contact(email).id();
        HttpVisitor browser = consented();

        submit(browser, "contact", email);

        assertThat(contact(email).id()).isEqualTo(id);
        assertThat(contact(email).visitors()).containsExactly(browser.cookie("spor_id_shop"));
        assertThat(contact(email).properties()).contains("\"company\":\"Acme\"").contains("\"name\":\"Ann\"");
    }

    @Test
    void submissionWithoutConsent_createsContactWithNoPageViews() throws Exception {
        HttpVisitor undecided = browser();
        String email = unique("undecided");
        HttpVisitor rejecting = browser();
        assertThat(rejecting.post("/state", "{\"action\":\"reject-all\",\"url\":\"" + SITE + "/\"}").statusCode()).isEqualTo(200);
        String rejected = unique("rejecting");

        assertThat(submit(undecided, "contact", email)).isEqualTo(204);
        assertThat(submit(rejecting, "contact", rejected)).isEqualTo(204);

        for (String each : List.of(email, rejected)) {
            Contacts.Contact contact = contact(each);
            assertThat(contact.visitors()).isEmpty();
            assertThat(contacts().pageViews("shop", contact.id())).isEmpty();
            assertThat(contacts().submissions("shop", contact.id())).singleElement()
                    .satisfies(s -> assertThat(s.visitorId()).isNull());
        }
    }

    @Test
    void formSubmission_retriedWithTheSameEventId_isStoredOnce() throws Exception {
        HttpVisitor browser = consented();
        String email = unique("retry");
        String eventId = id();
        for (int i = 0; i < 3; i++) {
            assertThat(submit(browser, "contact", email, eventId)).isEqualTo(204);
        }
        assertThat(contacts().submissions("shop", contact(email).id())).hasSize(1);
    }

    @Test
    void formSubmissions_sameNewEmailFromManyBrowsersAtOnce_oneContact() throws Exception {
        String email = unique("race");
        List<HttpVisitor> browsers = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            browsers.add(consented());
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (HttpVisitor browser : browsers) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return submit(browser, "contact", email);
                }));
            }
            start.countDown();
            for (var answer : answers) {
                assertThat(answer.get()).isEqualTo(204);
            }
        } finally {
            pool.shutdownNow();
        }
        Contacts.Contact contact = contact(email);
        assertThat(contact.emails()).containsExactly(email);
        assertThat(contact.visitors()).hasSize(16);
        assertThat(contacts().submissions("shop", contact.id())).hasSize(16);
    }

    @Test
    void formEndpoint_badInput_clearReasonsAndNothingStored() throws Exception {
        HttpVisitor browser = consented();
        long before = contacts().count("shop");

        HttpResponse<String> badEmail = browser.post("/f", """
                {"eventId":"%s","form":"contact","url":"%s/","fields":{"email":"not an email"}}""".formatted(id(), SITE));
        HttpResponse<String> unknownForm = browser.post("/f", """
                {"eventId":"%s","form":"nope","url":"%s/","fields":{"email":"a@example.com"}}""".formatted(id(), SITE));
        HttpResponse<String> foreignPage = browser.post("/f", """
                {"eventId":"%s","form":"contact","url":"https://evil.example/","fields":{"email":"a@example.com"}}"""
                .formatted(id()));
        HttpResponse<String> notJson = browser.post("/f", "{\"eventId\":");
        HttpResponse<String> tooBig = browser.post("/f", "{\"x\":\"" + "a".repeat(40_000) + "\"}");

        assertThat(badEmail.statusCode()).isEqualTo(400);
        assertThat(badEmail.body()).contains("field email");
        assertThat(unknownForm.statusCode()).isEqualTo(404);
        assertThat(foreignPage.statusCode()).isEqualTo(400);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).isEqualTo("{\"error\":\"body is not JSON\"}");
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(contacts().count("shop")).isEqualTo(before);
    }

    @Test
    void formEndpoint_otherOrigin_isRefused() throws Exception {
        HttpVisitor stranger = new HttpVisitor(spor.port(), "t.example.org", "https://evil.example", "/s/shop").from("192.0.2.9");
        HttpResponse<String> answer = stranger.post("/f", """
                {"eventId":"%s","form":"contact","url":"%s/","fields":{"email":"%s"}}""".formatted(id(), SITE, unique("x")));
        assertThat(answer.statusCode()).isEqualTo(403);
    }

    @Test
    void formEndpoint_floodFromOneAddress_isRateLimitedWhileOthersGoOn() throws Exception {
        HttpVisitor flooder = browser();
        int limited = 0;
        for (int i = 0; i < Identity.BURST + 10; i++) {
            int status = flooder.post("/f", """
                    {"eventId":"%s","form":"contact","url":"%s/","fields":{"email":"flood@example.com"}}"""
                    .formatted(id(), SITE)).statusCode();
            limited += status == 429 ? 1 : 0;
        }
        assertThat(limited).isGreaterThanOrEqualTo(5);
        assertThat(submit(browser(), "contact", unique("other"))).isEqualTo(204);
    }

    // ---- identify ----

    @Test
    void identify_withAPageView_followsTheFormRules() throws Exception {
        HttpVisitor browser = consented();
        String email = unique("identified");

        assertThat(browser.pageView(SITE + "/account", id(), "{\"email\":\"" + email + "\",\"properties\":{\"plan\":\"team\"}}")
                .statusCode()).isEqualTo(204);

        Contacts.Contact contact = awaitContact("shop", email);
        assertThat(contact.visitors()).containsExactly(browser.cookie("spor_id_shop"));
        assertThat(contact.properties()).contains("\"plan\":\"team\"");
        assertThat(viewedPaths(contact)).containsExactly("/", "/account");
    }

    @Test
    void identify_verificationRequired_unverifiedIgnored_verifiedApplied() throws Exception {
        HttpVisitor browser = new HttpVisitor(spor.port(), "t.example.net", "https://www.example.net", "/s/safe")
                .from("203.0.113.77");
        assertThat(browser.accept("https://www.example.net/", id()).statusCode()).isEqualTo(200);
        String forged = unique("victim");
        String honest = unique("honest");
        long ignoredBefore = spor.app().identity().identities().unverifiedIdentifies();

        browser.pageView("https://www.example.net/a", id(), "{\"email\":\"" + forged + "\"}");
        browser.pageView("https://www.example.net/b", id(), "{\"email\":\"" + forged + "\",\"hmac\":\""
                + EmailTokens.identityHmac("wrong-secret-wrong-secret-wrong-secret", forged) + "\"}");
        browser.pageView("https://www.example.net/c", id(), "{\"email\":\"" + honest + "\",\"hmac\":\""
                + EmailTokens.identityHmac(SECRET, honest) + "\"}");

        awaitContact("safe", honest);
        assertThat(contacts().byEmail("safe", forged)).isEmpty();
        assertThat(spor.app().identity().identities().unverifiedIdentifies() - ignoredBefore).isEqualTo(2);
    }

    Contacts.Contact awaitContact(String site, String email) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            var found = contacts().byEmail(site, email);
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no contact " + email + " after 10 s");
    }

    // ---- marketing-email links ----

    String emailLink(String email, String send, String url) throws Exception {
        HttpResponse<String> answer = api("POST", "/email-links",
                "{\"site\":\"shop\",\"email\":\"" + email + "\",\"send\":\"" + send + "\",\"url\":\"" + url + "\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String link = JSON.readTree(answer.body()).path("url").asText();
        assertThat(link).startsWith(url.contains("?") ? url + "&sptk=" : url + "?sptk=");
        return link.substring(link.indexOf("sptk=") + 5);
    }

    HttpResponse<String> land(HttpVisitor browser, String token) throws Exception {
        return browser.post("/t", "{\"eventId\":\"" + id() + "\",\"token\":\"" + token + "\",\"url\":\"" + SITE + "/offer\"}");
    }

    @Test
    void emailToken_firstUseLinks_secondBrowserOnlyPossibly_withoutConsentOnlyTheClick() throws Exception {
        String email = unique("reader");
        String token = emailLink(email, "spring-2026", SITE + "/offer?utm_source=mail");
        HttpVisitor noConsent = browser();
        HttpVisitor reader = consented();
        HttpVisitor forwardee = consented();

        assertThat(land(noConsent, token).statusCode()).isEqualTo(204); // does not use the token up
        assertThat(land(reader, token).statusCode()).isEqualTo(204);
        view(reader, "/offer");
        assertThat(land(forwardee, token).statusCode()).isEqualTo(204);
        view(forwardee, "/forwarded-look");

        Contacts.Contact contact = contact(email);
        assertThat(contacts().clicks("shop", contact.id())).extracting(Contacts.Click::outcome)
                .containsExactly("no-consent", "linked", "possible");
        assertThat(contact.visitors()).containsExactly(reader.cookie("spor_id_shop"));
        assertThat(viewedPaths(contact)).containsExactly("/", "/offer");
        assertThat(contacts().possiblePageViews("shop", contact.id())).extracting(Contacts.ContactPageView::path)
                .containsExactly("/", "/forwarded-look");
        assertThat(contacts().ofVisitor("shop", forwardee.cookie("spor_id_shop"))).isEmpty();
    }

    @Test
    void emailToken_forgedOrAltered_isIgnoredWithoutAnError() throws Exception {
        String email = unique("target");
        String token = emailLink(email, "s1", SITE + "/");
        String altered = token.replaceFirst("^[0-9a-z]+", "1");
        HttpVisitor browser = consented();
        long before = spor.app().identity().identities().badTokens();

        assertThat(land(browser, altered).statusCode()).isEqualTo(204);
        assertThat(land(browser, "abc.def.ghi.jklmnopqrstuvwxyz012345").statusCode()).isEqualTo(204);

        assertThat(spor.app().identity().identities().badTokens() - before).isEqualTo(2);
        assertThat(contacts().clicks("shop", contact(email).id())).isEmpty();
        assertThat(contacts().ofVisitor("shop", browser.cookie("spor_id_shop"))).isEmpty();
    }

    @Test
    void emailLinks_targetOutsideTheSite_isRefused_noOpenRedirect() throws Exception {
        HttpResponse<String> answer = api("POST", "/email-links",
                "{\"site\":\"shop\",\"email\":\"a@example.com\",\"send\":\"s\",\"url\":\"https://evil.example/\"}");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("url must be");
    }

    // ---- the API ----

    @Test
    void api_withoutAValidKey_is401AndRevealsNothing() throws Exception {
        for (String key : new String[] {null, "wrong", ""}) {
            HttpResponse<String> answer = api("GET", "/contacts?site=shop", null, "application/json", key);
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.body()).isEqualTo("{\"error\":\"a valid API key is required\"}");
        }
    }

    @Test
    void api_backendFormSubmission_withTheVisitorsCookie_linksItsHistory() throws Exception {
        HttpVisitor browser = consented();
        view(browser, "/pricing");
        String email = unique("backend");

        HttpResponse<String> answer = api("POST", "/forms/contact/submissions", """
                {"site":"shop","visitor":"%s","fields":{"email":"%s","message":"call me"}}"""
                .formatted(browser.cookie("spor_id_shop"), email));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        JsonNode json = JSON.readTree(answer.body());
        assertThat(json.path("visitorLinked").asBoolean()).isTrue();
        assertThat(viewedPaths(contact(email))).containsExactly("/", "/pricing");
        HttpResponse<String> read = api("GET", "/contacts/" + json.path("contactId").asLong() + "?site=shop", null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).path("pageViews")).hasSize(2);
        assertThat(JSON.readTree(read.body()).path("submissions").path(0).path("fields").path("message").asText())
                .isEqualTo("call me");
    }

    @Test
    void csvImport_reportsCountsAndRejectedLines_malformedFileChangesNothing() throws Exception {
        String a = unique("csv-a");
        String b = unique("csv-b");
        String csv = "Email,Company,City\r\n" + a + ",Acme,Oslo\r\n" + "not-an-email,Acme,Oslo\r\n"
                + "\"" + b + "\",\"Quote \"\"Inc\"\", with comma\",Bergen\r\n" + a.toUpperCase() + ",Acme,Trondheim\r\n"
                + b + ",\"Quote \"\"Inc\"\", with comma\",Bergen\r\n" + "only,two\r\n";
        HttpResponse<String> answer = api("POST", "/contacts/import?site=shop", csv, "text/csv", KEY);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(answer.body());
        assertThat(report.path("created").asLong()).isEqualTo(2);
        assertThat(report.path("updated").asLong()).isEqualTo(1);
        assertThat(report.path("skipped").asLong()).isEqualTo(1);
        assertThat(report.path("rejectedCount").asLong()).isEqualTo(2);
        assertThat(report.path("rejected").findValuesAsText("line")).containsExactly("3", "7");
        assertThat(contact(a).properties()).contains("\"City\":\"Trondheim\"");
        assertThat(contact(b).properties()).contains("Quote \\\"Inc\\\", with comma");

        long before = contacts().count("shop");
        HttpResponse<String> broken = api("POST", "/contacts/import?site=shop",
                "email\n" + unique("never") + "\n\"unterminated@example.com\n", "text/csv", KEY);
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.body()).contains("line 3").contains("nothing was imported");
        assertThat(contacts().count("shop")).isEqualTo(before);
        HttpResponse<String> noEmail = api("POST", "/contacts/import?site=shop", "name\nAnn\n", "text/csv", KEY);
        assertThat(noEmail.statusCode()).isEqualTo(400);
        assertThat(noEmail.body()).contains("no column \\\"email\\\"");
    }
}
