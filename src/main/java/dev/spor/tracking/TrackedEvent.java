package dev.spor.tracking;

import java.time.Instant;
import java.util.Locale;

/**
 * One event of a consenting visitor, as stored in {@code events}: a custom event, a download
 * (never a page view), or an identify waiting for the identity feature to apply it.
 *
 * @param site site key
 * @param eventId client-generated id (an identify's is its beacon's id plus {@code -id}); stored
 *     once per site
 * @param visitorId the tracking cookie's value
 * @param type what happened
 * @param name the event's name, a download's file URL, or an identify's lower-cased email
 * @param properties flat properties as compact JSON, may be null
 * @param hmac an identify's signature of the email by the site's backend, else null
 * @param url the page it happened on
 * @param path the page's path
 * @param country ISO country code, null when unknown
 * @param occurredAt server time of receipt
 * @param clientTime the browser's clock, may be null
 * @param bot whether a known bot or automated browser sent it
 */
public record TrackedEvent(
        String site,
        String eventId,
        String visitorId,
        Type type,
        String name,
        String properties,
        String hmac,
        String url,
        String path,
        String country,
        Instant occurredAt,
        Instant clientTime,
        boolean bot) implements Row {

    /** The kinds of event, stored by their wire names. */
    public enum Type {
        EVENT, DOWNLOAD, IDENTIFY;

        /** The name on the wire and in the database. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public Instant receivedAt() {
        return occurredAt;
    }
}
