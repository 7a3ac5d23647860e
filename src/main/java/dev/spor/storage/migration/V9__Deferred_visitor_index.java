package dev.spor.storage.migration;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2, a page view's visitor is indexed after its commit, in bulk, instead of in it. The index
 * behind the foreign key to {@code visitors} (V7 left it the only one) took every page view in
 * random order, and H2 rewrote a page of it for nearly every row of every commit: without it the
 * bench stored 18,775 instead of 10,477 beacons/s. So on H2:
 * <ul>
 * <li>{@code page_views} loses that foreign key, and with it the index;
 * <li>a commit of page views also queues each new one in {@code page_views_unindexed}, whose key
 *     is the page view's id: an append, as cheap as the primary key's;
 * <li>{@code H2VisitorIndex} moves the queue into {@code page_view_visitors}, keyed by visitor,
 *     about once a second in one transaction, and creates the visitor of a page view stored
 *     without one (a visitor erased while a beacon of theirs was being written);
 * <li>{@code visitor_page_views} is the page views with their visitor, read through both: queries
 *     by visitor read it instead of {@code page_views}, and see every committed page view.
 * </ul>
 * Deleting a page view deletes its entries in both: the queue's by its foreign key, the index's
 * by {@code PageViewDeleteTrigger}. On PostgreSQL the view is
 * {@code page_views} itself, which keeps its foreign key and its {@code (visitor_id, viewed_at)}
 * index: PostgreSQL's B-tree inserts cost no page rewrite per commit.
 */
public final class V9__Deferred_visitor_index extends BaseJavaMigration {
    private static final String COLUMNS = "id, site, visitor_id, event_id, url, path, title, referrer, country, viewed_at,"
            + " client_time, ua_family, is_bot";
    /** {@link #COLUMNS} of {@code page_views p}, but the visitor from the table named by the placeholder. */
    private static final String FROM_JOIN = "p.id, p.site, %s.visitor_id, p.event_id, p.url, p.path, p.title, p.referrer,"
            + " p.country, p.viewed_at, p.client_time, p.ua_family, p.is_bot";

    @Override
    public void migrate(Context context) throws SQLException {
        try (Statement s = context.getConnection().createStatement()) {
            if (!"H2".equals(context.getConnection().getMetaData().getDatabaseProductName())) {
                s.execute("CREATE VIEW visitor_page_views AS SELECT " + COLUMNS + " FROM page_views");
                return;
            }
            s.execute("CREATE TABLE page_view_visitors (visitor_id VARCHAR(64) NOT NULL,"
                    + " view_id BIGINT NOT NULL, PRIMARY KEY (visitor_id, view_id))");
            s.execute("CREATE TABLE page_views_unindexed (view_id BIGINT NOT NULL PRIMARY KEY REFERENCES page_views (id)"
                    + " ON DELETE CASCADE, visitor_id VARCHAR(64) NOT NULL)");
            s.execute("INSERT INTO page_view_visitors (visitor_id, view_id) SELECT visitor_id, id FROM page_views"
                    + " ORDER BY visitor_id, id");
            s.execute("CREATE TRIGGER page_views_unindex AFTER DELETE ON page_views FOR EACH ROW"
                    + " CALL 'dev.spor.storage.PageViewDeleteTrigger'");
            for (String constraint : visitorForeignKeys(s)) {
                s.execute("ALTER TABLE page_views DROP CONSTRAINT \"" + constraint + "\"");
            }
            s.execute("CREATE VIEW visitor_page_views (" + COLUMNS + ") AS SELECT " + FROM_JOIN.formatted("x")
                    + " FROM page_view_visitors x JOIN page_views p ON p.id = x.view_id"
                    + " UNION ALL SELECT " + FROM_JOIN.formatted("q")
                    + " FROM page_views_unindexed q JOIN page_views p ON p.id = q.view_id");
        }
    }

    /** The names of the foreign keys from {@code page_views} to {@code visitors} (H2 named it itself). */
    private static List<String> visitorForeignKeys(Statement s) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT f.constraint_name FROM information_schema.table_constraints f"
                + " JOIN information_schema.referential_constraints rc ON rc.constraint_name = f.constraint_name"
                + " AND rc.constraint_schema = f.constraint_schema"
                + " JOIN information_schema.table_constraints u ON u.constraint_name = rc.unique_constraint_name"
                + " AND u.constraint_schema = rc.unique_constraint_schema"
                + " WHERE f.table_name = 'page_views' AND f.constraint_type = 'FOREIGN KEY' AND u.table_name = 'visitors'")) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        }
        if (names.size() != 1) {
            throw new SQLException("expected one foreign key from page_views to visitors, found " + names);
        }
        return names;
    }
}
