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
import javax.sql.DataSource;

/**
 * Stores page views idempotently: a batch is one transaction, and an event id already stored
 * for the site is skipped (the unique constraint decides, so concurrent retries are safe too).
 * Thread-safe.
 */
public final class PageViewStore {
    private static final String INSERT_VISITOR =
            "INSERT INTO visitors (id, site, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String INSERT_VIEW = "INSERT INTO page_views (site, event_id, visitor_id, url, path, title,"
            + " referrer, country, viewed_at, client_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

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
     * already there).
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
        s.setTimestamp(10, v.clientTime() == null ? null : Timestamp.from(v.clientTime()));
    }

    /** A visitor's page views, oldest first. */
    public List<PageView> forVisitor(String visitorId) {
        String sql = "SELECT site, event_id, visitor_id, url, path, title, referrer, country, viewed_at, client_time"
                + " FROM page_views WHERE visitor_id = ? ORDER BY viewed_at, id";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, visitorId);
            List<PageView> views = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Timestamp client = r.getTimestamp(10);
                    views.add(new PageView(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getString(6), r.getString(7), r.getString(8),
                            r.getTimestamp(9).toInstant(), client == null ? null : client.toInstant()));
                }
            }
            return views;
        } catch (SQLException e) {
            throw new StorageException("reading page views failed: " + e.getMessage(), e);
        }
    }
}
