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
    private static final String INSERT_EVENT = "INSERT INTO events (site, event_id, visitor_id, type, name, properties,"
            + " hmac, url, path, country, occurred_at, client_time, is_bot)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private final DataSource dataSource;

    public PageViewStore(DataSource dataSource) {
        this.dataSource = dataSource;
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
     * already there). Their visitors must exist.
     */
    public void addAll(List<PageView> views) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(INSERT_VIEW)) {
                for (PageView v : views) {
                    bind(s, v);
                    s.addBatch();
                }
                s.executeBatch();
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
     *     a predicate that knows none
     */
    static void insert(Connection c, List<Row> rows, Predicate<String> stored) throws SQLException {
        Map<String, Row> visitors = new TreeMap<>(); // a fixed order, so concurrent writers cannot deadlock
        List<PageView> views = new ArrayList<>(rows.size());
        List<TrackedEvent> events = new ArrayList<>();
        for (Row row : rows) {
            if (!stored.test(row.visitorId())) {
                visitors.putIfAbsent(row.visitorId(), row);
            }
            if (row instanceof PageView view) {
                views.add(view);
            } else {
                events.add((TrackedEvent) row);
            }
        }
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
            try (PreparedStatement s = c.prepareStatement(INSERT_VIEW)) {
                for (PageView view : views) {
                    bind(s, view);
                    s.addBatch();
                }
                s.executeBatch();
            }
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
                + " ua_family, is_bot FROM page_views WHERE visitor_id = ? ORDER BY viewed_at, id";
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
