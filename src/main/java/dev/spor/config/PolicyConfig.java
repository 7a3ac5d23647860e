package dev.spor.config;

import java.util.List;

/**
 * One consent rule. The first policy of a site whose {@link MatchConfig} fits a request wins.
 *
 * @param id unique within the site
 * @param mode {@code opt-in}, {@code opt-out}, {@code notify} or {@code none}
 * @param match when this policy applies; absent means always (the catch-all default)
 * @param categories categories offered; {@code necessary} is always on
 * @param revision bumping it asks every visitor again, default 1
 */
public record PolicyConfig(
        String id, String mode, MatchConfig match, List<String> categories, Integer revision) {

    public static final List<String> MODES = List.of("opt-in", "opt-out", "notify", "none");
    public static final List<String> CATEGORIES =
            List.of("necessary", "analytics", "functionality", "advertisement");

    public PolicyConfig {
        categories = categories == null ? List.of("necessary", "analytics") : Lists.copy(categories);
        if (revision == null) {
            revision = 1;
        }
    }

    /** True when this policy applies to every request (no match, or an empty one). */
    public boolean isCatchAll() {
        return match == null || match.isEmpty();
    }
}
