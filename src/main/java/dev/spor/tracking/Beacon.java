package dev.spor.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A page-view beacon as the script sends it ({@code text/plain} JSON), validated field by
 * field. Immutable.
 *
 * @param eventId client-generated id, 8 to 64 of {@code [A-Za-z0-9_-]}
 * @param url the page URL (at most 2 KiB)
 * @param title the page title, at most 512 characters, may be null
 * @param referrer the referrer, at most 2 KiB, may be null
 * @param clientTime the browser's clock, may be null
 */
public record Beacon(String eventId, String url, String title, String referrer, Instant clientTime) {
    /** Largest body accepted, well under the browser's 64 KiB keepalive budget. */
    public static final int MAX_BYTES = 8 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final Set<String> FIELDS = Set.of("eventId", "url", "title", "referrer", "clientTime");
    private static final long MAX_CLOCK_SKEW_SECONDS = 7L * 24 * 3600;
    private static final int MAX_TITLE = 512;

    /** Thrown for a beacon that cannot be stored; the message is the client's short reason. */
    public static final class Invalid extends Exception {
        public Invalid(String reason) {
            super(reason);
        }
    }

    public static Beacon parse(byte[] body, Instant now) throws Invalid {
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Invalid("body is not JSON");
        } catch (java.io.IOException e) {
            throw new Invalid("body cannot be read");
        }
        return of(json, now);
    }

    /** Validates fields already parsed (also used for the page a visitor accepts on). */
    public static Beacon of(JsonNode json, Instant now) throws Invalid {
        if (json == null || !json.isObject()) {
            throw new Invalid("body must be a JSON object");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name) && !name.equals("action") && !name.equals("categories") && !name.equals("lang")
                    && !name.equals("source")) {
                throw new Invalid("unknown field " + name);
            }
        }
        String eventId = text(json, "eventId", 64);
        if (eventId == null || !EVENT_ID.matcher(eventId).matches()) {
            throw new Invalid("eventId must be 8 to 64 of A-Z a-z 0-9 _ -");
        }
        String url = text(json, "url", 2048);
        if (url == null) {
            throw new Invalid("url is required");
        }
        Instant clientTime = null;
        JsonNode time = json.get("clientTime");
        if (time != null && !time.isNull()) {
            if (!time.isIntegralNumber()) {
                throw new Invalid("clientTime must be milliseconds since 1970");
            }
            clientTime = Instant.ofEpochMilli(time.asLong());
            if (Math.abs(clientTime.getEpochSecond() - now.getEpochSecond()) > MAX_CLOCK_SKEW_SECONDS) {
                clientTime = null; // a wildly wrong clock is not kept
            }
        }
        String title = text(json, "title", 64 * 1024);
        if (title != null && title.length() > MAX_TITLE) {
            title = title.substring(0, MAX_TITLE); // a long title is cut, never a reason to lose the page view
        }
        return new Beacon(eventId, url, title, text(json, "referrer", 2048), clientTime);
    }

    private static String text(JsonNode json, String field, int max) throws Invalid {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new Invalid(field + " must be a string");
        }
        String value = node.asText();
        if (value.length() > max) {
            throw new Invalid(field + " is longer than " + max + " characters");
        }
        return value.isEmpty() ? null : value;
    }
}
