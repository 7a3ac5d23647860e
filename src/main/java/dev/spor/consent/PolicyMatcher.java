package dev.spor.consent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.spor.config.MatchConfig;
import dev.spor.config.PathPattern;
import dev.spor.config.PolicyConfig;
import dev.spor.config.SiteConfig;
import dev.spor.country.Location;
import java.util.Locale;
import java.util.Set;

/**
 * Picks the policy in force for a page: the first of the site's policies whose match fits the
 * page's domain, path and the visitor's country (a validated config always ends with a
 * catch-all). A policy with a country condition never matches a visitor whose country is
 * unknown. Stateless.
 */
final class PolicyMatcher {
    static final Set<String> EU = Set.of("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR",
            "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE");
    static final Set<String> EEA_EXTRA = Set.of("IS", "LI", "NO");

    /** Compiled path patterns; the config holds few, and reloads bring new ones. */
    /** Compiled path patterns of every config seen; statistics for /metrics. */
    static final Cache<String, PathPattern> PATTERNS =
            Caffeine.newBuilder().executor(Runnable::run).maximumSize(10_000).recordStats().build();

    private PolicyMatcher() {
    }

    static PolicyConfig policyFor(SiteConfig site, String host, String path, Location location) {
        for (PolicyConfig policy : site.policies()) {
            if (policy.isCatchAll() || matches(policy.match(), host, path, location)) {
                return policy;
            }
        }
        throw new IllegalStateException("site " + site.key() + " has no catch-all policy: the config validator lets none pass");
    }

    static boolean matches(MatchConfig match, String host, String path, Location location) {
        return (match.domains().isEmpty() || match.domains().stream().anyMatch(d -> domainMatches(d, host)))
                && (match.paths().isEmpty() || match.paths().stream().anyMatch(p -> PATTERNS.get(p, PathPattern::compile).matches(path)))
                && (match.countries().isEmpty() || match.countries().stream().anyMatch(c -> countryMatches(c, location)));
    }

    static boolean domainMatches(String pattern, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return pattern.startsWith("*.") ? h.endsWith(pattern.substring(1)) : h.equals(pattern);
    }

    static boolean countryMatches(String code, Location location) {
        String country = location.country();
        if (country == null) {
            return false;
        }
        return switch (code) {
            case "EU" -> EU.contains(country);
            case "EEA" -> EU.contains(country) || EEA_EXTRA.contains(country);
            default -> code.contains("-") ? code.equals(location.region()) : code.equals(country);
        };
    }
}
