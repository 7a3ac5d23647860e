package dev.spor.config;

/**
 * Rate limits of the script's endpoints (consent state and decisions, page views, events,
 * forms, email landings): a token bucket per client address and one per site, each allowing a
 * burst of ten seconds' worth. Beyond them the answer is 429 with {@code Retry-After}.
 *
 * @param perAddressPerSecond requests per second one client address may make; default 100 (a
 *     browser makes a few per page; an office behind one address makes more)
 * @param perSitePerSecond requests per second all clients of one site may make; default 10,000
 */
public record LimitsConfig(Integer perAddressPerSecond, Integer perSitePerSecond) {
    /** The limits when the file names none. */
    public static final LimitsConfig DEFAULT = new LimitsConfig(null, null);
    /** The largest rate either limit may be set to. */
    public static final int MAX_RATE = 10_000_000;

    public LimitsConfig {
        if (perAddressPerSecond == null) {
            perAddressPerSecond = 100;
        }
        if (perSitePerSecond == null) {
            perSitePerSecond = 10_000;
        }
    }
}
