package dev.spor.storage.migration;

import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * One index on {@code visitor_id} per collected table instead of two, on H2. H2 backs each
 * foreign key with an index of its own ({@code visitor_id}), and it cannot use the
 * {@code (visitor_id, time)} index the schema also declares; so every stored page view and event
 * went into two indexes in random order, the costliest part of an H2 commit. The declared index
 * goes; the key's index serves a visitor's rows, whose order within a visitor is the order they
 * were stored in. PostgreSQL never indexes a foreign key by itself, so it keeps its one index.
 */
public final class V7__One_visitor_index extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        if (!"H2".equals(context.getConnection().getMetaData().getDatabaseProductName())) {
            return;
        }
        try (Statement s = context.getConnection().createStatement()) {
            s.execute("DROP INDEX page_views_visitor");
            s.execute("DROP INDEX events_visitor");
        }
    }
}
