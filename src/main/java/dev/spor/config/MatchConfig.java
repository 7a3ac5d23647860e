package dev.spor.config;

import java.util.List;

/**
 * Conditions of a policy; every non-empty list must match (and within a list, any entry).
 *
 * @param domains exact host names or {@code *.example.com}
 * @param paths URL path patterns such as {@code /blog/**} or {@code /privacy}
 * @param countries ISO 3166 alpha-2 codes, the groups {@code EU} and {@code EEA}, or regions
 *     such as {@code US-CA}
 */
public record MatchConfig(List<String> domains, List<String> paths, List<String> countries) {
    public MatchConfig {
        domains = Lists.copy(domains);
        paths = Lists.copy(paths);
        countries = Lists.copy(countries);
    }

    boolean isEmpty() {
        return domains.isEmpty() && paths.isEmpty() && countries.isEmpty();
    }
}
