package dev.spor.identity;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed per-recipient tokens for links in marketing emails: {@code <contact>.<send>.<issued>.<mac>}
 * with the contact id and the issue time (epoch seconds) in base 36, the send (campaign) id as
 * given, and 128 bits of HMAC-SHA256 over the site and the rest, base64url. Compact and URL-safe;
 * altering any part breaks the signature. Thread-safe.
 */
public final class EmailTokens {
    /** The query parameter a decorated link carries (the tracker removes it from the address bar). */
    public static final String PARAMETER = "sptk";
    /** A send id: 1 to 64 letters, digits, {@code _} and {@code -}. */
    public static final Pattern SEND_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern TOKEN =
            Pattern.compile("([0-9a-z]{1,13})\\.([A-Za-z0-9_-]{1,64})\\.([0-9a-z]{1,13})\\.([A-Za-z0-9_-]{22})");
    private static final int MAC_BYTES = 16;

    private final byte[] key;

    /**
     * A verified token.
     *
     * @param id the signed part, which identifies the token (its first use is recorded by it)
     * @param contactId the recipient
     * @param sendId the campaign or send
     * @param issuedAt when it was issued
     */
    public record Token(String id, long contactId, String sendId, Instant issuedAt) {
    }

    public EmailTokens(byte[] key) {
        this.key = key.clone();
    }

    /** A new token for a recipient of a send. */
    public String issue(String site, long contactId, String sendId, Instant at) {
        if (!SEND_ID.matcher(sendId).matches()) {
            throw new IllegalArgumentException("send id must be 1 to 64 of A-Z a-z 0-9 _ -");
        }
        String signed = Long.toString(contactId, 36) + "." + sendId + "." + Long.toString(at.getEpochSecond(), 36);
        return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(site, signed));
    }

    /** The token when it is well-formed and signed by this installation for this site; else empty. */
    public Optional<Token> verify(String site, String token) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        Matcher m = TOKEN.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        String signed = token.substring(0, m.start(4) - 1);
        byte[] given = Base64.getUrlDecoder().decode(m.group(4));
        if (!MessageDigest.isEqual(given, mac(site, signed))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Token(signed, Long.parseLong(m.group(1), 36), m.group(2),
                    Instant.ofEpochSecond(Long.parseLong(m.group(3), 36))));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String site, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(site.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Arrays.copyOf(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)), MAC_BYTES);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** HMAC-SHA256 of a trimmed, lower-cased email with the site's identity secret, lower-case hex. */
    public static String identityHmac(String secret, String email) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(email.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
