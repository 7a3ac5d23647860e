package dev.spor.consent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HexFormat;
import javax.crypto.Mac;

/**
 * Hashes client addresses for the consent log: HMAC-SHA256 with a secret salt and the current
 * month, so the same address gives the same hash within a month (enough to spot abuse) and
 * unlinkable hashes across months; the raw address is never stored. Thread-safe.
 */
final class IpHasher {
    private final byte[] salt;
    /** One keyed Mac per thread, as in {@link ConsentCookie}. */
    private final ThreadLocal<Mac> macs;

    IpHasher(String salt) {
        this.salt = salt.getBytes(StandardCharsets.UTF_8);
        this.macs = ThreadLocal.withInitial(() -> ConsentCookie.hmacSha256(this.salt));
    }

    String hash(String address, Instant at) {
        String month = YearMonth.from(at.atZone(ZoneOffset.UTC)).toString();
        return HexFormat.of().formatHex(macs.get().doFinal((month + "|" + address).getBytes(StandardCharsets.UTF_8)));
    }
}
