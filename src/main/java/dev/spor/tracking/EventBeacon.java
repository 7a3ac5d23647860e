package dev.spor.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An event beacon as the script sends it to {@code <endpoint>/e} ({@code text/plain} JSON):
 * a custom event ({@code trackEvent}) or a download (a click on a file link, which is never a
 * page view). Validated field by field; unknown fields are refused; bounded like a page view
 * ({@link Beacon#MAX_BYTES}). Immutable.
 *
 * @param eventId client-generated id, 8 to 64 of {@code [A-Za-z0-9_-]}
 * @param type {@code EVENT} or {@code DOWNLOAD}
 * @param name the event's name (1 to 100 characters), or a download's absolute http(s) file URL
 *     (at most 2 KiB)
 * @param properties flat properties as compact JSON, may be null
 * @param url the page it happened on (at most 2 KiB)
 * @param clientTime the browser's clock, may be null
 * @param webdriver whether the browser reported {@code navigator.webdriver} (automation)
 * @param identify who the visitor says they are, may be null
 */
public record EventBeacon(String eventId, TrackedEvent.Type type, String name, String properties, String url,
        Instant clientTime, boolean webdriver, Identify identify) implements Collected {
    static final int MAX_NAME = 100;
    private static final Set<String> FIELDS = Set.of("eventId", "type", "name", "properties", "url", "clientTime",
            "webdriver", "identify");

    public static EventBeacon parse(byte[] body, Instant now) throws Beacon.Invalid {
        JsonNode json = Fields.read(body);
        Fields.known(json, FIELDS, "body");
        String eventId = Fields.eventId(json);
        TrackedEvent.Type type = type(Fields.text(json, "type", 16));
        String name = type == TrackedEvent.Type.DOWNLOAD ? fileUrl(json) : Fields.text(json, "name", MAX_NAME);
        if (name == null) {
            throw new Beacon.Invalid("name is required");
        }
        String properties = FlatProperties.of(json, "properties", "properties");
        return new EventBeacon(eventId, type, name, properties, Fields.url(json), Fields.clientTime(json, now),
                Fields.flag(json, "webdriver"), Identify.of(json));
    }

    private static TrackedEvent.Type type(String type) throws Beacon.Invalid {
        if ("event".equals(type)) {
            return TrackedEvent.Type.EVENT;
        }
        if ("download".equals(type)) {
            return TrackedEvent.Type.DOWNLOAD;
        }
        throw new Beacon.Invalid("type must be event or download");
    }

    private static String fileUrl(JsonNode json) throws Beacon.Invalid {
        String name = Fields.text(json, "name", Fields.MAX_URL);
        if (name == null) {
            return null;
        }
        try {
            URI uri = new URI(name);
            if (uri.getHost() != null && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                return name;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new Beacon.Invalid("a download's name must be the file's http(s) URL");
    }

    @Override
    public List<Row> rows(Receipt r) {
        List<Row> rows = new ArrayList<>(2);
        rows.add(new TrackedEvent(r.site(), eventId, r.visitorId(), type, name, properties, null, url, r.path(), r.country(),
                r.receivedAt(), clientTime, r.bot(webdriver)));
        if (identify != null) {
            rows.add(r.identifyRow(eventId, url, clientTime, webdriver, identify));
        }
        return List.copyOf(rows);
    }
}
