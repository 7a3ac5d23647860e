package dev.spor.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Spor's database: a connection pool on either the embedded H2 (files in the data directory)
 * or PostgreSQL, with the schema migrated by Flyway when opened. Thread-safe.
 */
public final class Database implements AutoCloseable {
    private static final String MIGRATIONS = "classpath:dev/spor/storage/migration";
    /** The embedded database's page cache, in KB (see {@link #open}). */
    static final int H2_CACHE_KB = 1024;

    private final HikariDataSource pool;
    private final String description;
    /** The embedded store's chunk rewrites; null on PostgreSQL. */
    private final H2Housekeeping housekeeping;
    /** The embedded database's deferred visitor index of page views; null on PostgreSQL. */
    private final H2VisitorIndex visitorIndex;

    /** The embedded store's housekeeping, null on PostgreSQL (for tests). */
    H2Housekeeping housekeeping() {
        return housekeeping;
    }

    /** The embedded database's visitor index rounds, null on PostgreSQL (for tests). */
    H2VisitorIndex visitorIndex() {
        return visitorIndex;
    }

    private Database(HikariDataSource pool, String description, H2Housekeeping housekeeping, H2VisitorIndex visitorIndex) {
        this.pool = pool;
        this.description = description;
        this.housekeeping = housekeeping;
        this.visitorIndex = visitorIndex;
    }

    /**
     * Opens the database and brings its schema up to date.
     *
     * @param dataDir directory for the embedded database files (created if missing); unused
     *     with a JDBC URL
     * @param jdbcUrl a {@code jdbc:postgresql:} URL, or null for the embedded database
     * @throws StorageException with one line saying what failed
     */
    public static Database open(Path dataDir, String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("spor");
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(3_000);
        config.setValidationTimeout(2_000);
        String description;
        boolean embedded = jdbcUrl == null || jdbcUrl.isBlank();
        if (embedded) {
            Path dir = createDataDir(dataDir);
            // PAGE_SIZE: H2 splits B-tree pages at 2 KB instead of 16 KB. Each commit rewrites every
            // page it changed, and a visitor's index takes its entries in random order, one page
            // each: smaller pages cost less to rewrite. Beacons/s in the bench, steady state:
            // 16 KB 4,926; 4 KB 6,060-6,838; 2 KB 6,750-8,289; 1 KB 5,066 (too many inner pages).
            // It applies to pages written from then on, so old files open as before.
            // CACHE_SIZE: H2 keeps 1 MB of pages instead of 16 MB. Every page a commit writes goes
            // into that cache, so under load the young generation was full of pages still cached
            // and every young collection copied them: at 5,000 beacons/s its pauses took 25-55 ms
            // with 16 MB, 14-22 ms with 4 MB, 5-13 ms with 1 MB, at the same throughput; reports
            // scan, so they took as long with either (7-11 s over 700,000 page views).
            config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("spor") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
                    + ";DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;PAGE_SIZE=2048;CACHE_SIZE=" + H2_CACHE_KB);
            config.setDriverClassName("org.h2.Driver");
            config.setUsername("sa");
            config.setPassword("");
            description = "embedded H2 in " + dir;
        } else if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            config.setJdbcUrl(jdbcUrl);
            // named, so the pool loads the driver itself instead of trusting DriverManager's registry
            config.setDriverClassName("org.postgresql.Driver");
            config.setUsername(user);
            config.setPassword(password);
            // JDBC batches (identities, imports; collection goes in one statement of arrays):
            // let the driver send each as multi-row INSERTs
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            description = "PostgreSQL at " + mask(jdbcUrl);
        } else {
            throw new StorageException("unsupported database URL " + mask(jdbcUrl)
                    + ": use jdbc:postgresql://host:port/database, or none for the embedded database", null);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StorageException("cannot reach the database (" + description + "): " + rootMessage(e), e);
        }
        try {
            Flyway.configure().dataSource(pool).locations(MIGRATIONS).load().migrate();
        } catch (FlywayException e) {
            pool.close();
            throw new StorageException("cannot migrate the database schema (" + description + "): " + rootMessage(e), e);
        }
        H2Housekeeping housekeeping = null;
        H2VisitorIndex visitorIndex = null;
        if (embedded) {
            visitorIndex = H2VisitorIndex.start(pool);
            try {
                housekeeping = H2Housekeeping.start(pool);
            } catch (SQLException | RuntimeException e) {
                visitorIndex.close();
                pool.close();
                throw new StorageException("cannot reach the embedded store (" + description + "): " + rootMessage(e), e);
            }
        }
        return new Database(pool, description, housekeeping, visitorIndex);
    }

    /**
     * {@link #open} on a thread of its own, for a caller with other work to do meanwhile (a
     * first start migrates for about a second). The future fails with the
     * {@link StorageException} that {@code open} would throw.
     */
    public static CompletableFuture<Database> openInBackground(Path dataDir, String jdbcUrl, String user,
            String password) {
        return CompletableFuture.supplyAsync(() -> open(dataDir, jdbcUrl, user, password), task -> {
            Thread thread = new Thread(task, "spor-database-open");
            thread.setDaemon(true);
            thread.start();
        });
    }

    private static Path createDataDir(Path dataDir) {
        try {
            return Files.createDirectories(dataDir.toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new StorageException("cannot create the data directory " + dataDir + ": " + e, e);
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Which database this is, for logs; never contains a password. */
    public String description() {
        return description;
    }

    /** Whether the database answers now (used by {@code /healthz}); never throws. */
    public boolean isReachable() {
        try (Connection connection = pool.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (visitorIndex != null) {
            visitorIndex.close();
        }
        if (housekeeping != null) {
            housekeeping.close();
        }
        pool.close();
    }

    /** A JDBC URL fit for a log: any password parameter replaced by stars. */
    static String mask(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
