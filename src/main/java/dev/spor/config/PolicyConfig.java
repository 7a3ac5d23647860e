package dev.spor.config;

import java.util.List;
import java.util.Map;

/**
 * One consent rule. The first policy of a site whose {@link MatchConfig} fits a request wins.
 *
 * @param id unique within the site
 * @param mode {@code opt-in}, {@code opt-out}, {@code notify} or {@code none}
 * @param match when this policy applies; absent means always (the catch-all default)
 * @param categories categories offered; {@code necessary} is always on
 * @param revision bumping it asks every visitor again, default 1
 * @param gpcDeclinesAnalytics whether a browser's Global Privacy Control signal also declines
 *     {@code analytics} (it always declines {@code advertisement}); default true
 * @param acceptDays how long an acceptance holds, default 182
 * @param rejectDays how long a rejection holds, default 182
 * @param fallbackLanguage overrides the site's fallback language for this policy
 * @param texts overrides the site's banner texts for this policy
 */
public record PolicyConfig(
        String id,
        String mode,
        MatchConfig match,
        List<String> categories,
        Integer revision,
        Boolean gpcDeclinesAnalytics,
        Integer acceptDays,
        Integer rejectDays,
        String fallbackLanguage,
        Map<String, BannerTexts> texts) {

    public static final List<String> MODES = List.of("opt-in", "opt-out", "notify", "none");
    public static final List<String> CATEGORIES =
            List.of("necessary", "analytics", "functionality", "advertisement");

    public PolicyConfig {
        categories = categories == null ? List.of("necessary", "analytics") : Lists.copy(categories);
        if (revision == null) {
            revision = 1;
        }
        if (gpcDeclinesAnalytics == null) {
            gpcDeclinesAnalytics = true;
        }
        if (acceptDays == null) {
            acceptDays = 182;
        }
        if (rejectDays == null) {
            rejectDays = 182;
        }
        texts = texts == null ? null : Maps.copy(texts);
    }

    /** Whether this policy shows a banner at all ({@code none} does not). */
    public boolean showsBanner() {
        return !"none".equals(mode);
    }

    /** True when this policy applies to every request (no match, or an empty one). */
    public boolean isCatchAll() {
        return match == null || match.isEmpty();
    }
}
