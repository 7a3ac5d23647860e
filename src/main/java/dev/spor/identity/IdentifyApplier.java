package dev.spor.identity;

import dev.spor.config.LiveConfig;
import dev.spor.config.SiteConfig;
import dev.spor.storage.StorageException;
import java.sql.Connection;
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

/**
 * Applies the identifies that collection stored as {@code events} rows: each one once, in its
 * own transaction that claims the row ({@code applied_at} set) and applies the identity rules
 * together, so that two nodes never apply one twice and a crash leaves it to be applied after
 * the restart. Runs on one daemon thread, every {@link #INTERVAL}. Thread-safe.
 */
final class IdentifyApplier implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofMillis(250);
    private static final int BATCH = 200;
    private static final Logger LOG = Logger.getLogger(IdentifyApplier.class.getName());

    private final Transactions tx;
    private final Identities identities;
    private final LiveConfig config;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spor-identify");
        t.setDaemon(true);
        return t;
    });

    private record Pending(long id, String site, String visitorId, String email, String properties, String hmac,
            Instant at) {
    }

    IdentifyApplier(Transactions tx, Identities identities, LiveConfig config, Clock clock) {
        this.tx = tx;
        this.identities = identities;
        this.config = config;
        this.clock = clock;
    }

    void start() {
        thread.scheduleWithFixedDelay(this::runSafely, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runSafely() {
        try {
            applyPending();
        } catch (StorageException e) {
            LOG.warning(() -> "applying identifies failed, trying again shortly: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.severe(() -> "applying identifies failed: " + e);
        }
    }

    /** Applies every identify waiting now; returns how many were claimed here. */
    int applyPending() {
        int claimed = 0;
        List<Pending> pending;
        do {
            pending = pending();
            for (Pending p : pending) {
                if (applyOne(p)) {
                    claimed++;
                }
            }
        } while (pending.size() == BATCH);
        return claimed;
    }

    private List<Pending> pending() {
        return tx.run("reading identifies", c -> {
            List<Pending> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, site, visitor_id, name, properties, hmac, occurred_at"
                    + " FROM events WHERE type = 'identify' AND applied_at IS NULL ORDER BY id FETCH FIRST " + BATCH
                    + " ROWS ONLY")) {
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        rows.add(new Pending(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                                r.getString(6), r.getTimestamp(7).toInstant()));
                    }
                }
            }
            return rows;
        });
    }

    private boolean applyOne(Pending p) {
        Optional<SiteConfig> site = config.get().site(p.site());
        return tx.run("applying an identify", c -> {
            if (!claim(c, p.id(), "pending")) {
                return false; // another node has it
            }
            String outcome;
            if (site.isEmpty()) {
                outcome = "no-site";
            } else {
                outcome = identities.identify(c, site.get(), p.visitorId(), p.email(), p.properties(), p.hmac(), p.at())
                        ? "applied" : "unverified";
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE events SET outcome = ? WHERE id = ?")) {
                s.setString(1, outcome);
                s.setLong(2, p.id());
                s.executeUpdate();
            }
            return true;
        });
    }

    private boolean claim(Connection c, long id, String outcome) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE events SET applied_at = ?, outcome = ? WHERE id = ? AND applied_at IS NULL")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setString(2, outcome);
            s.setLong(3, id);
            return s.executeUpdate() == 1;
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
