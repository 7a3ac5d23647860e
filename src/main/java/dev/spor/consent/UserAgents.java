package dev.spor.consent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.regex.Pattern;

/** The family of a browser from its User-Agent, for logs and reports; never the full string. */
public final class UserAgents {
    private static final Pattern BOT = Pattern.compile(
            "(?i)bot|crawl|spider|slurp|curl/|wget/|python-|java/|httpclient|okhttp|go-http|headless|phantom|lighthouse");

    /**
     * Families of the User-Agent strings seen lately: the bot pattern's scan was a tenth of collection's own
     * CPU in the profile, and a site's traffic comes from few distinct strings. Bounded by count;
     * an odd, long string is classified without being kept.
     */
    private static final Cache<String, String> FAMILIES = Caffeine.newBuilder().executor(Runnable::run).maximumSize(2_000).build();
    private static final int MAX_CACHED_LENGTH = 512;

    private UserAgents() {
    }

    public static String family(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "unknown";
        }
        return userAgent.length() > MAX_CACHED_LENGTH ? classify(userAgent) : FAMILIES.get(userAgent, UserAgents::classify);
    }

    private static String classify(String userAgent) {
        if (BOT.matcher(userAgent).find()) {
            return "bot";
        }
        if (userAgent.contains("Edg/")) {
            return "edge";
        }
        if (userAgent.contains("OPR/")) {
            return "opera";
        }
        if (userAgent.contains("Firefox/")) {
            return "firefox";
        }
        if (userAgent.contains("Chrome/") || userAgent.contains("Chromium/")) {
            return "chrome";
        }
        if (userAgent.contains("Safari/")) {
            return "safari";
        }
        return "other";
    }
}
