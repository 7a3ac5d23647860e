package dev.spor.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The decision's instant in the consent answer is written exactly as {@link Instant#toString()} writes it. */
class AnswerInstantTest {
    private static String written(Instant at) {
        StringBuilder out = new StringBuilder();
        ConsentService.appendInstant(out, at);
        return out.toString();
    }

    @Test
    void appendInstant_wholeSeconds_asToString() {
        assertThat(written(Instant.parse("2026-12-04T08:05:09Z"))).isEqualTo("2026-12-04T08:05:09Z");
        assertThat(written(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(written(Instant.parse("9999-12-31T23:59:59Z"))).isEqualTo("9999-12-31T23:59:59Z");
        Random random = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_800L));
            assertThat(written(at)).isEqualTo(at.toString());
        }
    }

    @Test
    void appendInstant_fractionOrOutsideFourDigitYears_asToString() {
        for (Instant at : new Instant[] {Instant.parse("2026-12-04T08:05:09.250Z"), Instant.ofEpochSecond(-1),
            Instant.parse("0999-01-01T00:00:00Z"), Instant.parse("+10000-01-01T00:00:00Z"), Instant.ofEpochSecond(1, 1)}) {
            assertThat(written(at)).isEqualTo(at.toString());
        }
    }
}
