package dev.spor.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Field-by-field checks of the JSON bodies the identity endpoints take; every problem is an {@link Identities.Invalid}. */
final class Bodies {
    static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    private Bodies() {
    }

    /** The body as a JSON object with only the allowed fields. */
    static JsonNode object(byte[] body, Set<String> allowed) throws Identities.Invalid {
        JsonNode json;
        try {
            json = IdentityRules.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Identities.Invalid("body is not JSON");
        } catch (java.io.IOException e) {
            throw new Identities.Invalid("body cannot be read");
        }
        if (json == null || !json.isObject()) {
            throw new Identities.Invalid("body must be a JSON object");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new Identities.Invalid("unknown field " + (name.length() > 40 ? name.substring(0, 40) + "..." : name));
            }
        }
        return json;
    }

    /** A text field of at most {@code max} characters; null when absent and not required. */
    static String text(JsonNode json, String field, int max, boolean required) throws Identities.Invalid {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new Identities.Invalid(field + " is required");
            }
            return null;
        }
        if (!node.isTextual() || node.textValue().length() > max) {
            throw new Identities.Invalid(field + " must be a string of at most " + max + " characters");
        }
        return node.textValue();
    }

    static String eventId(JsonNode json) throws Identities.Invalid {
        String id = text(json, "eventId", 64, true);
        if (!EVENT_ID.matcher(id).matches()) {
            throw new Identities.Invalid("eventId must be 8 to 64 of A-Z a-z 0-9 _ -");
        }
        return id;
    }

    /** An object of string values, in order: the form's fields. */
    static Map<String, String> fields(JsonNode json) throws Identities.Invalid {
        JsonNode node = json.get("fields");
        if (node == null || !node.isObject()) {
            throw new Identities.Invalid("fields must be an object of field names to strings");
        }
        if (node.size() > Identities.MAX_FIELDS) {
            throw new Identities.Invalid("fields: at most " + Identities.MAX_FIELDS + " fields");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw new Identities.Invalid("fields." + field.getKey() + " must be a string");
            }
            fields.put(field.getKey(), field.getValue().textValue());
        }
        return fields;
    }
}
