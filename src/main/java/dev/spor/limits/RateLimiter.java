package dev.spor.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket per key (a client address, a site): {@code burst} requests at once, then one
 * per {@code refill}. The buckets live in a Caffeine cache bounded in size (a flood of addresses
 * cannot exhaust memory; an evicted bucket starts full again) and forgotten after a quiet
 * period. Addresses stay in memory only. Thread-safe.
 */
public final class RateLimiter {
    private final int burst;
    private final long refillNanos;
    private final Clock clock;
    private final Cache<String, Bucket> buckets;

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    public RateLimiter(int burst, Duration refill, Clock clock) {
        if (burst < 1 || refill.isNegative() || refill.isZero()) {
            throw new IllegalArgumentException("burst must be at least 1 and refill positive");
        }
        this.burst = burst;
        this.refillNanos = refill.toNanos();
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
        Bucket bucket = buckets.get(address == null ? "" : address, a -> new Bucket(burst, now));
        synchronized (bucket) {
            // a clock set back (NTP, a test's clock) refills nothing and takes nothing
            bucket.tokens = Math.min(burst, bucket.tokens + (double) Math.max(0, now - bucket.at) / refillNanos);
            bucket.at = now;
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens--;
            return true;
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
