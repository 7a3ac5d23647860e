package dev.spor.consent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The consent cookie's value: {@code v1~<consentId>~<decisions>~<signature>}, each decision
 * {@code policyId:revision:categoryBits:action:epochSecond:source}, joined by {@code !}. Signed
 * with HMAC-SHA256 over the site key and the payload, so a browser cannot forge consent under
 * another policy or site. A value that fails any check reads as no record at all. Thread-safe.
 */
final class ConsentCookie {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{16,40}");
    private static final Pattern POLICY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int SIGNATURE_CHARS = 32;
    static final Set<String> SOURCES = Set.of("banner", "settings", "api", "gpc");
    private static final int MAX_LENGTH = 1800;

    private final byte[] key;
    /** One keyed Mac per thread: a Mac is not thread-safe, and looking one up per cookie cost more than the HMAC. */
    private final ThreadLocal<Mac> macs;
    /**
     * Values that passed every check, by site and exact value: a browser sends the same cookie
     * with each of its beacons, and checking it (HMAC, split, parse) was a twentieth of a
     * beacon's time. Only what this key signed gets in; a failing value is checked every time.
     * <p>
     * Caffeine's upkeep runs on the reading thread ({@code executor(Runnable::run)}), as in every
     * cache on the request path: by default it hands it to the common pool, and waking a pool
     * thread for it was 7 % of the consent GET's CPU in a JFR profile.
     */
    private final Cache<String, ConsentRecord> verified =
            Caffeine.newBuilder().executor(Runnable::run).maximumSize(10_000).expireAfterAccess(Duration.ofMinutes(10)).build();

    ConsentCookie(byte[] key) {
        this.key = key.clone();
        this.macs = ThreadLocal.withInitial(() -> hmacSha256(this.key));
    }

    String encode(String site, ConsentRecord record) {
        StringBuilder payload = new StringBuilder("v1~").append(record.consentId()).append('~');
        boolean first = true;
        for (Map.Entry<String, ConsentRecord.Decision> e : record.decisions().entrySet()) {
            ConsentRecord.Decision d = e.getValue();
            if (!first) {
                payload.append('!');
            }
            first = false;
            payload.append(e.getKey()).append(':').append(d.revision()).append(':').append(Integer.toHexString(d.categories()))
                    .append(':').append(d.action().code).append(':').append(d.decidedAt().getEpochSecond())
                    .append(':').append(d.source());
        }
        return payload + "~" + sign(site, payload.toString());
    }

    Optional<ConsentRecord> decode(String site, String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String key = site + '|' + value;
        ConsentRecord known = verified.getIfPresent(key);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<ConsentRecord> record = check(site, value);
        record.ifPresent(r -> verified.put(key, r));
        return record;
    }

    private Optional<ConsentRecord> check(String site, String value) {
        int last = value.lastIndexOf('~');
        if (last < 0 || !MessageDigest.isEqual(sign(site, value.substring(0, last)).getBytes(StandardCharsets.US_ASCII),
                value.substring(last + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        String[] parts = value.substring(0, last).split("~", -1);
        if (parts.length != 3 || !parts[0].equals("v1") || !ID.matcher(parts[1]).matches()) {
            return Optional.empty();
        }
        Map<String, ConsentRecord.Decision> decisions = new LinkedHashMap<>();
        if (!parts[2].isEmpty()) {
            for (String entry : parts[2].split("!")) {
                String[] f = entry.split(":", -1);
                if (f.length != 6 || !POLICY.matcher(f[0]).matches() || f[3].length() != 1 || !SOURCES.contains(f[5])) {
                    return Optional.empty();
                }
                try {
                    Optional<Action> action = Action.fromCode(f[3].charAt(0));
                    if (action.isEmpty()) {
                        return Optional.empty();
                    }
                    decisions.put(f[0], new ConsentRecord.Decision(Integer.parseInt(f[1]), Integer.parseInt(f[2], 16),
                            action.get(), f[5], Instant.ofEpochSecond(Long.parseLong(f[4]))));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new ConsentRecord(parts[1], decisions));
    }

    private String sign(String site, String payload) {
        byte[] digest = macs.get().doFinal((site + "|" + payload).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, SIGNATURE_CHARS);
    }

    /** A keyed HMAC-SHA256; {@code doFinal} leaves it ready for the next message. */
    static Mac hmacSha256(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
