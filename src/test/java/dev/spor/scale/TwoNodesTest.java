package dev.spor.scale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.identity.Contacts;
import dev.spor.server.SporSettings;
import dev.spor.testing.HttpVisitor;
import dev.spor.testing.RunningSpor;
import dev.spor.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Spor nodes on different ports sharing one PostgreSQL schema and one config file, as
 * behind a load balancer: a browser may reach either node on any request. Everything a node
 * needs to answer (the consent-cookie key, visitors, contacts) is in the database; contacts are
 * read without caches, so a change on one node is seen on the other at once.
 */
class TwoNodesTest {
    private static final String SITE = "shop";
    private static final String PAGE = "https://www.example.org";
    private static final String CONFIG = """
            { "sites": [ { "key": "shop", "name": "%s", "domains": ["www.example.org"], "cookieDomain": "example.org",
              "hosts": ["t.example.org"], "policies": [ { "id": "default", "mode": "opt-in" } ],
              "forms": [ { "id": "contact", "emailField": "email" } ] } ] }""";

    @TempDir
    Path dir;
    private String schema;
    private Path config;
    private RunningSpor one;
    private RunningSpor two;

    @BeforeEach
    void startTwoNodes() throws Exception {
        schema = TestDatabases.newSchema();
        config = Files.writeString(dir.resolve("spor.json"), CONFIG.formatted("Shop"));
        one = node("one"); // migrates the schema and makes the shared secrets
        two = node("two");
    }

    private RunningSpor node(String name) throws Exception {
        return RunningSpor.start(new SporSettings(config, dir.resolve(name), TestDatabases.urlOf(schema),
                TestDatabases.PG_USER, TestDatabases.PG_PASSWORD, "two-nodes-admin-key"));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (two != null) {
                two.close();
            }
            if (one != null) {
                one.close();
            }
        } finally {
            TestDatabases.dropSchema(schema);
        }
    }

    private static HttpVisitor browserOn(RunningSpor node) {
        return new HttpVisitor(node.port(), "t.example.org", PAGE, "/s/" + SITE);
    }

    private static String id() {
        return "ev-" + UUID.randomUUID();
    }

    @Test
    void consentGivenThroughNodeOne_isHonouredByNodeTwo() throws Exception {
        HttpVisitor onOne = browserOn(one);
        assertThat(onOne.accept(PAGE + "/", id()).statusCode()).isEqualTo(200);
        HttpVisitor onTwo = onOne.onPort(two.port());
        String eventId = id();

        assertThat(onTwo.pageView(PAGE + "/pricing", eventId, null).statusCode()).isEqualTo(204);

        assertThat(storedPageViews(two, eventId)).isEqualTo(1);
        assertThat(storedPageViews(one, eventId)).as("one database").isEqualTo(1);
    }

    @Test
    void browserWithoutConsent_isRefusedByEitherNode() throws Exception {
        HttpVisitor stranger = browserOn(two);
        String eventId = id();

        assertThat(stranger.pageView(PAGE + "/pricing", eventId, null).statusCode()).isEqualTo(403);
        assertThat(stranger.onPort(one.port()).pageView(PAGE + "/pricing", eventId, null).statusCode()).isEqualTo(403);

        assertThat(storedPageViews(one, eventId)).isZero();
    }

    @Test
    void formSubmittedOnNodeTwo_linksTheCookieFirstSeenOnNodeOne() throws Exception {
        HttpVisitor onOne = browserOn(one);
        onOne.accept(PAGE + "/", id());
        String cookie = onOne.cookie("spor_id_" + SITE);
        assertThat(cookie).isNotNull();
        assertThat(onOne.pageView(PAGE + "/pricing", id(), null).statusCode()).isEqualTo(204);

        assertThat(submit(onOne.onPort(two.port()), "ann@example.com")).isEqualTo(204);

        Contacts.Contact onTwo = two.app().identity().contacts().byEmail(SITE, "ann@example.com").orElseThrow();
        assertThat(onTwo.visitors()).containsExactly(cookie);
        Contacts.Contact onNodeOne = one.app().identity().contacts().byEmail(SITE, "ann@example.com").orElseThrow();
        assertThat(onNodeOne.id()).isEqualTo(onTwo.id());
        assertThat(onNodeOne.visitors()).containsExactly(cookie);
    }

    @Test
    void contactChangedOnOneNode_isSeenOnTheOtherAtOnce() throws Exception {
        HttpVisitor onOne = browserOn(one);
        onOne.accept(PAGE + "/", id());
        submit(onOne.onPort(two.port()), "ann@example.com");
        long contact = one.app().identity().contacts().byEmail(SITE, "ann@example.com").orElseThrow().id();

        // the same browser, a new email: the contact it is linked to takes it as its primary email
        assertThat(submit(onOne, "ann.smith@example.com")).isEqualTo(204);

        Contacts.Contact seenOnTwo = two.app().identity().contacts().byEmail(SITE, "ann.smith@example.com").orElseThrow();
        assertThat(seenOnTwo.id()).isEqualTo(contact);
        assertThat(seenOnTwo.primaryEmail()).isEqualTo("ann.smith@example.com");
        assertThat(seenOnTwo.emails()).contains("ann@example.com");
        assertThat(two.app().identity().contacts().byEmail(SITE, "ann@example.com").orElseThrow().primaryEmail())
                .isEqualTo("ann.smith@example.com");
    }

    @Test
    void configFileChange_isPickedUpByBothNodes() throws Exception {
        Files.writeString(config, CONFIG.formatted("Shop, renamed"));

        await(() -> siteName(one).equals("Shop, renamed") && siteName(two).equals("Shop, renamed"), Duration.ofSeconds(15));

        assertThat(siteName(one)).isEqualTo("Shop, renamed");
        assertThat(siteName(two)).isEqualTo("Shop, renamed");
    }

    private static String siteName(RunningSpor node) {
        return node.app().config().get().site(SITE).orElseThrow().name();
    }

    private static int submit(HttpVisitor browser, String email) throws Exception {
        return browser.post("/f", "{\"eventId\":\"" + id() + "\",\"form\":\"contact\",\"url\":\"" + PAGE
                + "/contact\",\"fields\":{\"email\":\"" + email + "\",\"message\":\"Hello\"}}").statusCode();
    }

    private static int storedPageViews(RunningSpor node, String eventId) throws Exception {
        try (Connection c = node.app().database().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM page_views WHERE site = ? AND event_id = ?")) {
            s.setString(1, SITE);
            s.setString(2, eventId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
