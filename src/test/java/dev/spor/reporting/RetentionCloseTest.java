package dev.spor.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.config.ConfigLoader;
import dev.spor.config.ConfigSnapshot;
import dev.spor.config.LiveConfig;
import dev.spor.config.SiteConfig;
import dev.spor.storage.Database;
import dev.spor.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing the retention job while it deletes: it stops between chunks, without an interrupt. */
class RetentionCloseTest {
    private static final int OLD_ROWS = 30 * Retention.CHUNK;

    @TempDir
    Path dir;

    @Test
    void close_duringARun_stopsAfterTheChunkUnderWay_givesTheLeaseBack_andRecordsNoRun() throws Exception {
        try (Database database = TestDatabases.h2(dir.resolve("data"))) {
            ConfigSnapshot config = ConfigLoader.parse("test", """
                    { "sites": [ { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org",
                      "hosts": ["t.example.org"], "policies": [ { "id": "default", "mode": "opt-in" } ],
                      "retentionDays": 30 } ] }""".getBytes(StandardCharsets.UTF_8));
            SiteConfig site = config.site("shop").orElseThrow();
            oldPageViews(database);
            Retention retention = new Retention(LiveConfig.fixed(config), database.dataSource(), Clock.systemUTC());
            AtomicReference<Optional<Retention.Run>> result = new AtomicReference<>();
            AtomicReference<Boolean> interrupted = new AtomicReference<>();
            Thread runner = new Thread(() -> {
                result.set(retention.run(site));
                interrupted.set(Thread.currentThread().isInterrupted());
            });

            runner.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (count(database, "SELECT COUNT(*) FROM page_views") == OLD_ROWS && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            retention.close();
            runner.join(30_000);

            assertThat(runner.isAlive()).isFalse();
            assertThat(interrupted.get()).isFalse();
            assertThat(result.get()).as("a stopped run is no run").isEmpty();
            long left = count(database, "SELECT COUNT(*) FROM page_views");
            assertThat(left).as("stopped before the end").isPositive().isLessThan(OLD_ROWS);
            assertThat(left % Retention.CHUNK).as("after a whole chunk").isZero();
            assertThat(count(database, "SELECT COUNT(*) FROM retention_runs WHERE site = 'shop' AND claimed_until IS NULL"
                    + " AND ran_at IS NULL")).as("lease given back, no run recorded").isEqualTo(1);
        }
    }

    private static void oldPageViews(Database database) throws SQLException {
        Timestamp old = Timestamp.from(Instant.parse("2020-01-01T00:00:00Z"));
        try (Connection c = database.dataSource().getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO visitors (id, site, created_at) VALUES ('v-old', 'shop', TIMESTAMP WITH TIME ZONE"
                        + " '2020-01-01 00:00:00+00')");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO page_views (site, event_id, visitor_id, url, path,"
                    + " viewed_at) VALUES ('shop', ?, 'v-old', 'https://www.example.org/', '/', ?)")) {
                for (int i = 0; i < OLD_ROWS; i++) {
                    insert.setString(1, "evt-old-" + i);
                    insert.setTimestamp(2, old);
                    insert.addBatch();
                    if (i % 1_000 == 999) {
                        insert.executeBatch();
                    }
                }
            }
        }
    }

    private static long count(Database database, String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
