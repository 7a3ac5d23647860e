package dev.spor.consent;

import dev.spor.config.SiteConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

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

    static Optional<PageContext> of(SiteConfig site, String url) {
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
}
