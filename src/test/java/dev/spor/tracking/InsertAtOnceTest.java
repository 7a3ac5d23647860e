package dev.spor.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spor.storage.Database;
import dev.spor.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL's one-statement batch ({@link PageViewStore#insertAtOnce}) against the JDBC batches
 * it stands in for ({@link PageViewStore#insert}): the same rows come out of both, to the
 * microsecond and the null, and the same rows are refused.
 */
class InsertAtOnceTest {
    private static final Instant NOW = Instant.parse("2026-12-04T22:41:07.123456Z");

    private String batchSchema;
    private String onceSchema;
    private Database batch;
    private Database once;

    @BeforeEach
    void open() throws SQLException {
        batchSchema = TestDatabases.newSchema();
        onceSchema = TestDatabases.newSchema();
        batch = TestDatabases.postgres(batchSchema);
        once = TestDatabases.postgres(onceSchema);
    }

    @AfterEach
    void close() throws SQLException {
        batch.close();
        once.close();
        TestDatabases.dropSchema(batchSchema);
        TestDatabases.dropSchema(onceSchema);
    }

    /** Page views and events with every column's awkward values: nulls, a bot, quotes, braces and commas (array syntax), non-ASCII. */
    private static List<Row> views(String prefix) {
        List<Row> rows = new ArrayList<>();
        rows.add(new PageView("shop", prefix + "-1", "visitor-a", "https://www.example.org/a?q=1,2", "/a", "Ä \"quoted\" {title}",
                "https://www.google.com/", "SE", NOW, NOW.minusMillis(1500), "firefox", false));
        rows.add(new PageView("shop", prefix + "-2", "visitor-b", "https://www.example.org/b", "/b", null, null, null,
                NOW.plusNanos(999_000), null, null, true));
        rows.add(new PageView("shop", prefix + "-3", "visitor-a", "https://www.example.org/c", "/c", "NULL", "", "DE",
                NOW.plusSeconds(1), Instant.parse("1999-12-31T23:59:59Z"), "chrome", false));
        rows.add(new PageView("blog", prefix + "-1", "visitor-c", "https://blog.example.org/\\back\\slash", "/\\", "a\\\"b",
                null, "FR", NOW.plusSeconds(2), null, "safari", false));
        rows.add(new TrackedEvent("shop", prefix + "-e1", "visitor-a", TrackedEvent.Type.EVENT, "signup", "{\"plan\":\"pro, {x}\"}",
                null, "https://www.example.org/a", "/a", "SE", NOW.plusMillis(3), NOW, false));
        rows.add(new TrackedEvent("shop", prefix + "-e1-id", "visitor-e", TrackedEvent.Type.IDENTIFY, "ada@example.com", null,
                "a".repeat(64), "https://www.example.org/thanks", "/thanks", null, NOW.plusMillis(4), null, true));
        rows.add(new TrackedEvent("blog", prefix + "-e2", "visitor-c", TrackedEvent.Type.DOWNLOAD, "https://blog.example.org/x.pdf",
                null, null, "https://blog.example.org/", "/", "FR", NOW.plusMillis(5), null, false));
        return rows;
    }

    @Test
    void sameRowsAsTheJdbcBatch_newVisitorsCreated_retriesStoredOnce() throws Exception {
        List<Row> rows = views("ev");
        try (Connection c = batch.dataSource().getConnection()) {
            c.setAutoCommit(false);
            PageViewStore.insert(c, rows, visitor -> false, false);
            c.commit();
        }
        try (Connection c = once.dataSource().getConnection()) {
            PageViewStore.insertAtOnce(c, rows, visitor -> false);
            List<Row> retried = new ArrayList<>(rows.subList(0, 2)); // a retry of two, the visitors claimed stored now
            retried.add(rows.get(0)); // and one twice in one batch
            PageViewStore.insertAtOnce(c, retried, visitor -> true);
        }
        try (Connection c = once.dataSource().getConnection()) { // a new page view twice in one batch: stored once
            Row twice = new PageView("shop", "new-twice", "visitor-d", "https://www.example.org/d", "/d", null, null, null, NOW,
                    null, null, false);
            PageViewStore.insertAtOnce(c, List.of(twice, twice), visitor -> false);
        }
        assertThat(rows(onceSchema, "SELECT COUNT(*) FROM page_views WHERE event_id = 'new-twice'")).containsExactly(List.of(1L));
        assertThat(rows(onceSchema, "SELECT COUNT(*) FROM visitors WHERE id = 'visitor-d'")).containsExactly(List.of(1L));
        try (Connection c = once.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM page_views WHERE event_id = 'new-twice'");
            s.execute("DELETE FROM visitors WHERE id = 'visitor-d'");
        }

        String views = "SELECT site, event_id, visitor_id, url, path, title, referrer, country, viewed_at, client_time,"
                + " ua_family, is_bot FROM page_views ORDER BY site, event_id";
        List<List<Object>> expected = rows(batchSchema, views);
        assertThat(expected).hasSize(4);
        assertThat(rows(onceSchema, views)).isEqualTo(expected);
        String events = "SELECT site, event_id, visitor_id, type, name, properties, hmac, url, path, country, occurred_at,"
                + " client_time, is_bot FROM events ORDER BY site, event_id";
        assertThat(rows(onceSchema, events)).isEqualTo(rows(batchSchema, events)).hasSize(3);
        String visitors = "SELECT id, site, created_at FROM visitors ORDER BY id";
        assertThat(rows(onceSchema, visitors)).isEqualTo(rows(batchSchema, visitors)).hasSize(4);
        assertThat(rows(onceSchema, "SELECT viewed_at FROM page_views WHERE event_id = 'ev-1' AND site = 'shop'"))
                .containsExactly(List.of(java.sql.Timestamp.from(NOW)));
    }

    /** A page view's visitor (visitor-c), then an event's (visitor-e), claimed stored but not there. */
    @ParameterizedTest
    @ValueSource(strings = {"visitor-c", "visitor-e"})
    void visitorWronglyClaimedStored_failsTheForeignKey_storesNothing(String claimed) throws Exception {
        List<Row> rows = views("fk");
        try (Connection c = once.dataSource().getConnection()) {
            assertThatThrownBy(() -> PageViewStore.insertAtOnce(c, rows, Set.of(claimed)::contains))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"));
        }
        assertThat(rows(onceSchema, "SELECT COUNT(*) FROM page_views")).containsExactly(List.of(0L));
        assertThat(rows(onceSchema, "SELECT COUNT(*) FROM events")).containsExactly(List.of(0L));
        assertThat(rows(onceSchema, "SELECT COUNT(*) FROM visitors")).containsExactly(List.of(0L));
    }

    private static List<List<Object>> rows(String schema, String sql) throws SQLException {
        try (Connection c = TestDatabases.connect(TestDatabases.urlOf(schema)); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData meta = r.getMetaData();
            List<List<Object>> rows = new ArrayList<>();
            while (r.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.add(r.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
