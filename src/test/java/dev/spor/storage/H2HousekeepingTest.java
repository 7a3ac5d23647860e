package dev.spor.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.testing.SyncCountingPath;
import dev.spor.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's chunk rewrites. Small commits that each append a row leave every chunk
 * with a page or two that stays live (the pattern of the page-view writer), so the chunk list
 * and the file only grow unless someone rewrites those pages.
 */
class H2HousekeepingTest {
    private static final int COMMITS = 3_000;

    @TempDir
    Path dir;

    @Test
    void round_rewritesTheLivePagesOfMostlyDeadChunks_andKeepsEveryRow() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        // as Spor opens it, but with no retention, so that chunks can be rewritten at once
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("rows") + ";WRITE_DELAY=0;PAGE_SIZE=2048;RETENTION_TIME=0");
        Map<String, Integer> before;
        Map<String, Integer> after;
        try (Connection open = dataSource.getConnection()) { // keeps the database open
            MVStore store = H2Housekeeping.store(dataSource);
            smallCommits(open);
            before = info(store);
            commit(open);
            assertThat(info(store).get("CHUNK_COUNT")).as("nothing frees chunks by itself")
                    .isGreaterThanOrEqualTo(before.get("CHUNK_COUNT"));
            try (H2Housekeeping housekeeping = new H2Housekeeping(store, Long.MAX_VALUE / 4)) {
                // the pages a round rewrote go out with the next commit, which also drops the
                // chunks freed; in Spor the page-view writer's commits come in between
                int rounds = 0;
                boolean busy = true;
                while (busy) {
                    busy = housekeeping.round();
                    commit(open);
                    assertThat(++rounds).as("rounds end once the chunks are full enough").isLessThan(1_000);
                }
            }
            commit(open);
            after = info(store);
        }
        assertThat(before.get("CHUNK_COUNT")).as("most chunks keep a live page").isGreaterThan(COMMITS / 2);
        assertThat(before.get("CHUNKS_FILL_RATE")).as("the scenario leaves chunks mostly dead").isLessThan(50);
        assertThat(after.get("CHUNK_COUNT")).isLessThan(before.get("CHUNK_COUNT") / 4);
        assertThat(after.get("CHUNKS_FILL_RATE")).isGreaterThan(before.get("CHUNKS_FILL_RATE"));
        try (Connection reopened = dataSource.getConnection(); Statement s = reopened.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT body), MIN(id), MAX(id) FROM rows")) {
            assertThat(r.next()).isTrue();
            assertThat(List.of(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)))
                    .containsExactly((long) COMMITS, (long) COMMITS, 0L, COMMITS - 1L);
        }
    }

    @Test
    void round_forcesTheFileToDiskAtMostOnceASecond_whichH2DoesNotDoByItself() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:" + SyncCountingPath.prefix() + dir.resolve("synced") + ";WRITE_DELAY=0;PAGE_SIZE=2048");
        try (Connection open = dataSource.getConnection()) {
            MVStore store = H2Housekeeping.store(dataSource);
            int opened = SyncCountingPath.FORCES.get();
            for (int i = 0; i < 50; i++) {
                commit(open);
            }
            assertThat(SyncCountingPath.FORCES.get()).as("H2's commits write, but never force").isEqualTo(opened);
            long interval = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(H2Housekeeping.SYNC_INTERVAL_MILLIS);
            long started = System.nanoTime();
            try (H2Housekeeping housekeeping = new H2Housekeeping(store, Long.MAX_VALUE / 4)) {
                housekeeping.round();
                if (System.nanoTime() - started < interval) { // a stalled machine may have taken the second
                    assertThat(SyncCountingPath.FORCES.get()).as("not within a second of the start").isEqualTo(opened);
                }
                Thread.sleep(H2Housekeeping.SYNC_INTERVAL_MILLIS + 50);
                commit(open);
                long syncing = System.nanoTime();
                housekeeping.round();
                int synced = SyncCountingPath.FORCES.get();
                assertThat(synced).as("a second after the start").isGreaterThan(opened);
                commit(open);
                housekeeping.round();
                if (System.nanoTime() - syncing < interval) {
                    assertThat(SyncCountingPath.FORCES.get()).as("at most once a second").isEqualTo(synced);
                }
            }
        }
    }

    @Test
    void embeddedDatabase_runsHousekeepingWhileOpen_withTheShortRetention_andStopsItOnClose() throws Exception {
        H2Housekeeping housekeeping;
        try (Database database = TestDatabases.h2(dir.resolve("data"))) {
            housekeeping = database.housekeeping();
            assertThat(housekeeping).isNotNull();
            assertThat(housekeeping.stopped()).isFalse();
            assertThat(H2Housekeeping.store(database.dataSource()).getRetentionTime()).isEqualTo(H2Housekeeping.RETENTION_MILLIS);
            assertThat(database.description()).contains("embedded H2");
        }
        assertThat(housekeeping.stopped()).isTrue();
    }

    /** One appended row per commit, the way the page-view writer commits. */
    private static void smallCommits(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE rows (id BIGINT PRIMARY KEY, body VARCHAR(300) NOT NULL)");
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO rows (id, body) VALUES (?, ?)")) {
            for (int i = 0; i < COMMITS; i++) {
                insert.setLong(1, i);
                insert.setString(2, "page view " + i + " " + "x".repeat(180));
                insert.executeUpdate();
            }
        }
    }

    /** A commit that changes something, so that H2 writes a chunk. */
    private static void commit(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS ticks (n INT)");
            s.execute("INSERT INTO ticks VALUES (1)");
        }
    }

    private static Map<String, Integer> info(MVStore store) {
        Map<String, Integer> info = new HashMap<>();
        store.populateInfo((key, value) -> {
            if (key.equals("info.CHUNK_COUNT") || key.equals("info.CHUNKS_FILL_RATE")) {
                info.put(key.substring("info.".length()), Integer.parseInt(value));
            }
        });
        return info;
    }
}
