package dev.spor.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.testing.DatabaseScan;
import dev.spor.testing.TestDatabases;
import dev.spor.tracking.PageView;
import dev.spor.tracking.PageViewStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2's deferred visitor index (V9): page views have no index by visitor at commit; a round
 * moves them from the queue into {@code page_view_visitors}, and {@code visitor_page_views}
 * finds every committed one, before and after. The database's own rounds run meanwhile (every
 * second), so each check holds whichever round moved a row.
 */
class H2VisitorIndexTest {
    private static final Instant NOW = Instant.parse("2026-12-04T10:15:30Z");

    @TempDir
    Path dir;

    private Database database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private PageViewStore open() {
        database = TestDatabases.h2(dir.resolve("data"));
        return new PageViewStore(database.dataSource());
    }

    private static PageView view(String visitor, String eventId) {
        return new PageView("shop", eventId, visitor, "https://example.org/" + eventId, "/" + eventId, "Title", null, "SE",
                NOW, null);
    }

    @Test
    void pageViews_haveNoVisitorIndex_andAreFoundByVisitorBeforeAndAfterARound() throws Exception {
        PageViewStore pageViews = open();
        assertThat(DatabaseScan.visitorIndexes(database.dataSource(), "page_views")).isEmpty();
        pageViews.addVisitor("v-a", "shop", NOW);
        pageViews.addVisitor("v-b", "shop", NOW);
        pageViews.addAll(List.of(view("v-a", "a1"), view("v-b", "b1"), view("v-a", "a2")));

        assertThat(count("page_views_unindexed") + count("page_view_visitors")).isEqualTo(3);
        assertThat(pageViews.forVisitor("v-a")).extracting(PageView::eventId).containsExactly("a1", "a2");

        database.visitorIndex().round();
        pageViews.addAll(List.of(view("v-a", "a3")));

        assertThat(count("page_views_unindexed") + count("page_view_visitors")).isEqualTo(4);
        assertThat(pageViews.forVisitor("v-a")).extracting(PageView::eventId).containsExactly("a1", "a2", "a3");
        assertThat(pageViews.forVisitor("v-b")).extracting(PageView::eventId).containsExactly("b1");

        database.visitorIndex().round();
        assertThat(count("page_views_unindexed")).isZero();
        assertThat(count("page_view_visitors")).isEqualTo(4);
        assertThat(pageViews.forVisitor("v-a")).extracting(PageView::eventId).containsExactly("a1", "a2", "a3");

        H2VisitorIndex rounds = database.visitorIndex();
        database.close();
        database = null;
        assertThat(rounds.stopped()).isTrue();
    }

    /** More than a transaction's worth: every queued page view is moved once, under its own visitor, visitors created. */
    @Test
    void round_overSeveralTransactions_movesEveryPageViewOnce() throws Exception {
        PageViewStore pageViews = open();
        int visitors = 37;
        int total = H2VisitorIndex.ROWS_PER_COMMIT * 2 + 203;
        List<PageView> views = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            views.add(view("v-" + (i * 7919 % visitors), "e" + i)); // visitors in no order, as they come back
        }
        pageViews.addAll(views); // no visitor rows: the rounds create them

        database.visitorIndex().round();

        assertThat(count("page_views_unindexed")).isZero();
        assertThat(count("page_view_visitors")).isEqualTo(total);
        assertThat(ids("SELECT COUNT(*) FROM page_view_visitors x JOIN page_views p ON p.id = x.view_id"
                + " WHERE p.visitor_id = x.visitor_id")).containsExactly((long) total);
        assertThat(count("visitors")).isEqualTo(visitors);
        assertThat(pageViews.forVisitor("v-3")).extracting(PageView::eventId)
                .containsExactlyInAnyOrderElementsOf(views.stream().filter(v -> v.visitorId().equals("v-3"))
                        .map(PageView::eventId).toList());
    }

    /** A page view still queued when the process stopped is indexed by the rounds after the next start. */
    @Test
    void reopen_movesWhatWasStillQueued() throws Exception {
        PageViewStore pageViews = open();
        pageViews.addVisitor("v-a", "shop", NOW);
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            insertQueued(c, "v-a", "queued");
            database.visitorIndex().close(); // no round after this one's commit
            c.commit();
        }
        database.close();

        pageViews = open();
        assertThat(pageViews.forVisitor("v-a")).extracting(PageView::eventId).containsExactly("queued");
        long deadline = System.nanoTime() + 10_000_000_000L; // the first round comes a second after the start
        while (count("page_views_unindexed") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(count("page_views_unindexed")).isZero();
        assertThat(count("page_view_visitors")).isEqualTo(1);
    }

    @Test
    void deletingPageViews_removesThemFromTheQueueAndTheIndex() throws Exception {
        PageViewStore pageViews = open();
        pageViews.addVisitor("v-a", "shop", NOW);
        pageViews.addAll(List.of(view("v-a", "a1")));
        database.visitorIndex().round();
        pageViews.addAll(List.of(view("v-a", "a2")));

        execute("DELETE FROM page_views");

        assertThat(count("page_views_unindexed")).isZero();
        assertThat(count("page_view_visitors")).isZero();
        assertThat(database.visitorIndex().round()).isZero();
    }

    /** A beacon written while its visitor was erased: H2 has no foreign key to refuse it, so the round brings the visitor back. */
    @Test
    void round_createsTheVisitorOfAPageViewStoredWithoutOne() throws Exception {
        PageViewStore pageViews = open();
        pageViews.addAll(List.of(view("v-gone", "g1")));

        database.visitorIndex().round();

        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT site, created_at FROM visitors WHERE id = 'v-gone'")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo("shop");
            assertThat(r.getTimestamp(2).toInstant()).isEqualTo(NOW);
        }
        assertThat(pageViews.forVisitor("v-gone")).extracting(PageView::eventId).containsExactly("g1");
    }

    /**
     * Ids are taken at insert and commits may come in another order: a round moves exactly the
     * rows it read, so a page view with a lower id committed after it is moved by the next one,
     * and is found by its visitor all along.
     */
    @Test
    void round_whileAPageViewWithALowerIdIsUncommitted_movesItInALaterRound() throws Exception {
        PageViewStore pageViews = open();
        pageViews.addVisitor("v-a", "shop", NOW);
        try (Connection late = database.dataSource().getConnection()) {
            late.setAutoCommit(false);
            long lowerId = insertQueued(late, "v-a", "late");
            pageViews.addAll(List.of(view("v-a", "early")));

            database.visitorIndex().round();
            assertThat(pageViews.forVisitor("v-a")).extracting(PageView::eventId).containsExactly("early");
            late.commit();
            assertThat(ids("SELECT view_id FROM page_views_unindexed")).containsExactly(lowerId);
        }
        assertThat(pageViews.forVisitor("v-a")).extracting(PageView::eventId).containsExactlyInAnyOrder("early", "late");
        database.visitorIndex().round();
        assertThat(count("page_views_unindexed")).isZero();
        assertThat(count("page_view_visitors")).isEqualTo(2);
    }

    /** What the writer does in a commit, by hand: a page view and its place in the queue; returns its id. */
    private static long insertQueued(Connection c, String visitor, String eventId) throws SQLException {
        long id;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO page_views (site, event_id, visitor_id, url, path,"
                + " viewed_at) VALUES ('shop', ?, ?, 'https://example.org/', '/', ?)", new String[] {"id"})) {
            s.setString(1, eventId);
            s.setString(2, visitor);
            s.setTimestamp(3, Timestamp.from(NOW));
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO page_views_unindexed (view_id, visitor_id) VALUES (?, ?)")) {
            s.setLong(1, id);
            s.setString(2, visitor);
            s.executeUpdate();
        }
        return id;
    }

    /** Nothing already stored is lost: a database of the schema before V9 keeps every page view, now indexed by visitor. */
    @Test
    void migration_fromTheSchemaBefore_indexesThePageViewsAlreadyStored_andDropsTheForeignKey() throws Exception {
        JdbcDataSource old = new JdbcDataSource();
        old.setURL("jdbc:h2:file:" + dir.resolve("data").resolve("spor") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
                + ";DEFAULT_NULL_ORDERING=HIGH");
        old.setUser("sa"); // as Spor opens it
        old.setPassword("");
        Flyway.configure().dataSource(old).locations("classpath:dev/spor/storage/migration").target("8").load().migrate();
        try (Connection c = old.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO visitors (id, site, created_at) VALUES ('v-old', 'shop', TIMESTAMP WITH TIME ZONE"
                    + " '2026-11-01 10:00:00+00'), ('v-other', 'shop', TIMESTAMP WITH TIME ZONE '2026-11-01 10:00:00+00')");
            for (int i = 0; i < 5; i++) {
                s.execute("INSERT INTO page_views (site, event_id, visitor_id, url, path, viewed_at) VALUES ('shop', 'old-" + i
                        + "', '" + (i % 2 == 0 ? "v-old" : "v-other") + "', 'https://example.org/', '/', TIMESTAMP WITH TIME ZONE"
                        + " '2026-11-01 10:00:0" + i + "+00')");
            }
            s.execute("SHUTDOWN");
        }

        PageViewStore pageViews = open();

        assertThat(count("page_view_visitors")).isEqualTo(5);
        assertThat(pageViews.forVisitor("v-old")).extracting(PageView::eventId).containsExactly("old-0", "old-2", "old-4");
        assertThat(pageViews.forVisitor("v-other")).extracting(PageView::eventId).containsExactly("old-1", "old-3");
        assertThat(DatabaseScan.visitorIndexes(database.dataSource(), "page_views")).isEmpty();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM information_schema.table_constraints"
                        + " WHERE table_name = 'page_views' AND constraint_type = 'FOREIGN KEY'")) {
            r.next();
            assertThat(r.getInt(1)).isZero();
        }
    }

    /** Regression guard: H2 must push the visitor into both halves of the view, or a timeline scans every page view. */
    @Test
    void queriesByVisitor_useTheIndexes_andScanNoPageViews() throws Exception {
        open();
        for (String query : List.of(
                "SELECT url FROM visitor_page_views WHERE site = 'shop' AND visitor_id = 'v' ORDER BY viewed_at, id",
                "DELETE FROM page_views WHERE id IN (SELECT id FROM visitor_page_views WHERE site = 'shop' AND visitor_id = 'v')",
                "SELECT v.url FROM visitor_page_views v JOIN visitor_links l ON l.visitor_id = v.visitor_id"
                        + " WHERE l.site = 'shop' AND l.contact_id = 1")) {
            String plan = plan(query);
            assertThat(plan).as(query).doesNotContain("page_views.tableScan").contains("page_view_visitors")
                    .contains("page_views_unindexed");
        }
    }

    private String plan(String query) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("EXPLAIN " + query)) {
            r.next();
            return r.getString(1);
        }
    }

    private long count(String table) throws SQLException {
        List<Long> counts = ids("SELECT COUNT(*) FROM " + table);
        return counts.get(0);
    }

    private List<Long> ids(String sql) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getLong(1));
            }
        }
        return values;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
