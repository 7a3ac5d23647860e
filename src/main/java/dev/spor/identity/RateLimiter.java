package dev.spor.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket per client address: {@code burst} requests at once, then one per
 * {@code refill}. The buckets live in a Caffeine cache bounded in size (a flood of addresses
 * cannot exhaust memory; an evicted bucket starts full again) and forgotten after a quiet
 * period. Addresses stay in memory only. Thread-safe.
 */
final class RateLimiter {
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

    RateLimiter(int burst, Duration refill, Clock clock) {
        if (burst < 1 || refill.isNegative() || refill.isZero()) {
            throw new IllegalArgumentException("burst must be at least 1 and refill positive");
        }
        this.burst = burst;
        this.refillNanos = refill.toNanos();
        this.clock = clock;
        this.buckets = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterAccess(refill.multipliedBy(burst).plusMinutes(1)).build();
    }

    /** Takes one token of the address's bucket; false when it is empty (answer 429). */
    boolean tryAcquire(String address) {
        long now = nanos();
        Bucket bucket = buckets.get(address == null ? "" : address, a -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (double) (now - bucket.at) / refillNanos);
            bucket.at = now;
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens--;
            return true;
        }
    }

    /** Seconds until the address has a token again (at least 1), for {@code Retry-After}. */
    long retryAfterSeconds() {
        return Math.max(1, Duration.ofNanos(refillNanos).toSeconds());
    }

    private long nanos() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
