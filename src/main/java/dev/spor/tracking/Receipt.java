package dev.spor.tracking;

import java.time.Instant;

/**
 * What the server knows about a beacon it accepted, beyond the beacon itself. Immutable.
 *
 * @param site site key
 * @param visitorId the browser's tracking cookie
 * @param path the page's path
 * @param country ISO country code, null when unknown
 * @param receivedAt server time
 * @param uaFamily the browser family from its User-Agent
 * @param countAutomation the site counts bots and automated browsers as people (for Spor's own
 *     browser tests)
 */
public record Receipt(String site, String visitorId, String path, String country, Instant receivedAt, String uaFamily,
        boolean countAutomation) {

    /** Whether a beacon from this browser is flagged as a bot's. */
    public boolean bot(boolean webdriver) {
        return !countAutomation && (webdriver || "bot".equals(uaFamily));
    }

    /** The identify a beacon carries, as an {@code events} row next to the beacon's own. */
    TrackedEvent identifyRow(String eventId, String url, Instant clientTime, boolean webdriver, Identify identify) {
        return new TrackedEvent(site, eventId + "-id", visitorId, TrackedEvent.Type.IDENTIFY, identify.email(),
                identify.properties(), identify.hmac(), url, path, country, receivedAt, clientTime, bot(webdriver));
    }
}
