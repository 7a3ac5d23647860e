package dev.spor.tracking;

import java.time.Instant;

/**
 * One page view of a consenting visitor, as stored.
 *
 * @param site site key
 * @param eventId client-generated id; the same id is stored once per site
 * @param visitorId the tracking cookie's value
 * @param url full page URL
 * @param path URL path
 * @param title page title, may be null
 * @param referrer referring URL, may be null
 * @param country ISO country code, null when unknown
 * @param viewedAt server time of receipt
 * @param clientTime the browser's clock, kept apart because it may be wrong; may be null
 * @param uaFamily the browser family from its User-Agent (see {@code UserAgents}), null when not known
 * @param bot whether a known bot or automated browser sent it (stored, left out of reports)
 */
public record PageView(
        String site,
        String eventId,
        String visitorId,
        String url,
        String path,
        String title,
        String referrer,
        String country,
        Instant viewedAt,
        Instant clientTime,
        String uaFamily,
        boolean bot) implements Row {

    /** A page view whose browser family is not known, not flagged as a bot. */
    public PageView(String site, String eventId, String visitorId, String url, String path, String title, String referrer,
            String country, Instant viewedAt, Instant clientTime) {
        this(site, eventId, visitorId, url, path, title, referrer, country, viewedAt, clientTime, null, false);
    }

    @Override
    public Instant receivedAt() {
        return viewedAt;
    }
}
