package dev.spor.reporting;

import dev.spor.config.LiveConfig;
import dev.spor.config.SiteConfig;
import dev.spor.storage.StorageException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The retention job: deletes each site's page views and events older than its
 * {@code retentionDays}, once shortly after start and then daily, and records each site's last
 * run in {@code retention_runs}. Deletes go in chunks of {@value #CHUNK} rows, each its own short
 * transaction, so the job never holds a large one. With several nodes each runs it; a site's run
 * is claimed first (a lease in its {@code retention_runs} row), so one node does a site's work
 * and the others skip it, and were both to delete, deleting what is gone is harmless.
 * Thread-safe.
 */
final class Retention implements AutoCloseable {
    static final Duration FIRST_RUN = Duration.ofMinutes(1);
    static final Duration INTERVAL = Duration.ofDays(1);
    /** A claimed run not finished in this time (its node died) may be taken over. */
    static final Duration LEASE = Duration.ofHours(1);
    static final int CHUNK = 1_000;
    private static final Logger LOG = Logger.getLogger(Retention.class.getName());
    private static final String UNIQUE_VIOLATION = "23505";

    /**
     * A site's last run.
     *
     * @param cutoff rows from before this were deleted
     */
    record Run(String site, Instant ranAt, Instant cutoff, int retentionDays, long pageViewsDeleted, long eventsDeleted) {
    }

    private final LiveConfig config;
    private final DataSource dataSource;
    private final Clock clock;
    /** Set by {@link #close()}: a run stops after the chunk it is deleting. */
    private volatile boolean closing;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spor-retention");
        t.setDaemon(true);
        return t;
    });

    Retention(LiveConfig config, DataSource dataSource, Clock clock) {
        this.config = config;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    void start() {
        thread.scheduleWithFixedDelay(this::runSafely, FIRST_RUN.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runSafely() {
        for (SiteConfig site : config.get().sites()) {
            if (closing) {
                return;
            }
            try {
                run(site).ifPresent(run -> LOG.info(() -> "site " + run.site() + ": retention deleted "
                        + run.pageViewsDeleted() + " page view(s) and " + run.eventsDeleted() + " event(s) from before "
                        + run.cutoff()));
            } catch (StorageException e) {
                LOG.warning(() -> "site " + site.key() + ": retention failed, trying again at the next run: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.severe(() -> "site " + site.key() + ": retention failed: " + e);
            }
        }
    }

    /**
     * Runs the job for one site now.
     *
     * @return the run, or empty when another node holds this site's run or {@link #close()} stopped
     *     it (after the chunk it was deleting; the lease is given back and no run is recorded, so the
     *     next start runs it again)
     */
    Optional<Run> run(SiteConfig site) {
        Instant started = clock.instant();
        if (closing || !claim(site.key(), started)) {
            return Optional.empty();
        }
        Instant cutoff = started.minus(Duration.ofDays(site.retentionDays()));
        try {
            long pageViews = deleteOlder("page_views", "viewed_at", site.key(), cutoff);
            long events = closing ? 0 : deleteOlder("events", "occurred_at", site.key(), cutoff);
            if (closing) {
                release(site.key());
                return Optional.empty();
            }
            Run run = new Run(site.key(), clock.instant(), cutoff, site.retentionDays(), pageViews, events);
            record(run);
            return Optional.of(run);
        } catch (RuntimeException e) {
            release(site.key());
            throw e;
        }
    }

    /** Gives a failed run's lease back, so the next run need not wait for it to expire. */
    private void release(String site) {
        try {
            Sql.run(dataSource, "releasing the retention run", c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE retention_runs SET claimed_until = NULL WHERE site = ?")) {
                    s.setString(1, site);
                    return s.executeUpdate();
                }
            });
        } catch (StorageException e) {
            LOG.warning(() -> "site " + site + ": the retention lease is released when it expires: " + e.getMessage());
        }
    }

    /** Takes the site's lease unless another node holds one that has not expired. */
    private boolean claim(String site, Instant now) {
        return Sql.run(dataSource, "claiming the retention run", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO retention_runs (site, claimed_until) VALUES (?, ?)")) {
                s.setString(1, site);
                s.setTimestamp(2, Timestamp.from(now.plus(LEASE)));
                return s.executeUpdate() == 1;
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE retention_runs SET claimed_until = ? WHERE site = ?"
                    + " AND (claimed_until IS NULL OR claimed_until <= ?)")) {
                s.setTimestamp(1, Timestamp.from(now.plus(LEASE)));
                s.setString(2, site);
                s.setTimestamp(3, Timestamp.from(now));
                return s.executeUpdate() == 1;
            }
        });
    }

    /** Deletes in chunks, each committed on its own, until none is left or the job closes; returns the rows deleted. */
    private long deleteOlder(String table, String column, String site, Instant cutoff) {
        String sql = "DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table + " WHERE site = ? AND " + column
                + " < ? FETCH FIRST " + CHUNK + " ROWS ONLY)";
        return Sql.run(dataSource, "deleting old " + table, c -> {
            long deleted = 0;
            int chunk;
            try (PreparedStatement s = c.prepareStatement(sql)) {
                do {
                    s.setString(1, site);
                    s.setTimestamp(2, Timestamp.from(cutoff));
                    chunk = s.executeUpdate();
                    deleted += chunk;
                } while (chunk == CHUNK && !closing);
            }
            return deleted;
        });
    }

    private void record(Run run) {
        Sql.run(dataSource, "recording the retention run", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE retention_runs SET ran_at = ?, cutoff = ?,"
                    + " retention_days = ?, page_views_deleted = ?, events_deleted = ?, claimed_until = NULL WHERE site = ?")) {
                s.setTimestamp(1, Timestamp.from(run.ranAt()));
                s.setTimestamp(2, Timestamp.from(run.cutoff()));
                s.setInt(3, run.retentionDays());
                s.setLong(4, run.pageViewsDeleted());
                s.setLong(5, run.eventsDeleted());
                s.setString(6, run.site());
                return s.executeUpdate();
            }
        });
    }

    /** The last finished run of each of {@code sites} that has one. */
    List<Run> lastRuns(List<String> sites) {
        return Sql.run(dataSource, "reading retention runs", c -> {
            List<Run> runs = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT site, ran_at, cutoff, retention_days, page_views_deleted,"
                    + " events_deleted FROM retention_runs WHERE ran_at IS NOT NULL ORDER BY site")) {
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        if (sites.contains(r.getString(1))) {
                            runs.add(new Run(r.getString(1), r.getTimestamp(2).toInstant(), r.getTimestamp(3).toInstant(),
                                    r.getInt(4), r.getLong(5), r.getLong(6)));
                        }
                    }
                }
            }
            return runs;
        });
    }

    /**
     * Stops the job: a run under way stops after the chunk it is deleting, which this waits for;
     * call before the database closes. No interrupt: a thread interrupted in a read of H2's file
     * closes the file's channel under the database.
     */
    @Override
    public void close() {
        closing = true;
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warning("the retention run did not stop within 30 s of the shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
