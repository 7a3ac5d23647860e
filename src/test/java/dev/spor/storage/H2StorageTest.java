package dev.spor.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.testing.TestDatabases;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2StorageTest extends StorageContract {
    @TempDir
    Path dir;

    @Override
    protected Database openFresh() {
        return TestDatabases.h2(dir.resolve("data"));
    }

    @Override
    protected Database reopen() {
        return TestDatabases.h2(dir.resolve("data"));
    }

    @Override
    protected void dispose() {
        // the temporary directory goes with the test
    }

    /** Regression (found by profiling): H2 stored its identity sequences in a commit of their own every 32 rows. */
    @Test
    void collectedTables_takeTheirIdsInBlocksOf1024() throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT table_name, identity_cache FROM information_schema.columns"
                        + " WHERE column_name = 'id' AND table_name IN ('page_views', 'events', 'consent_log')")) {
            java.util.Map<String, Long> caches = new java.util.TreeMap<>();
            while (r.next()) {
                caches.put(r.getString(1), r.getLong(2));
            }
            assertThat(caches).containsExactly(java.util.Map.entry("consent_log", 1024L), java.util.Map.entry("events", 1024L),
                    java.util.Map.entry("page_views", 1024L));
        }
    }

    /**
     * Regression (found by profiling the open loop): with H2's default 16 MB page cache, every
     * page a commit wrote stayed cached and young collections copied them, 25-55 ms each.
     */
    @Test
    void pageCache_afterManyCommits_holdsAtMostOneMegabyte() throws Exception {
        org.h2.mvstore.MVStore store = H2Housekeeping.store(database.dataSource());
        try (Connection c = database.dataSource().getConnection();
                java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO visitors (id, site, created_at)"
                        + " VALUES (?, 'shop', CURRENT_TIMESTAMP)")) {
            for (int i = 0; i < 20_000; i++) {
                insert.setString(1, String.format("visitor-%08d-%s", i, "x".repeat(40)));
                insert.executeUpdate(); // a commit each
            }
        }
        assertThat(store.getCacheSizeUsed()).isLessThanOrEqualTo(1); // the pages written are several MB
        assertThat(store.getCacheSize()).isEqualTo(1);
    }

    @Test
    void open_missingDataDirectory_isCreated() {
        Path nested = dir.resolve("a/b/c");
        try (Database created = TestDatabases.h2(nested)) {
            assertThat(Files.isDirectory(nested)).isTrue();
            assertThat(created.description()).contains(nested.toString());
        }
    }
}
