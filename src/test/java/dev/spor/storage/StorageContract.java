package dev.spor.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spor.admin.ApiKeys;
import dev.spor.testing.DatabaseScan;
import dev.spor.tracking.PageView;
import dev.spor.tracking.PageViewStore;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage suite; runs once per database (see {@link H2StorageTest} and
 * {@link PostgresStorageTest}).
 */
abstract class StorageContract {
    static final Instant NOW = Instant.parse("2026-12-03T10:15:30Z");

    protected Database database;
    protected PageViewStore pageViews;

    /** A fresh database with the schema migrated. */
    protected abstract Database openFresh() throws Exception;

    /** The same database opened again (a restart). */
    protected abstract Database reopen() throws Exception;

    protected abstract void dispose() throws Exception;

    @BeforeEach
    void open() throws Exception {
        database = openFresh();
        pageViews = new PageViewStore(database.dataSource());
    }

    @AfterEach
    void close() throws Exception {
        database.close();
        dispose();
    }

    static PageView view(String visitor, String eventId, String path) {
        return new PageView("shop", eventId, visitor, "https://example.org" + path, path, "Title " + path,
                null, "SE", NOW, NOW.minusSeconds(2));
    }

    long count(String table) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Indexes of {@code table} whose first column is {@code visitor_id}. */
    List<String> visitorIndexes(String table) throws SQLException {
        return DatabaseScan.visitorIndexes(database.dataSource(), table);
    }

    /** Regression (found by profiling): H2 kept a second, random-order index for the foreign key. */
    @Test
    void events_haveOneVisitorIndex() throws Exception {
        assertThat(visitorIndexes("events")).hasSize(1);
    }

    /** Every committed page view is found by its visitor, however far the database has indexed it. */
    @Test
    void forVisitor_findsEveryCommittedViewOfTheVisitorOnly() {
        pageViews.addVisitor("v-a", "shop", NOW);
        pageViews.addVisitor("v-b", "shop", NOW);
        pageViews.addAll(List.of(view("v-a", "e-a-1", "/a1"), view("v-b", "e-b-1", "/b1")));
        pageViews.addAll(List.of(view("v-a", "e-a-2", "/a2")));

        assertThat(pageViews.forVisitor("v-a")).extracting(PageView::eventId).containsExactly("e-a-1", "e-a-2");
        assertThat(pageViews.forVisitor("v-b")).extracting(PageView::eventId).containsExactly("e-b-1");
        assertThat(pageViews.forVisitor("v-none")).isEmpty();
    }

    /** Ids may come from a cached block (V8 on H2): a restart leaves a gap, never a duplicate or a step back. */
    @Test
    void reopen_afterIdsWereHandedOut_newRowsGetLargerIds() throws Exception {
        pageViews.addVisitor("v-ids", "shop", NOW);
        pageViews.addAll(List.of(view("v-ids", "e-ids-1", "/a"), view("v-ids", "e-ids-2", "/b")));
        long before = maxId("page_views");
        database.close();

        database = reopen();
        pageViews = new PageViewStore(database.dataSource());
        pageViews.addAll(List.of(view("v-ids", "e-ids-3", "/c")));

        assertThat(maxId("page_views")).isGreaterThan(before);
        assertThat(pageViews.forVisitor("v-ids")).extracting(PageView::eventId).containsExactly("e-ids-1", "e-ids-2", "e-ids-3");
    }

    private long maxId(String table) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT MAX(id) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void open_freshDatabase_migratesSchemaAndIsReachable() throws Exception {
        assertThat(database.isReachable()).isTrue();
        assertThat(count("page_views")).isZero();
        assertThat(count("visitors")).isZero();
        assertThat(count("api_keys")).isZero();
    }

    @Test
    void reopen_existingDatabase_keepsStoredData() throws Exception {
        pageViews.addVisitor("v1", "shop", NOW);
        pageViews.addAll(List.of(view("v1", "e1", "/")));
        database.close();

        database = reopen();
        pageViews = new PageViewStore(database.dataSource());

        assertThat(pageViews.forVisitor("v1")).extracting(PageView::eventId).containsExactly("e1");
    }

    @Test
    void addAll_storesEveryFieldAsGiven() {
        pageViews.addVisitor("v1", "shop", NOW);
        PageView stored = view("v1", "e1", "/pricing");

        pageViews.addAll(List.of(stored));

        PageView read = pageViews.forVisitor("v1").get(0);
        assertThat(read).usingRecursiveComparison().ignoringFields("viewedAt", "clientTime").isEqualTo(stored);
        assertThat(read.viewedAt().truncatedTo(ChronoUnit.MILLIS)).isEqualTo(NOW);
        assertThat(read.clientTime()).isEqualTo(NOW.minusSeconds(2));
    }

    @Test
    void addAll_sameEventIdAgain_isStoredOnce() throws Exception {
        pageViews.addVisitor("v1", "shop", NOW);

        pageViews.addAll(List.of(view("v1", "e1", "/"), view("v1", "e1", "/")));
        pageViews.addAll(List.of(view("v1", "e1", "/"), view("v1", "e2", "/next")));

        assertThat(count("page_views")).isEqualTo(2);
        assertThat(pageViews.forVisitor("v1")).extracting(PageView::path).containsExactly("/", "/next");
    }

    @Test
    void addAll_concurrentRetriesOfTheSameEvents_storeEachOnce() throws Exception {
        pageViews.addVisitor("v1", "shop", NOW);
        List<PageView> views = IntStream.range(0, 50).mapToObj(i -> view("v1", "e" + i, "/p" + i)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                tasks.add(() -> {
                    for (int i = 0; i < views.size(); i += 10) {
                        pageViews.addAll(views.subList(i, i + 10));
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(count("page_views")).isEqualTo(50);
    }

    @Test
    void addAll_batchWithABadRow_storesNothingOfItAndKeepsEarlierData() throws Exception {
        pageViews.addVisitor("v1", "shop", NOW);
        pageViews.addAll(List.of(view("v1", "kept", "/")));

        PageView tooLong = new PageView("shop", "e3", "v1", "https://example.org/b", "/b", "t".repeat(513), null, "SE", NOW,
                null);
        assertThatThrownBy(() -> pageViews.addAll(List.of(view("v1", "e2", "/a"), tooLong)))
                .isInstanceOf(StorageException.class);

        assertThat(pageViews.forVisitor("v1")).extracting(PageView::eventId).containsExactly("kept");
    }

    @Test
    void addVisitor_twice_keepsOne() throws Exception {
        pageViews.addVisitor("v1", "shop", NOW);
        pageViews.addVisitor("v1", "shop", NOW.plusSeconds(60));

        assertThat(count("visitors")).isEqualTo(1);
    }

    @Test
    void ensureAdminKey_firstStartOnly_generatesAndStoresOnlyItsHash() throws Exception {
        ApiKeys keys = new ApiKeys(database.dataSource(), Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());

        String generated = keys.ensureAdminKey(null).orElseThrow();

        assertThat(keys.ensureAdminKey(null)).as("second start prints nothing").isEmpty();
        assertThat(generated).startsWith("spor_").hasSizeGreaterThan(40);
        assertThat(keys.isValid(generated)).isTrue();
        assertThat(keys.isValid(generated + "x")).isFalse();
        assertThat(keys.isValid("")).isFalse();
        assertThat(keys.isValid(null)).isFalse();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT key_hash FROM api_keys")) {
            r.next();
            assertThat(r.getString(1)).hasSize(64).isNotEqualTo(generated);
        }
    }

    @Test
    void ensureAdminKey_configuredKey_replacesTheGeneratedOne() {
        ApiKeys keys = new ApiKeys(database.dataSource(), Clock.systemUTC(), new SecureRandom());
        String generated = keys.ensureAdminKey(null).orElseThrow();

        assertThat(keys.ensureAdminKey("operator-chosen-key-0123456789")).isEmpty();

        assertThat(keys.isValid("operator-chosen-key-0123456789")).isTrue();
        assertThat(keys.isValid(generated)).isFalse();
    }

    @Test
    void isReachable_afterClose_isFalse() {
        database.close();

        assertThat(database.isReachable()).isFalse();
    }
}
