package dev.spor.consent;

import dev.spor.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** Appends decisions to the consent log; rows are never updated here. Thread-safe. */
final class ConsentLog {
    private static final String INSERT = "INSERT INTO consent_log (consent_id, site, policy_id, policy_revision, action,"
            + " categories, source, domain, path, country, region, language, decided_at, valid_until, ip_hash, user_agent,"
            + " visitor_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    /** Decisions appended since start, per action; every action is present. */
    private final Map<String, LongAdder> appended = Arrays.stream(Action.values())
            .collect(Collectors.toUnmodifiableMap(a -> a.wire, a -> new LongAdder()));

    ConsentLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Decisions appended since start with this action ({@code accept-all}, ...), for /metrics. */
    long appended(String action) {
        LongAdder count = appended.get(action);
        return count == null ? 0 : count.sum();
    }

    /**
     * One decision as logged.
     *
     * @param ipHash salted hash of the client address, never the address
     * @param visitorId the tracking cookie at the time, or null
     */
    record Entry(String consentId, String site, String policyId, int revision, String action, String categories,
            String source, String domain, String path, String country, String region, String language, Instant decidedAt,
            Instant validUntil, String ipHash, String userAgent, String visitorId) {
    }

    void append(Entry e) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(INSERT)) {
            s.setString(1, e.consentId());
            s.setString(2, e.site());
            s.setString(3, e.policyId());
            s.setInt(4, e.revision());
            s.setString(5, e.action());
            s.setString(6, e.categories());
            s.setString(7, e.source());
            s.setString(8, e.domain());
            s.setString(9, e.path());
            s.setString(10, e.country());
            s.setString(11, e.region());
            s.setString(12, e.language());
            s.setTimestamp(13, Timestamp.from(e.decidedAt()));
            s.setTimestamp(14, Timestamp.from(e.validUntil()));
            s.setString(15, e.ipHash());
            s.setString(16, e.userAgent());
            s.setString(17, e.visitorId());
            s.executeUpdate();
            LongAdder count = appended.get(e.action());
            if (count != null) {
                count.increment();
            }
        } catch (SQLException ex) {
            throw new StorageException("appending to the consent log failed: " + ex.getMessage(), ex);
        }
    }
}
