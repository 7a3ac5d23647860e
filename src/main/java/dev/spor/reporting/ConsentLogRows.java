package dev.spor.reporting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * The consent log of a site, read: a page of rows as records, or the whole range streamed as
 * CSV. Rows are in time order (then id). There is no client address to show: the log holds only
 * its salted hash ({@code ipHash}), shown as stored. Thread-safe.
 */
final class ConsentLogRows {
    /** The CSV header, which is also the JSON field names. */
    static final List<String> COLUMNS = List.of("id", "consentId", "policyId", "policyRevision", "action", "categories",
            "source", "domain", "path", "country", "region", "language", "decidedAt", "validUntil", "ipHash", "userAgent",
            "visitorId");
    private static final String SELECT = "SELECT id, consent_id, policy_id, policy_revision, action, categories, source,"
            + " domain, path, country, region, language, decided_at, valid_until, ip_hash, user_agent, visitor_id"
            + " FROM consent_log WHERE site = ? AND decided_at >= ? AND decided_at < ? ORDER BY decided_at, id";
    /** Rows the CSV export fetches from the database at a time. */
    private static final int FETCH = 500;

    /** One decision as logged; {@code categories} are the granted ones. */
    record Entry(long id, String consentId, String policyId, int policyRevision, String action, List<String> categories,
            String source, String domain, String path, String country, String region, String language, String decidedAt,
            String validUntil, String ipHash, String userAgent, String visitorId) {
    }

    private final DataSource dataSource;

    ConsentLogRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    long count(String site, Range range) {
        return Sql.run(dataSource, "counting the consent log", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT COUNT(*) FROM consent_log WHERE site = ? AND decided_at >= ? AND decided_at < ?")) {
                PageViewReport.bind(s, 1, site, range.from(), range.to());
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
    }

    List<Entry> page(String site, Range range, long offset, int limit) {
        return Sql.run(dataSource, "reading the consent log", c -> {
            try (PreparedStatement s = c.prepareStatement(SELECT + " OFFSET " + offset + " ROWS FETCH FIRST " + limit
                    + " ROWS ONLY")) {
                PageViewReport.bind(s, 1, site, range.from(), range.to());
                List<Entry> rows = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        rows.add(entry(r));
                    }
                }
                return rows;
            }
        });
    }

    /**
     * Writes every row of the range as CSV: the header, then one line per row. Streamed: the
     * database hands rows over {@value #FETCH} at a time (in a read-only transaction, which
     * PostgreSQL's driver needs to stream), and nothing is held but the current row.
     *
     * @return rows written
     */
    long csv(String site, Range range, Writer out) throws IOException {
        try {
            return Sql.run(dataSource, "exporting the consent log", c -> stream(c, site, range, out));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static long stream(Connection c, String site, Range range, Writer out) throws SQLException {
        c.setAutoCommit(false);
        c.setReadOnly(true);
        try (PreparedStatement s = c.prepareStatement(SELECT)) {
            s.setFetchSize(FETCH);
            PageViewReport.bind(s, 1, site, range.from(), range.to());
            long rows = 0;
            try (ResultSet r = s.executeQuery()) {
                Csv.line(out, COLUMNS);
                while (r.next()) {
                    Entry e = entry(r);
                    Csv.line(out, Arrays.asList(Long.toString(e.id()), e.consentId(), e.policyId(),
                            Integer.toString(e.policyRevision()), e.action(), String.join(",", e.categories()), e.source(),
                            e.domain(), e.path(), e.country(), e.region(), e.language(), e.decidedAt(), e.validUntil(),
                            e.ipHash(), e.userAgent(), e.visitorId()));
                    rows++;
                }
            }
            c.commit();
            return rows;
        } finally {
            c.rollback();
            c.setReadOnly(false);
            c.setAutoCommit(true);
        }
    }

    private static Entry entry(ResultSet r) throws SQLException {
        String categories = r.getString(6);
        return new Entry(r.getLong(1), r.getString(2), r.getString(3), r.getInt(4), r.getString(5),
                categories == null || categories.isEmpty() ? List.of() : List.of(categories.split(",")), r.getString(7),
                r.getString(8), r.getString(9), r.getString(10), r.getString(11), r.getString(12), text(r.getTimestamp(13)),
                text(r.getTimestamp(14)), r.getString(15), r.getString(16), r.getString(17));
    }

    private static String text(Timestamp at) {
        return at == null ? null : at.toInstant().toString();
    }
}
