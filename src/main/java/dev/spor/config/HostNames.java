package dev.spor.config;

import java.util.regex.Pattern;

/** Syntax of host names and domains as written in the config. */
final class HostNames {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private HostNames() {
    }

    /** A lower-case DNS name (letters, digits, hyphens; dot-separated labels), no port. */
    static boolean isValid(String host) {
        if (host == null || host.isEmpty() || host.length() > 253 || host.endsWith(".")) {
            return false;
        }
        for (String label : host.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code host} is {@code domain} itself or a subdomain of it. */
    static boolean isUnder(String host, String domain) {
        return host.equals(domain) || host.endsWith("." + domain);
    }
}
