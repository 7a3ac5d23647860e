package dev.spor.config;

import java.util.Locale;

/**
 * A host name Spor answers on for a site, optionally only under a path prefix.
 *
 * @param host lower-case host name without port
 * @param pathPrefix empty, or a prefix such as {@code /_sp} (no trailing slash)
 */
public record HostAlias(String host, String pathPrefix) {

    /** Parses {@code "t.example.com"} or {@code "www.example.com/_sp"}; does not validate. */
    public static HostAlias parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        if (slash < 0) {
            return new HostAlias(trimmed.toLowerCase(Locale.ROOT), "");
        }
        String prefix = trimmed.substring(slash);
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return new HostAlias(trimmed.substring(0, slash).toLowerCase(Locale.ROOT), prefix);
    }

    @Override
    public String toString() {
        return host + pathPrefix;
    }
}
