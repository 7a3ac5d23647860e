package dev.spor.storage;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The embedded database's visitor index of page views, written after their commit (see
 * {@code V9__Deferred_visitor_index}): each round moves the queued page views
 * ({@code page_views_unindexed}) into {@code page_view_visitors}, about once a second: what is
 * queued is sorted by visitor and moved in transactions of {@link #ROWS_PER_COMMIT} page views.
 * Committed page views are never missing from queries by visitor meanwhile:
 * {@code visitor_page_views} reads the queue too.
 * <p>
 * A round moves exactly the rows it read, whatever order their commits came in, and creates
 * the visitor of any page view stored without one: H2's page views have no foreign key to
 * {@code visitors} any more, and a beacon written while its visitor was being erased would
 * otherwise be left without its visitor (on PostgreSQL the key makes the writer store it again).
 * A round that fails (a page view erased while it ran) is rolled back and the next one tries
 * again. Thread-safe.
 */
final class H2VisitorIndex implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(H2VisitorIndex.class.getName());
    /** Between rounds once the queue is empty or was moved whole. */
    static final long ROUND_MILLIS = 1_000;
    /**
     * Queued page views moved by one round at most, so that one transaction stays small (its
     * undo log is on the heap); a round that moved this many is followed by the next at once.
     */
    static final int MAX_ROWS_PER_ROUND = 50_000;
    /**
     * Page views a round moves per transaction. Every commit of the writer serializes the pages
     * a round has changed and not yet committed, and a round's commit holds H2's store lock while
     * it writes them: one transaction a round held beacons 50 ms and more behind it.
     */
    static final int ROWS_PER_COMMIT = 500;
    /** Visitors looked up in one statement when checking that they exist. */
    private static final int LOOKUP_CHUNK = 1_000;

    private final DataSource dataSource;
    private final ScheduledExecutorService timer;
    private volatile boolean closing;

    private H2VisitorIndex(DataSource dataSource) {
        this.dataSource = dataSource;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "spor-h2-visitor-index");
            thread.setDaemon(true);
            thread.setPriority(Thread.NORM_PRIORITY - 1);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.timer = executor;
    }

    /** Rounds on the embedded database behind {@code dataSource}, the first a round's interval from now. */
    static H2VisitorIndex start(DataSource dataSource) {
        H2VisitorIndex index = new H2VisitorIndex(dataSource);
        index.timer.schedule(index::roundAndReschedule, ROUND_MILLIS, TimeUnit.MILLISECONDS);
        return index;
    }

    private void roundAndReschedule() {
        int moved = 0;
        try {
            moved = round();
        } catch (SQLException | RuntimeException e) {
            if (!closing) {
                LOG.log(Level.WARNING, "indexing page views by visitor failed; the next round tries again: " + e, e);
            }
        }
        try {
            timer.schedule(this::roundAndReschedule, moved == MAX_ROWS_PER_ROUND ? 0 : ROUND_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // close() stopped the timer
        }
    }

    /**
     * One round: moves up to {@link #MAX_ROWS_PER_ROUND} queued page views into the index and
     * creates their missing visitors, sorted by visitor and in transactions of at most
     * {@link #ROWS_PER_COMMIT} page views each.
     *
     * @return page views read from the queue (moved, or deleted meanwhile)
     * @throws SQLException when a part of the round failed (that part was rolled back; the
     *     parts before it stay moved, and the next round moves the rest)
     */
    synchronized int round() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<Queued> queued = read(c);
            c.commit();
            // in key order: the entries of one visitor go into the same page, one after another,
            // and each commit takes the next stretch of the index's pages
            queued.sort(Comparator.comparing(Queued::visitor).thenComparingLong(Queued::view));
            for (int from = 0; from < queued.size(); from += ROWS_PER_COMMIT) {
                try {
                    move(c, queued.subList(from, Math.min(queued.size(), from + ROWS_PER_COMMIT)));
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
            return queued.size();
        }
    }

    /** A queued page view. */
    private record Queued(long view, String visitor) {
    }

    private static List<Queued> read(Connection c) throws SQLException {
        List<Queued> queued = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT view_id, visitor_id FROM page_views_unindexed ORDER BY view_id"
                + " FETCH FIRST " + MAX_ROWS_PER_ROUND + " ROWS ONLY"); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                queued.add(new Queued(r.getLong(1), r.getString(2)));
            }
        }
        return queued;
    }

    /** Moves these queued page views (sorted by visitor) into the index, in the caller's transaction. */
    private static void move(Connection c, List<Queued> part) throws SQLException {
        // off the queue first: a page view deleted since it was read (retention, erasure) took its
        // queue row with it, so it finds none, and gets no index entry that nothing would delete
        int[] dequeued;
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM page_views_unindexed WHERE view_id = ?")) {
            for (Queued q : part) {
                delete.setLong(1, q.view());
                delete.addBatch();
            }
            dequeued = delete.executeBatch();
        }
        Map<String, Long> firstView = new LinkedHashMap<>();
        boolean any = false;
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO page_view_visitors (visitor_id, view_id) VALUES (?, ?)")) {
            for (int i = 0; i < part.size(); i++) {
                if (dequeued[i] == 1) {
                    Queued q = part.get(i);
                    insert.setString(1, q.visitor());
                    insert.setLong(2, q.view());
                    insert.addBatch();
                    firstView.putIfAbsent(q.visitor(), q.view());
                    any = true;
                }
            }
            if (any) {
                insert.executeBatch();
            }
        }
        createMissingVisitors(c, firstView);
    }

    /** Creates, from one of its page views, each visitor that does not exist. */
    private static void createMissingVisitors(Connection c, Map<String, Long> firstView) throws SQLException {
        Set<String> existing = new HashSet<>();
        List<String> all = new ArrayList<>(firstView.keySet());
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM visitors WHERE id = ANY(?)")) {
            for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
                Array chunk = c.createArrayOf("VARCHAR", all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK)).toArray());
                s.setArray(1, chunk);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        existing.add(r.getString(1));
                    }
                }
            }
        }
        if (existing.size() == all.size()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO visitors (id, site, created_at)"
                + " SELECT visitor_id, site, viewed_at FROM page_views WHERE id = ? ON CONFLICT DO NOTHING")) {
            for (Map.Entry<String, Long> visitor : firstView.entrySet()) {
                if (!existing.contains(visitor.getKey())) {
                    s.setLong(1, visitor.getValue());
                    s.addBatch();
                }
            }
            s.executeBatch();
        }
        LOG.info(() -> (all.size() - existing.size()) + " visitor(s) of stored page views created again (erased while"
                + " a beacon of theirs was written)");
    }

    /** The rounds have stopped for good (after {@link #close()}). */
    boolean stopped() {
        return timer.isTerminated();
    }

    /** Stops the rounds, waiting for one under way; queued page views are moved after the next start. */
    @Override
    public void close() {
        closing = true;
        timer.shutdown();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
