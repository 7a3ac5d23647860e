package dev.spor.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code identify} a page view or event may carry: who the visitor says they are. It is
 * only stored here (as an {@code events} row of type {@code identify}); applying it to a
 * contact is the identity feature's job. Immutable.
 *
 * @param email the email address, trimmed and lower-cased, at most 254 characters
 * @param properties the contact properties as compact flat JSON, may be null
 * @param hmac the site backend's signature of the email, may be null
 */
public record Identify(String email, String properties, String hmac) {
    static final int MAX_EMAIL = 254;
    private static final Set<String> FIELDS = Set.of("email", "properties", "hmac");
    private static final Set<String> NOT_AN_EMAIL = Set.of("", "null", "undefined");
    private static final Pattern HMAC = Pattern.compile("[A-Za-z0-9+/=_-]{16,128}");

    /** The {@code identify} field of a beacon, or null when it has none. */
    static Identify of(JsonNode beacon) throws Beacon.Invalid {
        JsonNode json = beacon.get("identify");
        if (json == null || json.isNull()) {
            return null;
        }
        Fields.known(json, FIELDS, "identify");
        return new Identify(email(json.get("email")), FlatProperties.of(json, "properties", "identify.properties"),
                hmac(json.get("hmac")));
    }

    private static String email(JsonNode node) throws Beacon.Invalid {
        String email = node != null && node.isTextual() ? node.textValue().trim().toLowerCase(Locale.ROOT) : "";
        int at = email.indexOf('@');
        String domain = at < 0 ? "" : email.substring(at + 1);
        if (NOT_AN_EMAIL.contains(email) || email.length() > MAX_EMAIL || at < 1 || domain.indexOf('@') >= 0
                || domain.indexOf('.') < 1 || domain.endsWith(".") || !email.chars().allMatch(c -> c > ' ' && c != 0x7f)) {
            throw new Beacon.Invalid("identify.email must be an email address of at most " + MAX_EMAIL + " characters");
        }
        return email;
    }

    private static String hmac(JsonNode node) throws Beacon.Invalid {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || !HMAC.matcher(node.textValue()).matches()) {
            throw new Beacon.Invalid("identify.hmac must be 16 to 128 characters of hex or base64");
        }
        return node.textValue();
    }
}
