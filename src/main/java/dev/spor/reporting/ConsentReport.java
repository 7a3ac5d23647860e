package dev.spor.reporting;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Consent decisions of a site over a range, per policy and revision: how many of each action
 * and how many granted analytics. Thread-safe.
 */
final class ConsentReport {
    /** Every action the consent log knows, in the order answers list them. */
    static final List<String> ACTIONS = List.of("accept-all", "reject-all", "custom", "revoke", "gpc");
    /** What the acceptance rate is, stated in every answer. */
    static final String DEFINITION = "acceptanceRate = acceptedAnalytics / decisions, where decisions counts every"
            + " logged decision under this policy revision in the range (accept-all, reject-all, custom, revoke, gpc) and"
            + " acceptedAnalytics those whose granted categories include analytics (accept-all, or custom or gpc keeping"
            + " analytics); a browser that decides twice counts twice; null when there are no decisions";

    /**
     * One policy revision's decisions.
     *
     * @param actions decisions per action, every action present (0 when none)
     * @param acceptanceRate acceptedAnalytics / decisions, or null without decisions
     */
    record PolicyRow(String policy, int revision, long decisions, Map<String, Long> actions, long acceptedAnalytics,
            Double acceptanceRate) {
    }

    private final DataSource dataSource;

    ConsentReport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One row per policy revision that has decisions in the range, by policy id then revision. */
    List<PolicyRow> byPolicy(String site, Range range) {
        return Sql.run(dataSource, "counting consent decisions", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT policy_id, policy_revision, action, COUNT(*),"
                    + " SUM(CASE WHEN (',' || categories || ',') LIKE '%,analytics,%' THEN 1 ELSE 0 END)"
                    + " FROM consent_log p WHERE site = ? AND decided_at >= ? AND decided_at < ?"
                    + " GROUP BY policy_id, policy_revision, action ORDER BY policy_id, policy_revision")) {
                s.setString(1, site);
                s.setObject(2, PageViewReport.utc(range.from()));
                s.setObject(3, PageViewReport.utc(range.to()));
                List<PolicyRow> rows = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    Builder current = null;
                    while (r.next()) {
                        if (current == null || !current.matches(r.getString(1), r.getInt(2))) {
                            if (current != null) {
                                rows.add(current.build());
                            }
                            current = new Builder(r.getString(1), r.getInt(2));
                        }
                        current.add(r.getString(3), r.getLong(4), r.getLong(5));
                    }
                    if (current != null) {
                        rows.add(current.build());
                    }
                }
                return rows;
            }
        });
    }

    private static final class Builder {
        private final String policy;
        private final int revision;
        private final Map<String, Long> actions = new LinkedHashMap<>();
        private long decisions;
        private long accepted;

        Builder(String policy, int revision) {
            this.policy = policy;
            this.revision = revision;
            ACTIONS.forEach(a -> actions.put(a, 0L));
        }

        boolean matches(String otherPolicy, int otherRevision) {
            return policy.equals(otherPolicy) && revision == otherRevision;
        }

        void add(String action, long count, long analytics) {
            actions.merge(action, count, Long::sum);
            decisions += count;
            accepted += analytics;
        }

        PolicyRow build() {
            return new PolicyRow(policy, revision, decisions, Collections.unmodifiableMap(actions), accepted,
                    decisions == 0 ? null : (double) accepted / decisions);
        }
    }
}
