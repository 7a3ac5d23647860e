package dev.spor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The database as it is, read through JDBC: every value of every table Spor keeps, as text (for
 * tests that prove something is stored nowhere), and the indexes of a table.
 */
public final class DatabaseScan {
    private DatabaseScan() {
    }

    /** Every non-null value of every table (not the database's own catalogs), as text; bytes as Latin-1. */
    public static List<String> everyValue(DataSource dataSource) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            List<String> tables = tables(c.getMetaData());
            assertThat(tables.stream().map(t -> t.toLowerCase(Locale.ROOT)))
                    .contains("contacts", "page_views", "consent_log", "events", "visitor_links", "form_submissions");
            for (String table : tables) {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    ResultSetMetaData columns = r.getMetaData();
                    while (r.next()) {
                        for (int i = 1; i <= columns.getColumnCount(); i++) {
                            Object value = r.getObject(i);
                            if (value instanceof byte[] bytes) {
                                values.add(new String(bytes, StandardCharsets.ISO_8859_1));
                            } else if (value != null) {
                                values.add(value.toString());
                            }
                        }
                    }
                }
            }
        }
        return values;
    }

    private static List<String> tables(DatabaseMetaData meta) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet r = meta.getTables(null, null, "%", new String[] {"TABLE", "BASE TABLE"})) {
            while (r.next()) {
                String schema = String.valueOf(r.getString("TABLE_SCHEM")).toUpperCase(Locale.ROOT);
                if (!schema.equals("INFORMATION_SCHEMA") && !schema.equals("PG_CATALOG")) {
                    tables.add(r.getString("TABLE_NAME"));
                }
            }
        }
        return tables;
    }

    /** The indexes of {@code table} whose first column is {@code visitor_id}. */
    public static List<String> visitorIndexes(DataSource dataSource, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                ResultSet r = c.getMetaData().getIndexInfo(null, c.getSchema(), table, false, false)) {
            while (r.next()) {
                if (r.getShort("ORDINAL_POSITION") == 1 && "visitor_id".equalsIgnoreCase(r.getString("COLUMN_NAME"))) {
                    names.add(r.getString("INDEX_NAME"));
                }
            }
        }
        return names;
    }
}
