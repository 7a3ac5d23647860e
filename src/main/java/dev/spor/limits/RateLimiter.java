package dev.spor.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A token bucket per key (a client address, a site): {@code burst} requests at once, then one
 * per {@code refill}. The buckets live in a Caffeine cache bounded in size (a flood of addresses
 * cannot exhaust memory; an evicted bucket starts full again) and forgotten after a quiet
 * period. Addresses stay in memory only. Thread-safe.
 */
public final class RateLimiter {
    private final long refillNanos;
    /** {@code burst} refills, the most a bucket can owe (at most Long.MAX_VALUE: 292 years of them). */
    private final long capacityNanos;
    private final Clock clock;
    private final Cache<String, AtomicReference<Bucket>> buckets;

    /**
     * A key's bucket as of {@code at}: how long it would take to refill it to full (so its tokens
     * are {@code burst - debtNanos / refillNanos}). Replaced whole by compare-and-set: the site's
     * bucket is taken by every request, and a lock on it made requests queue behind a thread
     * descheduled while it held it (JFR saw waits of 10 ms and more, 61 in a minute of GETs).
     */
    private record Bucket(long debtNanos, long at) {
    }

    public RateLimiter(int burst, Duration refill, Clock clock) {
        if (burst < 1 || refill.isNegative() || refill.isZero()) {
            throw new IllegalArgumentException("burst must be at least 1 and refill positive");
        }
        this.refillNanos = refill.toNanos();
        this.capacityNanos = burst > Long.MAX_VALUE / refillNanos ? Long.MAX_VALUE : burst * refillNanos;
        this.clock = clock;
        this.buckets = Caffeine.newBuilder().executor(Runnable::run).maximumSize(100_000)
                .expireAfterAccess(refill.multipliedBy(burst).plusMinutes(1)).build();
    }

    /** A bucket of ten seconds' worth of {@code perSecond} requests, refilled at that rate. */
    public static RateLimiter perSecond(int perSecond, Clock clock) {
        return new RateLimiter((int) Math.min(Integer.MAX_VALUE, 10L * perSecond), Duration.ofNanos(1_000_000_000L / perSecond),
                clock);
    }

    /** Takes one token of the key's bucket (a client address, a site); false when it is empty (answer 429). */
    public boolean tryAcquire(String address) {
        long now = nanos();
        AtomicReference<Bucket> bucket =
                buckets.get(address == null ? "" : address, a -> new AtomicReference<>(new Bucket(0, now)));
        while (true) {
            Bucket was = bucket.get();
            // a clock set back (NTP, a test's clock) refills nothing and takes nothing
            long debt = Math.max(0, was.debtNanos() - Math.max(0, now - was.at()));
            if (debt > capacityNanos - refillNanos) {
                return false;
            }
            if (bucket.compareAndSet(was, new Bucket(debt + refillNanos, now))) {
                return true;
            }
        }
    }

    /** Seconds until the address has a token again (at least 1), for {@code Retry-After}. */
    public long retryAfterSeconds() {
        return Math.max(1, Duration.ofNanos(refillNanos).toSeconds());
    }

    private long nanos() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
