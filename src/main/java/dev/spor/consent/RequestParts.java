package dev.spor.consent;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few parts of a request the consent endpoints read on every call, read straight from the
 * raw header or query: a cookie by name, a query parameter by name, the host of an Origin. The
 * container's parsers build every cookie and parameter of the request first, which cost the
 * state endpoint a fifth of its time. Anything unusual falls back to the strict reading, or to
 * nothing. Stateless.
 */
final class RequestParts {
    /** An origin as browsers send it: scheme, host name, optional port, nothing else. */
    private static final Pattern PLAIN_ORIGIN = Pattern.compile("(https?)://([A-Za-z0-9.-]+)(:[0-9]{1,5})?");

    private RequestParts() {
    }

    /**
     * The value of the first cookie called {@code name} with a non-empty value in a
     * {@code Cookie} header ({@code a=1; b=2}), without surrounding quotes; null when there is
     * none.
     */
    static String cookie(String header, String name) {
        if (header == null) {
            return null;
        }
        int length = header.length();
        int from = 0;
        while (from < length) {
            int end = header.indexOf(';', from);
            end = end < 0 ? length : end;
            int start = from;
            while (start < end && (header.charAt(start) == ' ' || header.charAt(start) == '\t')) {
                start++;
            }
            int eq = start + name.length();
            if (eq < end && header.charAt(eq) == '=' && header.startsWith(name, start)) {
                String value = header.substring(eq + 1, end).trim();
                if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
                    value = value.substring(1, value.length() - 1);
                }
                if (!value.isEmpty()) {
                    return value;
                }
            }
            from = end + 1;
        }
        return null;
    }

    /**
     * The first value of the query parameter {@code name}, decoded (a plus sign is a space); null
     * when it is missing or its escapes are not valid.
     */
    static String parameter(String query, String name) {
        if (query == null) {
            return null;
        }
        int length = query.length();
        int from = 0;
        while (from < length) {
            int end = query.indexOf('&', from);
            end = end < 0 ? length : end;
            int eq = from + name.length();
            if (eq <= end && query.startsWith(name, from) && (eq == end || query.charAt(eq) == '=')) {
                String raw = eq == end ? "" : query.substring(eq + 1, end);
                try {
                    return raw.indexOf('%') < 0 && raw.indexOf('+') < 0 ? raw : URLDecoder.decode(raw, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            from = end + 1;
        }
        return null;
    }

    /**
     * Whether an Origin is {@code http} or {@code https} on one of {@code domains} (lower-case
     * host names); a malformed origin is not.
     */
    /** Whether {@code origin} from {@code from} on is one or more of {@code [A-Za-z0-9.-]}. */
    private static boolean isPlainHost(String origin, int from) {
        if (from >= origin.length()) {
            return false;
        }
        for (int i = from; i < origin.length(); i++) {
            char c = origin.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    static boolean isOriginOf(String origin, Collection<String> domains) {
        int hostStart = origin.startsWith("https://") ? 8 : origin.startsWith("http://") ? 7 : -1;
        if (hostStart > 0 && isPlainHost(origin, hostStart)) { // what PLAIN_ORIGIN matches without a port, read without it
            return domains.contains(origin.substring(hostStart).toLowerCase(Locale.ROOT));
        }
        Matcher plain = PLAIN_ORIGIN.matcher(origin);
        if (plain.matches()) {
            return domains.contains(plain.group(2).toLowerCase(Locale.ROOT));
        }
        try {
            URI uri = new URI(origin);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            return domains.contains(host) && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
