package dev.spor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.server.SporSettings;
import dev.spor.testing.ApiClient;
import dev.spor.testing.DatabaseScan;
import dev.spor.testing.HttpVisitor;
import dev.spor.testing.RunningSpor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a full scenario from one client address (consent, page views, events, a form with a
 * bad email too, identify, an email-link landing, an import, reports), that address is nowhere:
 * not in any table, not in any log record; and no secret is logged or answered by the API.
 */
class PrivacyTest {
    private static final String ADDRESS = "198.51.100.77";
    private static final String SITE = "https://www.example.org";
    private static final String IDENTITY_SECRET = "privacy-identity-secret-0123456789abcdef";
    private static final String SALT = "privacy-ip-hash-salt-0123456789abcdefghij";

    @TempDir
    Path dir;

    @Test
    void fullScenario_clientAddressInNoTableAndNoLog_secretsNeverLoggedOrAnswered() throws Exception {
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (logged) {
                    logged.add(record.getLoggerName() + " " + record.getMessage() + " " + record.getThrown());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        Level before = Logger.getLogger("dev.spor").getLevel();
        Logger.getLogger("dev.spor").setLevel(Level.ALL);
        Path config = Files.writeString(dir.resolve("spor.json"), """
                { "country": { "trustedProxies": ["127.0.0.1", "::1"] }, "consentLog": { "ipHashSalt": "%s" },
                  "sites": [ { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org",
                    "hosts": ["t.example.org"], "policies": [ { "id": "default", "mode": "opt-in" } ],
                    "forms": [ { "id": "contact", "emailField": "email" } ],
                    "identity": { "secret": "%s" } } ] }""".formatted(SALT, IDENTITY_SECRET));
        try (RunningSpor spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"), null, null, null, "key-k"))) {
            HttpVisitor browser = new HttpVisitor(spor.port(), "t.example.org", SITE, "/s/shop").from(ADDRESS);
            ApiClient api = new ApiClient(spor.port(), "key-k");
            browser.accept(SITE + "/", "privacy-accept-1");
            browser.pageView(SITE + "/pricing", "privacy-view-1", "{\"email\":\"pat@example.com\"}");
            browser.post("/e", "{\"eventId\":\"privacy-ev-1\",\"type\":\"event\",\"name\":\"x\",\"url\":\"" + SITE + "/\"}");
            browser.post("/f", "{\"eventId\":\"privacy-f-1\",\"form\":\"contact\",\"url\":\"" + SITE + "/c\","
                    + "\"fields\":{\"email\":\"pat@example.com\",\"name\":\"Pat\"}}");
            browser.post("/f", "{\"eventId\":\"privacy-f-2\",\"form\":\"contact\",\"url\":\"" + SITE + "/c\","
                    + "\"fields\":{\"email\":\"bad\"}}");
            String link = ApiClient.json(api.call("POST", "/email-links", "{\"site\":\"shop\",\"email\":\"pat@example.com\","
                    + "\"send\":\"s1\",\"url\":\"" + SITE + "/offer\"}")).path("url").asText();
            browser.post("/t", "{\"eventId\":\"privacy-t-1\",\"token\":\"" + link.substring(link.indexOf("sptk=") + 5)
                    + "\",\"url\":\"" + SITE + "/offer\"}");
            browser.post("/t", "{\"eventId\":\"privacy-t-2\",\"token\":\"forged.token.abc.AAAAAAAAAAAAAAAAAAAAAA\",\"url\":\""
                    + SITE + "/offer\"}");
            browser.post("/state", "{\"action\":\"revoke\",\"url\":\"" + SITE + "/\"}");
            api.call("POST", "/contacts/import?site=shop", "email\nsam@example.com\nbroken\n", "text/csv");
            String answers = api.get("/sites").toString() + api.get("/consent-log?site=shop").toString()
                    + api.get("/reports/pageviews?site=shop").toString();
            Thread.sleep(600); // the identify is applied in the background

            assertThat(DatabaseScan.everyValue(spor.app().database().dataSource())).noneMatch(v -> v.contains(ADDRESS));
            assertThat(answers).doesNotContain(IDENTITY_SECRET).doesNotContain(SALT).doesNotContain(ADDRESS);
            synchronized (logged) {
                assertThat(logged).isNotEmpty();
                assertThat(logged).noneMatch(line -> line.contains(ADDRESS) || line.contains(IDENTITY_SECRET)
                        || line.contains(SALT) || line.contains("key-k"));
            }
            assertThat(count(spor, "SELECT COUNT(*) FROM consent_log")).isEqualTo(2);
        } finally {
            root.removeHandler(capture);
            Logger.getLogger("dev.spor").setLevel(before);
        }
    }

    private static long count(RunningSpor spor, String sql) throws Exception {
        try (Connection c = spor.app().database().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
