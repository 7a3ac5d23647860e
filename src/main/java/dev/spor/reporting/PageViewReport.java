package dev.spor.reporting;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Page views and distinct tracking cookies of a site over a range, in total and per day, path,
 * country or referrer. Bots ({@code is_bot}) never count, nor does anything under {@code /files/}
 * (hosted files are never stored as page views; this is a second guard). Every query is a range
 * scan of the index on {@code page_views (site, viewed_at)}, in SQL that H2 and PostgreSQL
 * answer alike. Thread-safe.
 */
final class PageViewReport {
    /** A day report covers at most this many days. */
    static final int MAX_DAYS = 366;
    /** What every report counts: people's page views of pages in the range. */
    private static final String COUNTED = " p.site = ? AND p.viewed_at >= ? AND p.viewed_at < ? AND p.is_bot = FALSE"
            + " AND p.path <> '/files' AND p.path NOT LIKE '/files/%'";
    private static final String TIMESTAMP = "CAST(? AS TIMESTAMP WITH TIME ZONE)";

    /** What a report can be grouped by. */
    enum GroupBy {
        DAY(null), PATH("p.path"), COUNTRY("p.country"), REFERRER("p.referrer");

        final String column;

        GroupBy(String column) {
            this.column = column;
        }

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One figure pair.
     *
     * @param pageViews page views counted
     * @param cookies distinct tracking cookies ({@code visitor_id}) among them
     */
    record Counts(long pageViews, long cookies) {
    }

    /**
     * One row of a report.
     *
     * @param key the day ({@code 2026-12-01}), path, country code or referrer; null for page
     *     views without a country or referrer
     */
    record Row(String key, long pageViews, long cookies) {
    }

    private final DataSource dataSource;

    PageViewReport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Page views and distinct cookies over the whole range (a cookie seen on two days counts once). */
    Counts total(String site, Range range) {
        return query("counting page views", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*), COUNT(DISTINCT p.visitor_id) FROM page_views p"
                    + " WHERE" + COUNTED)) {
                bind(s, 1, site, range.from(), range.to());
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return new Counts(r.getLong(1), r.getLong(2));
                }
            }
        });
    }

    /**
     * One row per local day of the range, days without page views included (zeros), in order.
     * One query: a derived table of the days' boundaries joined to the page views.
     */
    List<Row> byDay(String site, Range range) {
        List<LocalDate> days = range.firstDay().datesUntil(range.lastDay().plusDays(1)).toList();
        StringBuilder sql = new StringBuilder("SELECT d.n, COUNT(p.id), COUNT(DISTINCT p.visitor_id) FROM (VALUES ");
        for (int i = 0; i < days.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append('(').append(i).append(", ").append(TIMESTAMP).append(", ")
                    .append(TIMESTAMP).append(')');
        }
        sql.append(") AS d (n, day_start, day_end) LEFT JOIN page_views p ON p.viewed_at >= d.day_start"
                + " AND p.viewed_at < d.day_end AND").append(COUNTED).append(" GROUP BY d.n ORDER BY d.n");
        return query("counting page views per day", c -> {
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                int at = 1;
                for (LocalDate day : days) {
                    Instant start = max(range.from(), day.atStartOfDay(range.zone()).toInstant());
                    Instant end = min(range.to(), day.plusDays(1).atStartOfDay(range.zone()).toInstant());
                    s.setObject(at++, utc(start));
                    s.setObject(at++, utc(end));
                }
                bind(s, at, site, range.from(), range.to());
                List<Row> rows = new ArrayList<>(days.size());
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        rows.add(new Row(days.get(r.getInt(1)).toString(), r.getLong(2), r.getLong(3)));
                    }
                }
                return rows;
            }
        });
    }

    /** The {@code limit} keys with the most page views, most first (ties by key, no key last). */
    List<Row> top(String site, Range range, GroupBy by, int limit) {
        String sql = "SELECT " + by.column + ", COUNT(*) AS views, COUNT(DISTINCT p.visitor_id) FROM page_views p WHERE"
                + COUNTED + " GROUP BY " + by.column + " ORDER BY views DESC, " + by.column + " ASC NULLS LAST"
                + " FETCH FIRST " + limit + " ROWS ONLY";
        return query("counting page views per " + by.wire(), c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                bind(s, 1, site, range.from(), range.to());
                List<Row> rows = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        rows.add(new Row(r.getString(1), r.getLong(2), r.getLong(3)));
                    }
                }
                return rows;
            }
        });
    }

    static void bind(PreparedStatement s, int at, String site, Instant from, Instant to) throws SQLException {
        s.setString(at, site);
        s.setObject(at + 1, utc(from));
        s.setObject(at + 2, utc(to));
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private <T> T query(String what, Sql.Work<T> work) {
        return Sql.run(dataSource, what, work);
    }
}
