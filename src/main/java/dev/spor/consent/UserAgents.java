package dev.spor.consent;

import java.util.regex.Pattern;

/** The family of a browser from its User-Agent, for logs and reports; never the full string. */
public final class UserAgents {
    private static final Pattern BOT = Pattern.compile(
            "(?i)bot|crawl|spider|slurp|curl/|wget/|python-|java/|httpclient|okhttp|go-http|headless|phantom|lighthouse");

    private UserAgents() {
    }

    public static String family(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "unknown";
        }
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
