package dev.spor.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A page-view beacon as the script sends it to {@code <endpoint>/p} ({@code text/plain} JSON),
 * validated field by field; unknown fields are refused. Immutable.
 *
 * @param eventId client-generated id, 8 to 64 of {@code [A-Za-z0-9_-]}
 * @param url the page URL (at most 2 KiB)
 * @param title the page title, at most 512 characters (longer ones are cut), may be null
 * @param referrer the referrer, at most 2 KiB, may be null
 * @param clientTime the browser's clock, may be null
 * @param webdriver whether the browser reported {@code navigator.webdriver} (automation)
 * @param identify who the visitor says they are, may be null
 */
public record Beacon(String eventId, String url, String title, String referrer, Instant clientTime, boolean webdriver,
        Identify identify) implements Collected {
    /** Largest body accepted, well under the browser's 64 KiB keepalive budget. */
    public static final int MAX_BYTES = 8 * 1024;
    private static final Set<String> FIELDS = Set.of("eventId", "url", "title", "referrer", "clientTime", "webdriver",
            "identify");
    /** A consent decision carries its page's beacon fields next to its own. */
    private static final Set<String> DECISION_FIELDS = Set.of("eventId", "url", "title", "referrer", "clientTime",
            "webdriver", "identify", "action", "categories", "lang", "source");
    private static final int MAX_TITLE = 512;

    /** Thrown for a beacon that cannot be stored; the message is the client's short reason. */
    public static final class Invalid extends Exception {
        public Invalid(String reason) {
            super(reason);
        }
    }

    /** A page-view beacon's body. */
    public static Beacon parse(byte[] body, Instant now) throws Invalid {
        JsonNode json = Fields.read(body);
        Fields.known(json, FIELDS, "body");
        return fields(json, now);
    }

    /** The page-view fields of a consent decision already parsed (the page a visitor decides on). */
    public static Beacon of(JsonNode json, Instant now) throws Invalid {
        Fields.known(json, DECISION_FIELDS, "body");
        return fields(json, now);
    }

    private static Beacon fields(JsonNode json, Instant now) throws Invalid {
        String eventId = Fields.eventId(json);
        String url = Fields.url(json);
        Instant clientTime = Fields.clientTime(json, now);
        String title = Fields.text(json, "title", 64 * 1024);
        if (title != null && title.length() > MAX_TITLE) {
            title = title.substring(0, MAX_TITLE); // a long title is cut, never a reason to lose the page view
        }
        return new Beacon(eventId, url, title, Fields.text(json, "referrer", Fields.MAX_URL), clientTime,
                Fields.flag(json, "webdriver"), Identify.of(json));
    }

    @Override
    public List<Row> rows(Receipt r) {
        List<Row> rows = new ArrayList<>(2);
        rows.add(new PageView(r.site(), eventId, r.visitorId(), url, r.path(), title, referrer, r.country(), r.receivedAt(),
                clientTime, r.uaFamily(), r.bot(webdriver)));
        if (identify != null) {
            rows.add(r.identifyRow(eventId, url, clientTime, webdriver, identify));
        }
        return List.copyOf(rows);
    }
}
