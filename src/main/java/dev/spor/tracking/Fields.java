package dev.spor.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/** Field checks shared by the beacons; every failure is a {@link Beacon.Invalid} with a short reason. */
final class Fields {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Page URLs, referrers and file URLs. */
    static final int MAX_URL = 2048;
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final long MAX_CLOCK_SKEW_SECONDS = 7L * 24 * 3600;

    private Fields() {
    }

    static JsonNode read(byte[] body) throws Beacon.Invalid {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Beacon.Invalid("body is not JSON");
        } catch (IOException e) {
            throw new Beacon.Invalid("body cannot be read");
        }
    }

    /** Checks that {@code json} is an object holding no other field than {@code allowed}. */
    static void known(JsonNode json, Set<String> allowed, String where) throws Beacon.Invalid {
        if (json == null || !json.isObject()) {
            throw new Beacon.Invalid(where + " must be a JSON object");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new Beacon.Invalid("unknown field " + (where.equals("body") ? "" : where + ".") + name);
            }
        }
    }

    /** A string field, null when absent, null or empty. */
    static String text(JsonNode json, String field, int max) throws Beacon.Invalid {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new Beacon.Invalid(field + " must be a string");
        }
        String value = node.asText();
        if (value.length() > max) {
            throw new Beacon.Invalid(field + " is longer than " + max + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            throw new Beacon.Invalid(field + " must not contain NUL characters");
        }
        return value.isEmpty() ? null : value;
    }

    /** The client-generated event id: 8 to 64 of {@code [A-Za-z0-9_-]}. */
    static String eventId(JsonNode json) throws Beacon.Invalid {
        String eventId = text(json, "eventId", 64);
        if (eventId == null || !EVENT_ID.matcher(eventId).matches()) {
            throw new Beacon.Invalid("eventId must be 8 to 64 of A-Z a-z 0-9 _ -");
        }
        return eventId;
    }

    /** The page URL, required (whether it belongs to the site is the consent filter's check). */
    static String url(JsonNode json) throws Beacon.Invalid {
        String url = text(json, "url", MAX_URL);
        if (url == null) {
            throw new Beacon.Invalid("url is required");
        }
        return url;
    }

    /** The browser's clock in epoch milliseconds; null when absent or more than a week off {@code now}. */
    static Instant clientTime(JsonNode json, Instant now) throws Beacon.Invalid {
        JsonNode time = json.get("clientTime");
        if (time == null || time.isNull()) {
            return null;
        }
        if (!time.isIntegralNumber() || !time.canConvertToLong()) {
            throw new Beacon.Invalid("clientTime must be milliseconds since 1970");
        }
        long millis = time.asLong();
        if (Math.abs(millis / 1000 - now.getEpochSecond()) > MAX_CLOCK_SKEW_SECONDS) {
            return null; // a wildly wrong clock is not kept
        }
        return Instant.ofEpochMilli(millis);
    }

    /** An optional boolean, false when absent or null. */
    static boolean flag(JsonNode json, String field) throws Beacon.Invalid {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new Beacon.Invalid(field + " must be true or false");
        }
        return node.booleanValue();
    }
}
