package dev.spor.testing;

import dev.spor.storage.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Databases for tests: the embedded H2 in a temporary directory, or the local PostgreSQL in a
 * schema of its own per test, so runs never collide. PostgreSQL comes from
 * {@code SPOR_TEST_PG_URL} / {@code SPOR_TEST_PG_USER} (default: 127.0.0.1:5432, database
 * {@code test}, user {@code postgres}); when it is down the tests fail, they do not skip.
 */
public final class TestDatabases {
    public static final String PG_URL = env("SPOR_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String PG_USER = env("SPOR_TEST_PG_USER", "postgres");
    public static final String PG_PASSWORD = env("SPOR_TEST_PG_PASSWORD", "");

    private TestDatabases() {
    }

    public static Database h2(Path dir) {
        return Database.open(dir, null, null, null);
    }

    /** A fresh, empty PostgreSQL schema; drop it with {@link #dropSchema}. */
    public static String newSchema() throws SQLException {
        String schema = "spor_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE SCHEMA " + schema);
        return schema;
    }

    /** The JDBC URL of a schema made by {@link #newSchema}. */
    public static String urlOf(String schema) {
        return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Settings of a server on PostgreSQL in {@code schema} (made by {@link #newSchema}). */
    public static dev.spor.server.SporSettings settings(Path config, Path data, String schema, String adminKey) {
        return new dev.spor.server.SporSettings(config, data, urlOf(schema), PG_USER, PG_PASSWORD, adminKey);
    }

    public static Database postgres(String schema) {
        return Database.open(Path.of("unused"), urlOf(schema), PG_USER, PG_PASSWORD);
    }

    /** Migrations recorded as applied in {@code schema}: more than zero only if a server really migrated it. */
    public static int migrationsIn(String schema) throws SQLException {
        try (Connection c = connect(urlOf(schema)); java.sql.Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success")) {
            r.next();
            return r.getInt(1);
        }
    }

    public static void dropSchema(String schema) throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /**
     * A plain connection to PostgreSQL at {@code url} (from {@link #urlOf} or {@link #PG_URL}),
     * through the driver itself rather than DriverManager, whose registry a test JVM may have
     * lost the driver from by then (seen in the integration tests after an embedded database
     * was closed).
     */
    public static Connection connect(String url) throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", PG_USER);
        properties.setProperty("password", PG_PASSWORD);
        Connection c = new org.postgresql.Driver().connect(url, properties);
        if (c == null) {
            throw new SQLException("not a PostgreSQL URL: " + url);
        }
        return c;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = connect(PG_URL);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
