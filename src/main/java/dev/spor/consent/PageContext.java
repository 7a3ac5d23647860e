package dev.spor.consent;

import dev.spor.config.SiteConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page a request is about, from the URL the script reports: its host must be one of the
 * site's own domains.
 *
 * @param url the full URL as reported (at most 2 KiB)
 * @param host the page's host, lower case
 * @param path the page's path, never empty
 */
record PageContext(String url, String host, String path) {
    static final int MAX_URL = 2048;
    /** Whether {@link URI} takes a domain of a site as a host name; only configured domains get in. */
    private static final Map<String, Boolean> HOST_NAMES = new ConcurrentHashMap<>();

    /**
     * The page of {@code url} if it is an http(s) URL on one of the site's domains. The usual URL
     * (a lower-case scheme and host, then only characters that need no decoding) is taken apart
     * here; any other goes through {@link URI}, whose answer this one always matches: parsing every
     * URL with it was a tenth of the consent endpoint's own time.
     */
    static Optional<PageContext> of(SiteConfig site, String url) {
        if (url == null || url.length() > MAX_URL) {
            return Optional.empty();
        }
        int hostStart = url.startsWith("https://") ? 8 : url.startsWith("http://") ? 7 : -1;
        if (hostStart > 0) {
            int hostEnd = hostStart;
            while (hostEnd < url.length() && "/?#".indexOf(url.charAt(hostEnd)) < 0) {
                hostEnd++;
            }
            String host = url.substring(hostStart, hostEnd);
            int pathEnd = plainEnd(url, hostEnd);
            if (pathEnd >= 0 && site.domains().contains(host) && isHostName(host)) {
                return Optional.of(new PageContext(url, host, pathEnd == hostEnd ? "/" : url.substring(hostEnd, pathEnd)));
            }
        }
        return parsed(site, url);
    }

    /** {@link #of} by {@link URI} alone. */
    static Optional<PageContext> parsed(SiteConfig site, String url) {
        if (url == null || url.length() > MAX_URL) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                return Optional.empty();
            }
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            if (!site.domains().contains(host)) {
                return Optional.empty();
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return Optional.of(new PageContext(url, host, path));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /**
     * Where the path that starts at {@code from} ends, if the rest of {@code url} is plain: only
     * characters that {@link URI} takes as they are in a path (then in a query and a fragment,
     * also '?'), and escapes of two hex digits. -1 when anything else is there.
     */
    private static int plainEnd(String url, int from) {
        int pathEnd = -1;
        boolean inFragment = false;
        for (int i = from; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '%') {
                if (i + 2 >= url.length() || Character.digit(url.charAt(i + 1), 16) < 0
                        || Character.digit(url.charAt(i + 2), 16) < 0) {
                    return -1;
                }
                i += 2;
            } else if (c == '?' || c == '#') {
                if (c == '#' && inFragment) {
                    return -1;
                }
                pathEnd = pathEnd < 0 ? i : pathEnd;
                inFragment |= c == '#';
            } else if (!isPlain(c)) {
                return -1;
            }
        }
        return pathEnd < 0 ? url.length() : pathEnd;
    }

    private static boolean isPlain(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
    }

    /** Whether {@link URI} reads {@code host} as a host (not, say, a registry name it has no host for). */
    private static boolean isHostName(String host) {
        return HOST_NAMES.computeIfAbsent(host, h -> {
            try {
                return h.equals(new URI("http://" + h + "/").getHost());
            } catch (URISyntaxException e) {
                return false;
            }
        });
    }
}
