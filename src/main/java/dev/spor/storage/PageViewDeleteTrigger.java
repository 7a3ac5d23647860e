package dev.spor.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.h2.api.Trigger;

/**
 * H2's cascade from {@code page_views} to its deferred visitor index ({@code page_view_visitors},
 * see {@code V9__Deferred_visitor_index}): a deleted page view's entry is deleted with it, in the
 * same transaction, by its key. A foreign key would do the same but needs an index on
 * {@code view_id}, which the index's bulk inserts reach in random order, and which made every
 * commit of the writer meanwhile rewrite its pages. So retention and erasure, which delete page
 * views in the SQL both databases share, leave no visitor id behind.
 * <p>
 * Named by the trigger in the database (V9): renaming this class needs a migration.
 */
public final class PageViewDeleteTrigger implements Trigger {
    private int idColumn = -1;
    private int visitorColumn = -1;

    @Override
    public void init(Connection c, String schema, String trigger, String table, boolean before, int type) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT column_name, ordinal_position FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ?")) {
            s.setString(1, schema);
            s.setString(2, table);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    switch (r.getString(1).toLowerCase(java.util.Locale.ROOT)) {
                        case "id" -> idColumn = r.getInt(2) - 1;
                        case "visitor_id" -> visitorColumn = r.getInt(2) - 1;
                        default -> {
                        }
                    }
                }
            }
        }
        if (idColumn < 0 || visitorColumn < 0) {
            throw new SQLException("trigger " + trigger + ": table " + table + " has no id and visitor_id columns");
        }
    }

    @Override
    public void fire(Connection c, Object[] deleted, Object[] inserted) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM page_view_visitors WHERE visitor_id = ? AND view_id = ?")) {
            s.setObject(1, deleted[visitorColumn]);
            s.setObject(2, deleted[idColumn]);
            s.executeUpdate();
        }
    }
}
