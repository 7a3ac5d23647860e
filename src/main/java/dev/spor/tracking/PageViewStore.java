package dev.spor.tracking;

import dev.spor.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * Stores page views and events idempotently: a batch is one transaction, and an event id
 * already stored for the site is skipped (the unique constraint decides, so concurrent retries
 * are safe too). Collection goes through {@link PageViewWriter}, which groups beacons into
 * such batches. Thread-safe.
 */
public final class PageViewStore {
    private static final String INSERT_VISITOR =
            "INSERT INTO visitors (id, site, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String INSERT_VIEW = "INSERT INTO page_views (site, event_id, visitor_id, url, path, title,"
            + " referrer, country, viewed_at, client_time, ua_family, is_bot)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    /** H2's queue of page views whose visitor is not indexed yet (see V9__Deferred_visitor_index). */
    private static final String QUEUE_VIEW = "INSERT INTO page_views_unindexed (view_id, visitor_id) VALUES (?, ?)";
    private static final String[] QUEUED_COLUMNS = {"id", "visitor_id"};
    private static final String INSERT_EVENT = "INSERT INTO events (site, event_id, visitor_id, type, name, properties,"
            + " hmac, url, path, country, occurred_at, client_time, is_bot)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    /**
     * PostgreSQL: a batch of page views, events and their new visitors in one statement, so that
     * with autocommit it is one round trip (the JDBC batches, then the commit, were three or
     * four) and one statement text whatever the batch holds, planned once per connection. The
     * foreign keys to visitors see the visitors the first part inserts: PostgreSQL checks them
     * after the whole statement. Instants go as ISO-8601 text with their {@code Z}.
     */
    private static final String INSERT_AT_ONCE = "WITH new_visitors AS (INSERT INTO visitors (id, site, created_at)"
            + " SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::timestamptz[]) ON CONFLICT DO NOTHING),"
            + " new_events AS (INSERT INTO events (site, event_id, visitor_id, type, name, properties, hmac, url, path,"
            + " country, occurred_at, client_time, is_bot) SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[],"
            + " ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],"
            + " ?::timestamptz[], ?::timestamptz[], ?::boolean[]) ON CONFLICT DO NOTHING)"
            + " INSERT INTO page_views (site, event_id, visitor_id, url, path, title, referrer, country, viewed_at,"
            + " client_time, ua_family, is_bot) SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[],"
            + " ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[],"
            + " ?::timestamptz[], ?::varchar[], ?::boolean[]) ON CONFLICT DO NOTHING";
    /** The element types of {@link #INSERT_AT_ONCE}'s event columns, in order (instants as text). */
    private static final String[] EVENT_TYPES = {"varchar", "varchar", "varchar", "varchar", "varchar", "varchar",
        "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "bool"};
    /** The element types of {@link #INSERT_AT_ONCE}'s page view columns, in order (instants as text). */
    private static final String[] VIEW_TYPES = {"varchar", "varchar", "varchar", "varchar", "varchar", "varchar",
        "varchar", "varchar", "varchar", "varchar", "varchar", "bool"};

    private final DataSource dataSource;
    /** Null until the first batch: whether page views queue for the deferred visitor index (H2). */
    private volatile Boolean deferred;

    public PageViewStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Whether the database behind {@code c} indexes page views by visitor after their commit
     * (H2, see {@code V9__Deferred_visitor_index}), so each commit must queue its new ones.
     */
    static boolean defersVisitorIndex(Connection c) throws SQLException {
        return "H2".equals(c.getMetaData().getDatabaseProductName());
    }

    /** Records a new visitor (a tracking cookie); an existing one is left as it is. */
    public void addVisitor(String visitorId, String site, Instant createdAt) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(INSERT_VISITOR)) {
            s.setString(1, visitorId);
            s.setString(2, site);
            s.setTimestamp(3, Timestamp.from(createdAt));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StorageException("storing a visitor failed: " + e.getMessage(), e);
        }
    }

    /**
     * Stores a batch in one transaction; when this returns, every view in it is durable (new or
     * already there). Their visitors must exist: PostgreSQL's foreign key refuses the batch
     * otherwise; H2's page views have none, and its deferred visitor index creates the visitor.
     */
    public void addAll(List<PageView> views) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (deferred == null) {
                deferred = defersVisitorIndex(c);
            }
            try {
                insertViews(c, views, deferred);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("storing " + views.size() + " page view(s) failed: " + e.getMessage(), e);
        }
    }

    /**
     * Inserts rows and their visitors (when new) with one JDBC batch per table, in the caller's
     * transaction: the caller commits or rolls back.
     *
     * @param stored visitors known to be stored already, whose insert is skipped; if one was
     *     deleted meanwhile, the foreign key fails the insert, and the caller tries again with
     *     a predicate that knows none (on H2, where page views have no such key, the deferred
     *     visitor index creates the visitor again, within about a second)
     * @param deferred whether the page views queue for the deferred visitor index (H2)
     */
    static void insert(Connection c, List<Row> rows, Predicate<String> stored, boolean deferred) throws SQLException {
        Parts parts = Parts.of(rows, stored);
        Map<String, Row> visitors = parts.visitors();
        List<PageView> views = parts.views();
        List<TrackedEvent> events = parts.events();
        if (!visitors.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(INSERT_VISITOR)) {
                for (Row row : visitors.values()) {
                    s.setString(1, row.visitorId());
                    s.setString(2, row.site());
                    s.setTimestamp(3, Timestamp.from(row.receivedAt()));
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
        if (!views.isEmpty()) {
            insertViews(c, views, deferred);
        }
        if (!events.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(INSERT_EVENT)) {
                for (TrackedEvent event : events) {
                    bind(s, event);
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
    }

    /**
     * Stores page views, events and their visitors (those not known to be stored) in one
     * statement, in the caller's transaction or, with autocommit, in one of its own: all of them
     * or none. Same outcome as {@link #insert}: an event id already stored for its site is
     * skipped, a visitor already stored is left as it is, and a visitor that {@code stored}
     * wrongly claims fails a foreign key (the caller tries again with a predicate that knows none).
     */
    static void insertAtOnce(Connection c, List<Row> rows, Predicate<String> stored) throws SQLException {
        Parts parts = Parts.of(rows, stored);
        Map<String, Row> visitors = parts.visitors();
        List<PageView> views = parts.views();
        List<TrackedEvent> events = parts.events();
        Object[][] visitorColumns = new Object[3][visitors.size()];
        int i = 0;
        for (Row row : visitors.values()) {
            visitorColumns[0][i] = row.visitorId();
            visitorColumns[1][i] = row.site();
            visitorColumns[2][i] = row.receivedAt().toString();
            i++;
        }
        Object[][] eventColumns = new Object[EVENT_TYPES.length][events.size()];
        for (int j = 0; j < events.size(); j++) {
            TrackedEvent e = events.get(j);
            Object[] values = {e.site(), e.eventId(), e.visitorId(), e.type().wire(), e.name(), e.properties(), e.hmac(),
                e.url(), e.path(), e.country(), e.occurredAt().toString(), text(e.clientTime()), e.bot()};
            for (int k = 0; k < values.length; k++) {
                eventColumns[k][j] = values[k];
            }
        }
        Object[][] viewColumns = new Object[VIEW_TYPES.length][views.size()];
        for (int j = 0; j < views.size(); j++) {
            PageView v = views.get(j);
            Object[] values = {v.site(), v.eventId(), v.visitorId(), v.url(), v.path(), v.title(), v.referrer(), v.country(),
                v.viewedAt().toString(), text(v.clientTime()), v.uaFamily(), v.bot()};
            for (int k = 0; k < values.length; k++) {
                viewColumns[k][j] = values[k];
            }
        }
        try (PreparedStatement s = c.prepareStatement(INSERT_AT_ONCE)) {
            int parameter = 1;
            for (Object[] column : visitorColumns) {
                s.setArray(parameter++, c.createArrayOf("varchar", column));
            }
            for (int k = 0; k < EVENT_TYPES.length; k++) {
                s.setArray(parameter++, c.createArrayOf(EVENT_TYPES[k], eventColumns[k]));
            }
            for (int k = 0; k < VIEW_TYPES.length; k++) {
                s.setArray(parameter++, c.createArrayOf(VIEW_TYPES[k], viewColumns[k]));
            }
            s.executeUpdate();
        }
    }

    /**
     * A batch's rows by table: the visitors to insert (those not known to be stored, each with
     * its first row, in id order so that concurrent writers cannot deadlock), page views, events.
     */
    private record Parts(Map<String, Row> visitors, List<PageView> views, List<TrackedEvent> events) {
        static Parts of(List<Row> rows, Predicate<String> stored) {
            Parts parts = new Parts(new TreeMap<>(), new ArrayList<>(rows.size()), new ArrayList<>());
            for (Row row : rows) {
                if (!stored.test(row.visitorId())) {
                    parts.visitors().putIfAbsent(row.visitorId(), row);
                }
                if (row instanceof PageView view) {
                    parts.views().add(view);
                } else {
                    parts.events().add((TrackedEvent) row);
                }
            }
            return parts;
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** One JDBC batch of page views; on H2, another that queues the new ones (not those already stored). */
    private static void insertViews(Connection c, List<PageView> views, boolean deferred) throws SQLException {
        try (PreparedStatement s = deferred ? c.prepareStatement(INSERT_VIEW, QUEUED_COLUMNS) : c.prepareStatement(INSERT_VIEW)) {
            for (PageView view : views) {
                bind(s, view);
                s.addBatch();
            }
            s.executeBatch();
            if (!deferred) {
                return;
            }
            try (ResultSet stored = s.getGeneratedKeys(); PreparedStatement queue = c.prepareStatement(QUEUE_VIEW)) {
                boolean any = false;
                while (stored.next()) {
                    queue.setLong(1, stored.getLong(1));
                    queue.setString(2, stored.getString(2));
                    queue.addBatch();
                    any = true;
                }
                if (any) {
                    queue.executeBatch();
                }
            }
        }
    }

    private static void bind(PreparedStatement s, PageView v) throws SQLException {
        s.setString(1, v.site());
        s.setString(2, v.eventId());
        s.setString(3, v.visitorId());
        s.setString(4, v.url());
        s.setString(5, v.path());
        s.setString(6, v.title());
        s.setString(7, v.referrer());
        s.setString(8, v.country());
        s.setTimestamp(9, Timestamp.from(v.viewedAt()));
        s.setTimestamp(10, timestamp(v.clientTime()));
        s.setString(11, v.uaFamily());
        s.setBoolean(12, v.bot());
    }

    private static void bind(PreparedStatement s, TrackedEvent e) throws SQLException {
        s.setString(1, e.site());
        s.setString(2, e.eventId());
        s.setString(3, e.visitorId());
        s.setString(4, e.type().wire());
        s.setString(5, e.name());
        s.setString(6, e.properties());
        s.setString(7, e.hmac());
        s.setString(8, e.url());
        s.setString(9, e.path());
        s.setString(10, e.country());
        s.setTimestamp(11, Timestamp.from(e.occurredAt()));
        s.setTimestamp(12, timestamp(e.clientTime()));
        s.setBoolean(13, e.bot());
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    /** A visitor's page views, oldest first. */
    public List<PageView> forVisitor(String visitorId) {
        String sql = "SELECT site, event_id, visitor_id, url, path, title, referrer, country, viewed_at, client_time,"
                + " ua_family, is_bot FROM visitor_page_views WHERE visitor_id = ? ORDER BY viewed_at, id";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, visitorId);
            List<PageView> views = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Timestamp client = r.getTimestamp(10);
                    views.add(new PageView(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getString(6), r.getString(7), r.getString(8),
                            r.getTimestamp(9).toInstant(), client == null ? null : client.toInstant(), r.getString(11),
                            r.getBoolean(12)));
                }
            }
            return views;
        } catch (SQLException e) {
            throw new StorageException("reading page views failed: " + e.getMessage(), e);
        }
    }
}
