package dev.spor.storage.migration;

import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2, the ids of the tables written on every beacon and decision come from their identity
 * sequences 1,024 at a time instead of 32. H2 writes a sequence's next value to its catalogue
 * in a commit of its own, a whole store, each time the cached values run out: every second
 * batch of page views paid for one (a tenth of the writer's time, measured with JFR). The cost
 * is a gap of up to 1,024 ids after a restart; nothing reads meaning into the ids. PostgreSQL
 * fetches sequence values cheaply and keeps its default.
 */
public final class V8__Identity_cache extends BaseJavaMigration {
    /** The tables whose rows arrive with the traffic. */
    private static final String[] TABLES = {"page_views", "events", "consent_log"};

    @Override
    public void migrate(Context context) throws SQLException {
        if (!"H2".equals(context.getConnection().getMetaData().getDatabaseProductName())) {
            return;
        }
        try (Statement s = context.getConnection().createStatement()) {
            for (String table : TABLES) {
                s.execute("ALTER TABLE " + table + " ALTER COLUMN id SET CACHE 1024");
            }
        }
    }
}
