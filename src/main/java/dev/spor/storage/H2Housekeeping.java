package dev.spor.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * The work H2 leaves undone in the embedded database: forcing the file to disk, and compaction.
 * Spor opens it with {@code WRITE_DELAY=0}, so that every commit is written (to the operating
 * system) before the page views in it are acknowledged; that setting also keeps H2 from starting
 * its background writer, and H2 never forces the file to disk before it closes.
 * <ul>
 * <li><b>Sync.</b> Every round forces the file to disk, at most once a second ({@link
 * #SYNC_INTERVAL_MILLIS}), off the writer's path (a sync takes no lock of H2's). So a power
 * failure loses at most about the last second of acknowledged page views, not the half a minute
 * the operating system may keep writes in memory; and H2 may reuse the space of dead chunks
 * after {@link #RETENTION_MILLIS} instead of its 45 s (see there).
 * <li><b>Compaction.</b> Each commit writes a chunk, and nearly every chunk keeps a page or two
 * that stay live for good (a full leaf of {@code page_views} is never written again), so without
 * rewrites no chunk is ever freed: the file and the chunk list H2 keeps on the heap grew with
 * every beacon (the bench's H2 file was 1.1 GB and the heap held 30,000 chunks after a minute).
 * The live pages of the emptiest chunks are rewritten, 256 KiB at a time, every 250 ms while
 * there is work and every second once there is none, and the space of the chunks freed is reused
 * by later commits. H2 keeps a dead chunk for its retention time before it frees it, so the
 * chunk list levels off near commits/s x the retention time, and the file near twice the live
 * data plus that many seconds of writes, as long as about 1 MB/s of rewrites keeps up with the
 * data (the bench's sustained 7,000 beacons/s is more than that).
 * </ul>
 * Thread-safe.
 */
final class H2Housekeeping implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(H2Housekeeping.class.getName());
    /**
     * Chunks are rewritten while the live share of the bytes of those past the retention time is
     * below this (percent): the file then holds at most about twice the data, plus 45 s of writes.
     * H2's own test, the fill rate of all chunks, stays low under load whatever is rewritten (the
     * dead chunks still retained count), and at 80 % the rewrites never stopped and moved the
     * same live pages again and again.
     */
    static final int TARGET_FILL_RATE = 50;
    /**
     * About this many bytes of live pages are rewritten in one call, which holds H2's store lock
     * (a commit waits for it, so the beacons in it wait too): calls of 4 MiB held it 55-177 ms.
     */
    static final int WRITE_PER_CALL = 256 << 10;
    /**
     * Between rounds while there is work: at most about 1 MB/s of live pages rewritten, which
     * the writer's commits then write. Measured in the bench at 7,000 beacons/s (durable share
     * of the null collector): 0.32 without rewrites, 0.21 at 10 MB/s (the file then stopped
     * growing), 0.23 at 2.5 MB/s in calls of 64 KiB (each call scans H2's chunk list, 30,000 long).
     */
    private static final long BUSY_DELAY_MILLIS = 250;
    /** Between rounds once the chunks are full enough. */
    private static final long IDLE_DELAY_MILLIS = 1_000;
    /** The file is forced to disk at most this often, by the round that comes first after it. */
    static final long SYNC_INTERVAL_MILLIS = 1_000;
    /**
     * How long H2 keeps a chunk after it was written, and half that after it died, before it
     * reuses its space: a power failure must not find the newest version on disk pointing into a
     * chunk overwritten since. H2's 45 s default trusts the operating system to write back
     * within that; with a sync every second (and a sync that may take a few seconds on a busy
     * disk) 10 s is safe, and keeps a quarter as many dead chunks on the heap and in the file.
     */
    static final int RETENTION_MILLIS = 10_000;

    private final MVStore store;
    private final ScheduledExecutorService timer;
    /** When the file was last forced to disk (System.nanoTime), or when the rounds started. */
    private long syncedAt = System.nanoTime();

    /** Rounds on {@code store}, the first after {@code firstDelayMillis}; tests call {@link #round()} themselves. */
    H2Housekeeping(MVStore store, long firstDelayMillis) {
        this.store = store;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "spor-h2-housekeeping");
            thread.setDaemon(true);
            thread.setPriority(Thread.NORM_PRIORITY - 1);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close() drops the next round
        this.timer = executor;
        timer.schedule(this::roundAndReschedule, firstDelayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the rounds on the embedded database behind {@code dataSource}, with H2's retention
     * time cut to {@link #RETENTION_MILLIS} (safe only because the rounds sync).
     */
    static H2Housekeeping start(DataSource dataSource) throws SQLException {
        MVStore store = store(dataSource);
        H2Housekeeping housekeeping = new H2Housekeeping(store, IDLE_DELAY_MILLIS);
        store.setRetentionTime(RETENTION_MILLIS);
        return housekeeping;
    }

    /** The MVStore of the embedded database (H2's own API: there is no SQL for a rewrite). */
    static MVStore store(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
            return session.getDatabase().getStore().getMvStore();
        }
    }

    private void roundAndReschedule() {
        boolean busy = round();
        try {
            timer.schedule(this::roundAndReschedule, busy ? BUSY_DELAY_MILLIS : IDLE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // close() stopped the timer
        }
    }

    /**
     * One round: a sync when the last one is a second old, then one call that rewrites the live
     * pages of the emptiest chunks while their fill rate is below the target; never throws.
     *
     * @return whether it rewrote something, so that the next round comes soon
     */
    boolean round() {
        try {
            if (store.isClosed()) {
                return false;
            }
            long now = System.nanoTime();
            if (now - syncedAt >= TimeUnit.MILLISECONDS.toNanos(SYNC_INTERVAL_MILLIS)) {
                store.sync(); // writes since the last sync, to disk; no lock, so commits go on
                syncedAt = now;
            }
            if (rewritableFillRate() >= TARGET_FILL_RATE) {
                return false;
            }
            // 101: compact's own test is the fill rate of all chunks, which the dead ones still
            // within the retention time keep low under any load; the test above is the one wanted
            return store.compact(101, WRITE_PER_CALL);
        } catch (RuntimeException e) {
            if (!store.isClosed()) {
                LOG.log(Level.WARNING, "H2 housekeeping round failed; the next one tries again: " + e, e);
            }
            return false;
        }
    }

    /** The live share of the bytes of the chunks old enough to be rewritten (H2 reports it only as info). */
    private int rewritableFillRate() {
        int[] rate = {100};
        store.populateInfo((key, value) -> {
            if (key.equals("info.CHUNKS_FILL_RATE_RW")) {
                rate[0] = Integer.parseInt(value);
            }
        });
        return rate[0];
    }

    /** The rounds have stopped for good (after {@link #close()}). */
    boolean stopped() {
        return timer.isTerminated();
    }

    /**
     * Stops the rounds, waiting for one under way (one call: milliseconds); call before the
     * database closes. No interrupt: a thread interrupted in a read of H2's file closes the
     * file's channel under the database.
     */
    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
