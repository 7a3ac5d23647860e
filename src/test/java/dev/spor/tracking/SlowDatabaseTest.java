package dev.spor.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.server.SporSettings;
import dev.spor.testing.RunningSpor;
import dev.spor.testing.TestDatabases;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database too slow to commit in time, made so honestly: a PostgreSQL session holds a lock on
 * {@code page_views}. The beacon is answered 503 with {@code Retry-After}, never 204, and the
 * tracker's retry is stored once. Takes about ten seconds (the collection timeout).
 */
class SlowDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void commitSlowerThanTheTimeout_answers503_andTheRetryIsStoredOnce() throws Exception {
        Path config = Files.writeString(dir.resolve("spor.json"), """
                { "sites": [ { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org",
                  "hosts": ["t.example.org"], "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }""");
        String schema = TestDatabases.newSchema();
        try (RunningSpor spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"), TestDatabases.urlOf(schema),
                TestDatabases.PG_USER, TestDatabases.PG_PASSWORD, "k"));
                Connection locker = TestDatabases.connect(TestDatabases.urlOf(schema))) {
            TestBrowser browser = new TestBrowser(spor.port(), "shop", "example.org").accept();
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLE page_views IN SHARE MODE"); // reads go on, inserts wait
            }

            long started = System.nanoTime();
            HttpResponse<String> slow = browser.pageView("slow-commit-0001", "/slow");
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            locker.commit();
            HttpResponse<String> retry = browser.pageView("slow-commit-0001", "/slow");

            assertThat(slow.statusCode()).as(slow.body()).isEqualTo(503);
            assertThat(slow.body()).isEqualTo("{\"error\":\"timeout\"}");
            assertThat(slow.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(waitedMillis).isBetween(Acknowledgement.TIMEOUT_MILLIS - 500, Acknowledgement.TIMEOUT_MILLIS + 5_000);
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(204);
            try (Statement s = locker.createStatement();
                    ResultSet r = s.executeQuery("SELECT COUNT(*) FROM page_views WHERE event_id = 'slow-commit-0001'")) {
                r.next();
                assertThat(r.getLong(1)).isEqualTo(1);
            }
        } finally {
            TestDatabases.dropSchema(schema);
        }
    }
}
