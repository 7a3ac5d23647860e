package dev.spor.reporting;

import dev.spor.admin.ApiException;
import dev.spor.admin.ApiRequest;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The time range of a report: {@code from} (inclusive) to {@code to} (exclusive), and the
 * time zone its days are counted in. A date given for {@code from} is the start of that day in
 * the zone, a date given for {@code to} is the end of that day (so {@code from=2026-12-01&to=2026-12-07}
 * is seven whole days); an instant is taken as it is. Immutable.
 *
 * @param from first instant counted
 * @param to first instant no longer counted
 * @param zone the zone of day boundaries
 */
record Range(Instant from, Instant to, ZoneId zone) {
    /** A report without {@code from} covers this many days up to {@code to}. */
    static final int DEFAULT_DAYS = 30;
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant NEVER = Instant.parse("9999-12-31T00:00:00Z");

    /**
     * The range of the call's {@code from}, {@code to} and {@code tz} (default UTC); without
     * {@code to}, through today; without {@code from}, the {@value #DEFAULT_DAYS} days before {@code to}.
     */
    static Range of(ApiRequest call, Clock clock) throws ApiException {
        ZoneId zone = zone(call.param("tz"));
        Instant to = instant(call, "to", zone, true);
        if (to == null) {
            to = LocalDate.ofInstant(clock.instant(), zone).plusDays(1).atStartOfDay(zone).toInstant();
        }
        Instant from = instant(call, "from", zone, false);
        if (from == null) {
            from = LocalDate.ofInstant(to.minusNanos(1), zone).minusDays(DEFAULT_DAYS - 1L).atStartOfDay(zone).toInstant();
        }
        return checked(from, to, zone);
    }

    /** The range of {@code from} and {@code to} in UTC, open-ended: the whole log unless narrowed. */
    static Range whole(ApiRequest call) throws ApiException {
        Instant from = instant(call, "from", ZoneOffset.UTC, false);
        Instant to = instant(call, "to", ZoneOffset.UTC, true);
        return checked(from == null ? Instant.EPOCH : from, to == null ? NEVER : to, ZoneOffset.UTC);
    }

    private static Range checked(Instant from, Instant to, ZoneId zone) throws ApiException {
        if (!from.isBefore(to)) {
            throw ApiException.bad("from must be before to");
        }
        return new Range(from, to, zone);
    }

    static ZoneId zone(String tz) throws ApiException {
        if (tz == null || tz.isEmpty()) {
            return UTC;
        }
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw ApiException.bad("tz must be an IANA time zone such as Europe/Berlin or UTC, not " + ApiRequest.quote(tz));
        }
    }

    private static Instant instant(ApiRequest call, String name, ZoneId zone, boolean endOfDay) throws ApiException {
        String text = call.param(name);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException | ArithmeticException e) {
            throw ApiException.bad(name + " must be a date (2026-12-01) or an instant (2026-12-01T09:30:00Z), not "
                    + ApiRequest.quote(text));
        }
    }

    /** The local day of the first instant counted. */
    LocalDate firstDay() {
        return LocalDate.ofInstant(from, zone);
    }

    /** The local day of the last instant counted. */
    LocalDate lastDay() {
        return LocalDate.ofInstant(to.minusNanos(1), zone);
    }
}
