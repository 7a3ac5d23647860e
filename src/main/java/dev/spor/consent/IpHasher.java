package dev.spor.consent;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes client addresses for the consent log: HMAC-SHA256 with a secret salt and the current
 * month, so the same address gives the same hash within a month (enough to spot abuse) and
 * unlinkable hashes across months; the raw address is never stored. Thread-safe.
 */
final class IpHasher {
    private final byte[] salt;

    IpHasher(String salt) {
        this.salt = salt.getBytes(StandardCharsets.UTF_8);
    }

    String hash(String address, Instant at) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            String month = YearMonth.from(at.atZone(ZoneOffset.UTC)).toString();
            return HexFormat.of().formatHex(mac.doFinal((month + "|" + address).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
