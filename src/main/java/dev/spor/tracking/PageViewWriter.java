package dev.spor.tracking;

import dev.spor.storage.StorageException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Group commit for collection: beacons wait in a bounded queue, one writer thread takes what is
 * waiting and writes it in one transaction (on PostgreSQL one statement, see
 * {@code PageViewStore.insertAtOnce}; on H2 one JDBC batch per table), and
 * each beacon's future completes only after its transaction committed. So an acknowledgement always means
 * durably stored, and the cost of a commit is shared by every beacon that arrived meanwhile.
 *
 * <ul>
 *   <li>A batch is what is queued when the writer comes round, up to {@code maxBatch} beacons;
 *       with a {@code maxWait} (none by default), while beacons keep arriving (each within a
 *       tenth of it of the last) it keeps collecting, for at most {@code maxWait} in all.
 *   <li>A full queue refuses at once: the future fails with {@link Refused} (the caller answers
 *       503 and the tracker retries); nothing is dropped silently.
 *   <li>A failing batch does not poison the others: its beacons are retried one by one, each in
 *       its own transaction, so only the bad one fails ({@link StorageException}). When the
 *       database cannot be reached at all, the whole batch fails with {@link Unavailable}.
 *   <li>{@link #close()} refuses new beacons, writes everything queued, then stops.
 * </ul>
 * The rows of one beacon (a page view and the identify it carries) are always written together.
 * Thread-safe; the figures are plain getters, read without locking.
 */
public final class PageViewWriter implements AutoCloseable {
    public static final int DEFAULT_CAPACITY = 10_000;
    public static final int DEFAULT_MAX_BATCH = 500;
    /**
     * No lingering by default: the beacons that arrive while a batch is written make the next
     * one, which is all the grouping a busy server needs. A wait of 2 ms held every connection
     * of the closed-loop bench 2 ms longer per beacon (5,000 against 6,400 beacons/s).
     */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ZERO;
    private static final Logger LOG = Logger.getLogger(PageViewWriter.class.getName());
    /** How many stored visitors the writer remembers. */
    private static final int STORED_VISITORS = 20_000;
    /** How long an idle writer sleeps before it looks whether it was closed. */
    private static final long IDLE_POLL_MILLIS = 50;

    /** The queue is full, or the writer closed: the beacon was not taken. Try again shortly. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The database could not be reached; nothing of the batch was stored. Try again later. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Told of each batch the writer took, on the writer thread; must be quick and must not throw. */
    @FunctionalInterface
    public interface BatchObserver {
        /**
         * @param beacons beacons in the batch
         * @param nanos time from taking the batch to its commit (or failure)
         */
        void written(int beacons, long nanos);
    }

    private record Pending(List<Row> rows, CompletableFuture<Void> done) {
    }

    private final DataSource dataSource;
    /**
     * Visitors this writer stored or saw stored, so a returning visitor's beacon costs no insert
     * of its visitor row. Bounded; written and read by the writer thread only. A visitor erased
     * since (on any node) fails its batch's foreign key, and the one-by-one retry stores it again.
     */
    private final VisitorSet storedVisitors = new VisitorSet(STORED_VISITORS);
    private final BlockingQueue<Pending> queue;
    /** Whether page views queue for H2's deferred visitor index; found on the first batch, by the writer thread. */
    private Boolean deferredVisitorIndex;
    private final int capacity;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final Thread thread;
    private volatile boolean closed;
    /** Set by the writer thread once it took its last batch; later arrivals are refused by whoever sees them. */
    private volatile boolean finished;
    /** Told of every batch written (for /metrics); never null. */
    private volatile BatchObserver observer = (beacons, nanos) -> { };
    /** Test hook: while set, the writer waits on it before writing a batch. */
    private volatile CountDownLatch gate;

    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong beacons = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile int lastBatchSize;

    private PageViewWriter(DataSource dataSource, int capacity, int maxBatch, Duration maxWait) {
        this.dataSource = dataSource;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.thread = new Thread(this::run, "spor-page-view-writer");
        thread.setDaemon(true);
    }

    /** A running writer with the default capacity (10,000), batch size (500) and wait (none). */
    public static PageViewWriter start(DataSource dataSource) {
        return start(dataSource, DEFAULT_CAPACITY, DEFAULT_MAX_BATCH, DEFAULT_MAX_WAIT);
    }

    /**
     * A running writer.
     *
     * @param capacity beacons that may wait at most, 1 or more
     * @param maxBatch beacons written in one transaction at most, 1 or more
     * @param maxWait how long a batch may wait for more beacons, 0 to 1 s
     * @throws IllegalArgumentException naming the bad value
     */
    public static PageViewWriter start(DataSource dataSource, int capacity, int maxBatch, Duration maxWait) {
        if (dataSource == null) {
            throw new IllegalArgumentException("dataSource is required");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, not " + maxBatch);
        }
        if (maxWait == null || maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("maxWait must be between 0 and 1 s, not " + maxWait);
        }
        PageViewWriter writer = new PageViewWriter(dataSource, capacity, maxBatch, maxWait);
        writer.thread.start();
        return writer;
    }

    /**
     * Queues the rows of one beacon. The future completes when they are committed (new, or
     * already there under their event id), or fails with {@link Refused} at once when the queue
     * is full or the writer closed, {@link Unavailable} when the database cannot be reached, or
     * {@link StorageException} when the database refused these rows.
     */
    public CompletableFuture<Void> submit(List<Row> beacon) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (beacon.isEmpty()) {
            done.complete(null);
            return done;
        }
        Pending pending = new Pending(List.copyOf(beacon), done);
        if (closed) {
            return refuse(done, "closed");
        }
        if (!queue.offer(pending)) {
            return refuse(done, "queue full (" + capacity + " beacons waiting)");
        }
        if (finished && queue.remove(pending)) {
            return refuse(done, "closed"); // raced with close(): the writer will not come back for it
        }
        return done;
    }

    private CompletableFuture<Void> refuse(CompletableFuture<Void> done, String why) {
        refused.incrementAndGet();
        done.completeExceptionally(new Refused(why));
        return done;
    }

    /** Refuses new beacons, writes everything queued, and stops the writer thread. Idempotent. */
    @Override
    public void close() {
        closed = true;
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the queue is drained all the same: acknowledged beacons must be kept
            }
        }
        List<Pending> late = new ArrayList<>();
        queue.drainTo(late);
        late.forEach(p -> refuse(p.done(), "closed"));
        LOG.info(() -> "page-view writer stopped: " + beacons.get() + " beacon(s), " + rows.get() + " row(s) in "
                + batches.get() + " batch(es); " + failed.get() + " failed, " + refused.get() + " refused");
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        try {
            while (true) {
                Pending first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed) {
                        break;
                    }
                    continue;
                }
                batch.add(first);
                CountDownLatch held = gate;
                if (held != null) {
                    held.await();
                }
                collect(batch);
                write(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            LOG.severe("page-view writer interrupted; beacons still queued are refused");
            batch.forEach(p -> refuse(p.done(), "writer stopped"));
        } finally {
            finished = true;
        }
    }

    /** Adds what is waiting, and what keeps arriving for a short while, up to {@code maxBatch}. */
    private void collect(List<Pending> batch) throws InterruptedException {
        queue.drainTo(batch, maxBatch - batch.size());
        long deadline = System.nanoTime() + maxWaitNanos;
        long gap = maxWaitNanos / 10;
        while (batch.size() < maxBatch) {
            long left = Math.min(gap, deadline - System.nanoTime());
            Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
        }
    }

    private void write(List<Pending> batch) {
        long started = System.nanoTime();
        batches.incrementAndGet(); // figures first: whoever a future wakes sees them up to date
        lastBatchSize = batch.size();
        try (Connection c = dataSource.getConnection()) {
            if (deferredVisitorIndex == null) {
                deferredVisitorIndex = PageViewStore.defersVisitorIndex(c);
            }
            boolean deferred = deferredVisitorIndex;
            // PostgreSQL: one statement under autocommit (one round trip, nothing to roll back);
            // H2: JDBC batches in a transaction, since its page views also queue for its visitor index
            c.setAutoCommit(!deferred);
            List<Row> rows = rowsOf(batch);
            SQLException failure = commit(c, rows, storedVisitors::contains, deferred);
            if (failure == null) {
                rows.forEach(row -> storedVisitors.add(row.visitorId()));
                batch.forEach(this::succeed);
            } else if (c.isValid(2)) {
                LOG.warning("a batch of " + batch.size() + " beacon(s) failed, retrying them one by one: "
                        + reason(failure));
                storedVisitors.clear(); // one of them may have been erased since
                for (Pending pending : batch) {
                    SQLException alone = commit(c, pending.rows(), visitor -> false, deferred);
                    if (alone == null) {
                        succeed(pending);
                    } else {
                        fail(pending, alone);
                    }
                }
            } else {
                throw failure;
            }
        } catch (SQLException e) {
            LOG.warning("cannot reach the database; " + batch.size() + " beacon(s) not stored: " + reason(e));
            failAll(batch, new Unavailable("database unavailable: " + reason(e), e));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "writing a batch of " + batch.size() + " beacon(s) failed", e);
            failAll(batch, new StorageException("writing a batch failed", e));
        }
        long took = System.nanoTime() - started;
        observer.written(batch.size(), took);
        if (LOG.isLoggable(Level.FINE)) {
            LOG.log(Level.FINE, "wrote a batch of {0} beacon(s) in {1} us", new Object[] {batch.size(), took / 1000});
        }
    }

    /** Tells {@code observer} of every batch from now on (replacing any earlier one). */
    public void observe(BatchObserver observer) {
        this.observer = observer == null ? (beacons, nanos) -> { } : observer;
    }

    /** Fails the beacons of a batch not answered yet. */
    private void failAll(List<Pending> batch, RuntimeException failure) {
        List<Pending> open = batch.stream().filter(p -> !p.done().isDone()).toList();
        failed.addAndGet(open.size());
        open.forEach(p -> p.done().completeExceptionally(failure));
    }

    /**
     * Stores the rows: on PostgreSQL ({@code !deferred}, autocommit) in one statement, on H2 in
     * the connection's transaction, committed or rolled back. Returns the failure, or null.
     */
    private static SQLException commit(Connection c, List<Row> rows, Predicate<String> storedVisitor, boolean deferred)
            throws SQLException {
        if (!deferred) {
            try {
                PageViewStore.insertAtOnce(c, rows, storedVisitor);
                return null;
            } catch (SQLException e) {
                return e;
            }
        }
        try {
            PageViewStore.insert(c, rows, storedVisitor, deferred);
            c.commit();
            return null;
        } catch (SQLException e) {
            c.rollback();
            return e;
        }
    }

    private static List<Row> rowsOf(List<Pending> batch) {
        List<Row> all = new ArrayList<>(batch.size() + 8);
        batch.forEach(p -> all.addAll(p.rows()));
        return all;
    }

    private void succeed(Pending pending) {
        beacons.incrementAndGet();
        rows.addAndGet(pending.rows().size());
        pending.done().complete(null);
    }

    private void fail(Pending pending, SQLException e) {
        Row row = pending.rows().get(0);
        LOG.warning(() -> "site " + row.site() + ": beacon " + row.eventId() + " not stored: " + reason(e));
        failed.incrementAndGet();
        pending.done().completeExceptionally(new StorageException("storing beacon " + row.eventId() + " failed", e));
    }

    /**
     * What went wrong, fit for a log: the database's own reason, cut before any quoted value and
     * any detail lines, since drivers put the rows' values (emails, cookie values) there.
     */
    static String reason(Exception e) {
        Throwable root = e;
        while (root instanceof BatchUpdateException batch && batch.getNextException() != null) {
            root = batch.getNextException();
        }
        String message = String.valueOf(root.getMessage());
        int end = message.indexOf('\n');
        message = end < 0 ? message : message.substring(0, end);
        int quote = message.indexOf('\'');
        message = quote < 0 ? message : message.substring(0, quote) + "...";
        return root instanceof SQLException sql && sql.getSQLState() != null ? message + " [" + sql.getSQLState() + "]" : message;
    }

    /** The most recently used of up to {@code max} visitor ids; not thread-safe. */
    private static final class VisitorSet extends java.util.LinkedHashMap<String, Boolean> {
        private final int max;

        VisitorSet(int max) {
            super(256, 0.75f, true);
            this.max = max;
        }

        boolean contains(String visitor) {
            return get(visitor) != null;
        }

        void add(String visitor) {
            put(visitor, Boolean.TRUE);
        }

        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
            return size() > max;
        }
    }

    /** Test hook: from its next beacon on, the writer waits (holding that one) until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    /** Test hook: lets a held writer go on. */
    void release() {
        CountDownLatch latch = gate;
        gate = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    /** Batches taken since start, each written in one transaction (committed, or failed and retried beacon by beacon). */
    public long batches() {
        return batches.get();
    }

    /** Beacons committed since start. */
    public long beacons() {
        return beacons.get();
    }

    /** Rows committed since start (a beacon with an identify is two rows). */
    public long rows() {
        return rows.get();
    }

    /** Beacons that failed to be stored (bad row or database unavailable). */
    public long failed() {
        return failed.get();
    }

    /** Beacons refused because the queue was full or the writer closed. */
    public long refused() {
        return refused.get();
    }

    /** Beacons in the last batch. */
    public int lastBatchSize() {
        return lastBatchSize;
    }

    /** Beacons waiting now. */
    public int queueDepth() {
        return queue.size();
    }

    /** Beacons that may wait at most. */
    public int capacity() {
        return capacity;
    }
}
