package dev.spor.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.server.SporSettings;
import dev.spor.tag.ScriptAssets;
import dev.spor.tag.Snippet;
import dev.spor.testing.Browser;
import dev.spor.testing.RunningSpor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * SPEC §3 in real headless Chromium: the script captures submits of marked forms (secrets
 * left out, the page's own submit unharmed), with and without consent, and a landing from a
 * marketing-email link links the browser once, then only "possibly".
 */
class IdentityBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String BANNER = "[data-spor-banner]";
    private static final String CONFIG = """
            { "sites": [ { "key": "shop", "domains": ["www.spor.test"], "cookieDomain": "spor.test",
                "hosts": ["t.spor.test", "s.spor.test"], "countAutomation": true,
                "policies": [ { "id": "default", "mode": "opt-in" } ],
                "forms": [ { "id": "contact", "emailField": "email" },
                           { "id": "newsletter", "emailField": "address", "selector": "form.newsletter" } ] } ] }
            """;

    @TempDir
    static Path dir;
    private static Browser browser;
    private static RunningSpor spor;
    private static Path webRoot;

    @BeforeAll
    static void start() throws Exception {
        webRoot = dir.resolve("web");
        Files.createDirectories(webRoot);
        Path config = dir.resolve("spor.json");
        Files.writeString(config, CONFIG);
        spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"), null, null, null, "k"), webRoot);
        String snippet = new Snippet(ScriptAssets.fromClasspath()).javascript(
                List.of("http://t.spor.test:" + spor.port(), "http://s.spor.test:" + spor.port()), "/s/shop.js");
        String head = "<!doctype html><html lang=\"en\"><head><title>%s</title><script>" + snippet + "</script></head>";
        Files.writeString(webRoot.resolve("contact.html"), head.formatted("Contact") + """
                <body><h1>Contact</h1>
                <form data-spor-form="contact" action="/thanks.html" method="get">
                  <input name="email" type="email"><input name="name">
                  <input name="password" type="password"><input name="card">
                  <span data-spor-sensitive><input name="secret-note"></span>
                  <input type="hidden" name="csrf_token" value="t0ken">
                  <button id="send" type="submit">Send</button>
                </form>
                <form class="newsletter" id="newsletter"><input name="address"><button id="join">Join</button></form>
                </body></html>""");
        Files.writeString(webRoot.resolve("thanks.html"), head.formatted("Thanks") + "<body><h1>Thanks</h1></body></html>");
        Files.writeString(webRoot.resolve("offer.html"), head.formatted("Offer") + "<body><h1>Offer</h1></body></html>");
        browser = Browser.start();
    }

    @AfterAll
    static void stop() throws Exception {
        browser.close();
        spor.close();
    }

    @BeforeEach
    void newVisitor() {
        browser.forget();
    }

    private static String page(String path) {
        return "http://www.spor.test:" + spor.port() + path;
    }

    private static void decide(String action) {
        browser.waitFor("!!document.querySelector('" + BANNER + "')"
                + " && !!document.querySelector('" + BANNER + "').shadowRoot.querySelector('[data-action=" + action + "]')",
                WAIT);
        browser.driver().findElement(By.cssSelector(BANNER)).getShadowRoot()
                .findElement(By.cssSelector("[data-action=" + action + "]")).click();
        browser.waitFor("!document.querySelector('" + BANNER + "')"
                + " || !document.querySelector('" + BANNER + "').shadowRoot.querySelector('[data-action=" + action + "]')",
                WAIT);
    }

    private static Optional<String> trackingCookie() {
        return browser.cookies().stream().filter(c -> "spor_id_shop".equals(c.get("name")))
                .map(c -> (String) c.get("value")).findFirst();
    }

    private static void type(String name, String value) {
        browser.driver().findElement(By.name(name)).sendKeys(value);
    }

    private static Contacts contacts() {
        return spor.app().identity().contacts();
    }

    private static Contacts.Contact awaitContact(String email) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            Optional<Contacts.Contact> found = contacts().byEmail("shop", email);
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no contact " + email + "\n" + browser.pageState());
    }

    private static List<String> viewed(Contacts.Contact contact) {
        return contacts().pageViews("shop", contact.id()).stream().map(Contacts.ContactPageView::path).toList();
    }

    @Test
    void consentedBrowser_submitsForm_contactHasItsPageViews_secretsNeverSent_pageStillNavigates() throws Exception {
        browser.open(page("/contact.html"));
        decide("accept-all");
        String email = "ada-" + System.nanoTime() + "@example.com";
        type("email", email);
        type("name", "Ada");
        type("password", "hunter2");
        type("card", "4111 1111 1111 1111");
        type("secret-note", "my diary");

        browser.driver().findElement(By.id("send")).click();
        browser.waitFor("location.pathname === '/thanks.html'", WAIT);

        Contacts.Contact contact = awaitContact(email);
        assertThat(contact.visitors()).containsExactly(trackingCookie().orElseThrow());
        assertThat(viewed(contact)).startsWith("/contact.html");
        String fields = contacts().submissions("shop", contact.id()).get(0).fields();
        assertThat(fields).contains("\"name\":\"Ada\"").contains(email);
        // The card number is looked for whole (with or without its spaces): the e-mail's nanoTime digits can hold "4111".
        assertThat(fields).doesNotContain("hunter2").doesNotContain("4111 1111").doesNotContain("4111111111111111")
                .doesNotContain("diary").doesNotContain("t0ken");
    }

    @Test
    void rejectingBrowser_submitsForm_contactWithoutPageViews() throws Exception {
        browser.open(page("/contact.html"));
        decide("reject-all");
        String email = "rex-" + System.nanoTime() + "@example.com";
        type("email", email);

        browser.driver().findElement(By.id("send")).click();
        browser.waitFor("location.pathname === '/thanks.html'", WAIT);

        Contacts.Contact contact = awaitContact(email);
        assertThat(trackingCookie()).isEmpty();
        assertThat(contact.visitors()).isEmpty();
        assertThat(viewed(contact)).isEmpty();
        assertThat(contacts().submissions("shop", contact.id())).singleElement()
                .satisfies(s -> assertThat(s.visitorId()).isNull());
    }

    @Test
    void formFoundByConfiguredSelector_isCaptured() throws Exception {
        browser.open(page("/contact.html"));
        decide("accept-all");
        String email = "nell-" + System.nanoTime() + "@example.com";
        browser.run("document.getElementById('newsletter').addEventListener('submit', function (e) { e.preventDefault(); });");
        type("address", email);

        browser.driver().findElement(By.id("join")).click();

        Contacts.Contact contact = awaitContact(email);
        assertThat(contacts().submissions("shop", contact.id())).extracting(Contacts.Submission::formId)
                .containsExactly("newsletter");
    }

    @Test
    void emailLinkLanding_tokenLeavesTheAddressBar_firstBrowserLinked_secondOnlyPossibly() throws Exception {
        long reader = spor.app().identity().identities().contactFor("shop", "reader-" + System.nanoTime() + "@example.com");
        String link = spor.app().identity().identities().decorate("shop", reader, "spring", java.net.URI.create(
                page("/offer.html?utm_source=mail#top")));

        browser.open(page("/thanks.html"));
        decide("accept-all");
        browser.open(link);
        browser.waitFor("location.search === '?utm_source=mail' && location.hash === '#top'", WAIT);
        String first = trackingCookie().orElseThrow();
        awaitClicks(reader, 1);

        browser.forget();
        browser.open(page("/thanks.html"));
        decide("accept-all");
        browser.open(link);
        browser.waitFor("location.search === '?utm_source=mail'", WAIT);
        String second = trackingCookie().orElseThrow();
        awaitClicks(reader, 2);

        assertThat(contacts().clicks("shop", reader)).extracting(Contacts.Click::outcome).containsExactly("linked", "possible");
        assertThat(contacts().byId("shop", reader).orElseThrow().visitors()).containsExactly(first);
        assertThat(contacts().possiblePageViews("shop", reader)).extracting(Contacts.ContactPageView::visitorId)
                .contains(second).doesNotContain(first);
        assertThat(contacts().ofVisitor("shop", second)).isEmpty();
        assertThat(browser.requests()).noneMatch(r -> r.startsWith("GET") && r.contains("sptk=") && !r.contains("/offer.html"));
    }

    private static void awaitClicks(long contact, int count) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (contacts().clicks("shop", contact).size() < count && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(contacts().clicks("shop", contact)).as(browser.pageState()).hasSize(count);
    }
}
