package dev.spor.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));

    private static int granted(RateLimiter limiter, String key, int tries) {
        int granted = 0;
        for (int i = 0; i < tries; i++) {
            granted += limiter.tryAcquire(key) ? 1 : 0;
        }
        return granted;
    }

    @Test
    void tryAcquire_burstThenRefusedThenRefilledAtTheRate() {
        RateLimiter limiter = RateLimiter.perSecond(5, clock);

        assertThat(granted(limiter, "a", 80)).isEqualTo(50);
        clock.advance(Duration.ofSeconds(2));
        assertThat(granted(limiter, "a", 80)).isEqualTo(10);
        assertThat(granted(limiter, "b", 80)).as("another key has its own bucket").isEqualTo(50);
    }

    @Test
    void tryAcquire_clockSetBack_neitherRefillsNorRefusesWhatIsLeft() {
        RateLimiter limiter = RateLimiter.perSecond(5, clock);
        assertThat(granted(limiter, "a", 10)).isEqualTo(10);

        clock.advance(Duration.ofHours(-1)); // set back, as NTP or a test may

        assertThat(granted(limiter, "a", 80)).isEqualTo(40);
    }

    @Test
    void tryAcquire_manyThreadsOnOneBucket_grantExactlyTheBurst() throws Exception {
        RateLimiter limiter = RateLimiter.perSecond(1_000, clock); // 10,000 at once; the clock stands still
        java.util.concurrent.atomic.AtomicInteger granted = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                granted.addAndGet(granted(limiter, "site", 2_000));
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(granted.get()).as("8 x 2,000 tries on a bucket of 10,000").isEqualTo(10_000);
    }

    @Test
    void tryAcquire_hugeBurstAndRefill_noOverflow() {
        RateLimiter limiter = new RateLimiter(Integer.MAX_VALUE, Duration.ofSeconds(1), clock); // 68 years of refills

        assertThat(granted(limiter, "a", 1_000)).isEqualTo(1_000);
        clock.advance(Duration.ofDays(365 * 100));
        assertThat(granted(limiter, "a", 1_000)).isEqualTo(1_000);
    }

    @Test
    void constructor_badValues_areRefused() {
        assertThatThrownBy(() -> new RateLimiter(0, Duration.ofSeconds(1), clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(1, Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
