package dev.spor.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A validated configuration with its lookup indexes, swapped in whole on every reload.
 * Immutable and thread-safe.
 */
public final class ConfigSnapshot {
    private final String source;
    private final SporConfig config;
    private final Map<String, SiteConfig> sitesByKey = new LinkedHashMap<>();
    /** host → its aliases, longest path prefix first, so the most specific one wins. */
    private final Map<String, List<Entry>> aliasesByHost = new HashMap<>();

    ConfigSnapshot(String source, SporConfig config) {
        this.source = source;
        this.config = config;
        for (SiteConfig site : config.sites()) {
            sitesByKey.put(site.key(), site);
            for (HostAlias alias : site.aliases()) {
                aliasesByHost.computeIfAbsent(alias.host(), h -> new ArrayList<>()).add(new Entry(alias, site));
            }
        }
        aliasesByHost.values().forEach(list ->
                list.sort(Comparator.comparingInt((Entry e) -> e.alias.pathPrefix().length()).reversed()));
    }

    /** Where this configuration came from: a file path or the built-in demo. */
    public String source() {
        return source;
    }

    public SporConfig config() {
        return config;
    }

    public List<SiteConfig> sites() {
        return config.sites();
    }

    public Optional<SiteConfig> site(String key) {
        return Optional.ofNullable(sitesByKey.get(key));
    }

    /**
     * Finds the site alias a request was made on.
     *
     * @param hostHeader the request's Host header, port and case as sent
     * @param path the request path within Spor's context
     * @return the alias, its site and the path below the alias prefix; empty for an unknown host
     */
    public Optional<AliasMatch> resolve(String hostHeader, String path) {
        List<Entry> entries = aliasesByHost.get(hostOnly(hostHeader));
        if (entries == null || path == null) {
            return Optional.empty();
        }
        for (Entry entry : entries) {
            String prefix = entry.alias.pathPrefix();
            if (prefix.isEmpty()) {
                return Optional.of(new AliasMatch(entry.site, entry.alias, path));
            }
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return Optional.of(new AliasMatch(entry.site, entry.alias, path.substring(prefix.length())));
            }
        }
        return Optional.empty();
    }

    /** The site one of whose own domains a Host header names, if any. */
    public Optional<SiteConfig> siteOfDomain(String hostHeader) {
        String host = hostOnly(hostHeader);
        return config.sites().stream().filter(site -> site.domains().contains(host)).findFirst();
    }

    /** Lower-cases a Host header and strips its port; handles IPv6 literals. */
    static String hostOnly(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        host = colon < 0 ? host : host.substring(0, colon);
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /**
     * A request resolved to a site alias.
     *
     * @param site the site the alias belongs to
     * @param alias the alias that matched
     * @param path the request path with the alias prefix removed
     */
    public record AliasMatch(SiteConfig site, HostAlias alias, String path) {
    }

    private record Entry(HostAlias alias, SiteConfig site) {
    }
}
