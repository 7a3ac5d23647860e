package dev.spor.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsentCookieTest {
    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");
    private final ConsentCookie codec = new ConsentCookie("k".repeat(43).getBytes(StandardCharsets.US_ASCII));

    private static ConsentRecord record() {
        return new ConsentRecord("AbCdEfGhIjKlMnOpQrStUv", Map.of())
                .with("default", new ConsentRecord.Decision(3, 3, Action.ACCEPT_ALL, "banner", AT))
                .with("blog.notice", new ConsentRecord.Decision(1, 1, Action.REJECT_ALL, "settings", AT.plusSeconds(5)));
    }

    @Test
    void decode_encoded_givesTheSameRecord() {
        String value = codec.encode("shop", record());

        assertThat(codec.decode("shop", value)).contains(record());
        assertThat(value).doesNotContain(" ", ",", ";", "\"", "\\");
    }

    @Test
    void decode_anyChangedCharacter_isNoRecord() {
        String value = codec.encode("shop", record());
        String forged = value.replace("default:3:3:a", "default:3:f:a");

        assertThat(forged).isNotEqualTo(value);
        assertThat(codec.decode("shop", forged)).isEmpty();
    }

    /** Verified values are remembered: what was checked once must not let a near copy or another site through. */
    @Test
    void decode_afterAValueWasVerified_aChangedCopyOrAnotherSiteIsStillNoRecord() {
        String value = codec.encode("shop", record());
        assertThat(codec.decode("shop", value)).contains(record());

        assertThat(codec.decode("shop", value)).contains(record());
        assertThat(codec.decode("blog", value)).isEmpty();
        assertThat(codec.decode("shop", value.replace("default:3:3:a", "default:3:f:a"))).isEmpty();
        assertThat(codec.decode("shop", value + "x")).isEmpty();
        assertThat(new ConsentCookie("x".repeat(43).getBytes(StandardCharsets.US_ASCII)).decode("shop", value)).isEmpty();
    }

    @Test
    void decode_anotherSitesCookie_isNoRecord() {
        assertThat(codec.decode("blog", codec.encode("shop", record()))).isEmpty();
    }

    @Test
    void decode_otherKey_isNoRecord() {
        ConsentCookie other = new ConsentCookie("x".repeat(43).getBytes(StandardCharsets.US_ASCII));

        assertThat(other.decode("shop", codec.encode("shop", record()))).isEmpty();
    }

    @Test
    void decode_junk_isNoRecord() {
        assertThat(codec.decode("shop", null)).isEmpty();
        assertThat(codec.decode("shop", "")).isEmpty();
        assertThat(codec.decode("shop", "v1~x~y~z")).isEmpty();
        assertThat(codec.decode("shop", "~".repeat(5000))).isEmpty();
    }

    @Test
    void with_moreThanTheLimit_dropsTheOldest() {
        ConsentRecord record = new ConsentRecord("AbCdEfGhIjKlMnOpQrStUv", Map.of());
        for (int i = 0; i < ConsentRecord.MAX_DECISIONS + 2; i++) {
            record = record.with("p" + i, new ConsentRecord.Decision(1, 1, Action.REJECT_ALL, "banner", AT));
        }

        assertThat(record.decisions()).hasSize(ConsentRecord.MAX_DECISIONS).doesNotContainKeys("p0", "p1").containsKey("p9");
        assertThat(codec.encode("shop", record).length()).isLessThan(1000);
    }
}
