package dev.spor.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The {@code properties} of an event or an identify: one flat JSON object, kept as compact JSON
 * text. Values are strings, numbers or booleans; nothing nested, no nulls.
 */
final class FlatProperties {
    static final int MAX_KEYS = 20;
    static final int MAX_KEY = 64;
    static final int MAX_STRING = 256;
    /** The stored JSON text fits its column. */
    static final int MAX_JSON = 4000;

    private FlatProperties() {
    }

    /**
     * The properties under {@code field} of {@code json} as compact JSON, or null when absent,
     * null or empty.
     *
     * @param where the field's name in error messages, such as {@code identify.properties}
     */
    static String of(JsonNode json, String field, String where) throws Beacon.Invalid {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new Beacon.Invalid(where + " must be an object");
        }
        if (node.size() > MAX_KEYS) {
            throw new Beacon.Invalid(where + " has more than " + MAX_KEYS + " keys");
        }
        for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            check(where, entry.getKey(), entry.getValue());
        }
        if (node.isEmpty()) {
            return null;
        }
        String text;
        try {
            text = Fields.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new Beacon.Invalid(where + " cannot be stored");
        }
        if (text.length() > MAX_JSON) {
            throw new Beacon.Invalid(where + " is longer than " + MAX_JSON + " characters as JSON");
        }
        return text;
    }

    private static void check(String where, String key, JsonNode value) throws Beacon.Invalid {
        if (key.isEmpty() || key.length() > MAX_KEY || key.indexOf('\0') >= 0) {
            throw new Beacon.Invalid(where + " keys must be 1 to " + MAX_KEY + " characters");
        }
        if (value.isTextual()) {
            String text = value.textValue();
            if (text.length() > MAX_STRING) {
                throw new Beacon.Invalid(where + "." + key + " is longer than " + MAX_STRING + " characters");
            }
            if (text.indexOf('\0') >= 0) {
                throw new Beacon.Invalid(where + "." + key + " must not contain NUL characters");
            }
        } else if (value.isNumber()) {
            if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
                throw new Beacon.Invalid(where + "." + key + " must be a finite number");
            }
        } else if (!value.isBoolean()) {
            throw new Beacon.Invalid(where + "." + key + " must be a string, a number or a boolean");
        }
    }
}
