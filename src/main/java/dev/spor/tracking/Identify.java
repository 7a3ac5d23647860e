package dev.spor.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spor.identity.Emails;
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
    static final int MAX_EMAIL = Emails.MAX_LENGTH;
    private static final Set<String> FIELDS = Set.of("email", "properties", "hmac");
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
        return Emails.normalize(node != null && node.isTextual() ? node.textValue() : null).orElseThrow(
                () -> new Beacon.Invalid("identify.email must be an email address of at most " + MAX_EMAIL + " characters"));
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
