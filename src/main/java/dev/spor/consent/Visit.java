package dev.spor.consent;

/**
 * What the identity feature may know about a request concerning one page of a site: the page,
 * the tracking cookie only when the policy in force there lets analytics run for this browser,
 * and the client address (for rate limits, never stored). Immutable.
 *
 * @param url the page's URL
 * @param path the page's path
 * @param visitorId the consented tracking cookie, or null (no cookie, or no analytics consent)
 * @param country ISO country code, or null when unknown
 * @param clientAddress the client's address, from trusted proxies' headers when configured
 */
public record Visit(String url, String path, String visitorId, String country, String clientAddress) {
    /** Whether the browser may be tracked here (then it has a tracking cookie). */
    public boolean consented() {
        return visitorId != null;
    }
}
