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
    void constructor_badValues_areRefused() {
        assertThatThrownBy(() -> new RateLimiter(0, Duration.ofSeconds(1), clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(1, Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
