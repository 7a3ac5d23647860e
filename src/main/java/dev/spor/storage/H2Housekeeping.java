package dev.spor.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * The compaction H2 leaves undone in the embedded database. Spor opens it with
 * {@code WRITE_DELAY=0}, so that every commit is written before the page views in it are
 * acknowledged; that setting also keeps H2 from starting its background writer, the thread that
 * rewrites chunks which are mostly dead. Each commit writes a chunk, and nearly every chunk keeps
 * a page or two that stay live for good (a full leaf of {@code page_views} is never written
 * again), so without rewrites no chunk is ever freed: the file and the chunk list H2 keeps on the
 * heap grew with every beacon (the bench's H2 file was 1.1 GB and the heap held 30,000 chunks
 * after a minute). This does that thread's work on one of its own: every second the live pages of
 * the emptiest chunks are rewritten, a megabyte at a time, and the space of the chunks freed is
 * reused by later commits. H2 keeps a dead chunk for its {@code RETENTION_TIME} (45 s, so that a
 * power failure cannot leave the file without a whole earlier version) before it frees it, so the
 * chunk list levels off near commits/s x 45 s, and the file near the live data plus 45 s of
 * writes. Each call takes H2's store lock, which a commit waits for: hence a megabyte per call.
 * Thread-safe.
 */
final class H2Housekeeping implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(H2Housekeeping.class.getName());
    /** Chunks are rewritten while the live share of the chunks' bytes is below this (percent). */
    static final int TARGET_FILL_RATE = 80;
    /** About this many bytes of live pages are rewritten in one call, under H2's store lock. */
    static final int WRITE_PER_CALL = 1 << 20;
    private static final long PERIOD_MILLIS = 1_000;
    /**
     * A round goes on while there is work, for at most this long. One call of 4 MiB a second was
     * too little at the bench's 7,000 beacons/s (600 commits/s): the chunk list still grew by 200
     * a second; with rounds of up to 400 ms it levelled off at about 40,000.
     */
    private static final long ROUND_BUDGET_NANOS = 400_000_000L;

    private final MVStore store;
    private final ScheduledExecutorService timer;

    /** Rounds every {@code periodMillis} on {@code store}; tests call {@link #round()} themselves. */
    H2Housekeeping(MVStore store, long periodMillis) {
        this.store = store;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "spor-h2-housekeeping");
            thread.setDaemon(true);
            thread.setPriority(Thread.NORM_PRIORITY - 1);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::round, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts the rounds on the embedded database behind {@code dataSource}. */
    static H2Housekeeping start(DataSource dataSource) throws SQLException {
        return new H2Housekeeping(store(dataSource), PERIOD_MILLIS);
    }

    /** The MVStore of the embedded database (H2's own API: there is no SQL for a rewrite). */
    static MVStore store(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
            return session.getDatabase().getStore().getMvStore();
        }
    }

    /** One round: rewrites chunks while their fill rate is below the target; never throws. */
    void round() {
        try {
            if (!store.isClosed()) {
                long start = System.nanoTime();
                while (System.nanoTime() - start < ROUND_BUDGET_NANOS
                        && store.compact(TARGET_FILL_RATE, WRITE_PER_CALL)) {
                    // go on while the chunks' fill rate is below the target and a call found work
                }
            }
        } catch (RuntimeException e) {
            if (!store.isClosed()) {
                LOG.log(Level.WARNING, "H2 housekeeping round failed; the next one tries again: " + e, e);
            }
        }
    }

    /** Stops the rounds, waiting for one under way; call before the database closes. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
