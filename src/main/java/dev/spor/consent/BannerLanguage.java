package dev.spor.consent;

import dev.spor.config.BannerTexts;
import dev.spor.config.PolicyConfig;
import dev.spor.config.SiteConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Chooses the banner's language and texts: the page's {@code lang}, then the browser's
 * {@code Accept-Language} in order of preference, then the policy's fallback language; each
 * text missing in the chosen language comes from the fallback language. Stateless.
 */
final class BannerLanguage {
    /** Longest {@code Accept-Language} read; a longer one is ignored. */
    static final int MAX_ACCEPT_LANGUAGE = 500;
    private static final Pattern TAG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?");

    private BannerLanguage() {
    }

    /** Whether a page language is a tag the choice reads (anything else is skipped). */
    static boolean isTag(String pageLang) {
        return pageLang != null && TAG.matcher(pageLang).matches();
    }

    /**
     * The chosen texts.
     *
     * @param language the language the texts are in
     * @param texts the merged texts
     */
    record Chosen(String language, BannerTexts texts) {
    }

    static Chosen choose(SiteConfig site, PolicyConfig policy, String pageLang, String acceptLanguage) {
        String fallback = policy.fallbackLanguage() != null ? policy.fallbackLanguage() : site.fallbackLanguage();
        BannerTexts base = textsIn(site, policy, fallback);
        for (String candidate : candidates(pageLang, acceptLanguage)) {
            String language = available(site, policy, candidate);
            if (language != null) {
                return new Chosen(language, language.equals(fallback) ? base : base.overriddenBy(textsIn(site, policy, language)));
            }
        }
        return new Chosen(fallback, base);
    }

    private static BannerTexts textsIn(SiteConfig site, PolicyConfig policy, String language) {
        Map<String, BannerTexts> own = policy.texts() == null ? Map.of() : policy.texts();
        return BannerTexts.empty().overriddenBy(BannerTexts.BUILT_IN.get(language))
                .overriddenBy(site.texts().get(language)).overriddenBy(own.get(language));
    }

    /** The configured language matching a tag ({@code de-AT} finds {@code de-AT}, else {@code de}), or null. */
    private static String available(SiteConfig site, PolicyConfig policy, String tag) {
        String[] parts = tag.split("-");
        String exact = parts.length > 1 ? parts[0].toLowerCase(Locale.ROOT) + "-" + parts[1].toUpperCase(Locale.ROOT)
                : parts[0].toLowerCase(Locale.ROOT);
        for (String language : List.of(exact, parts[0].toLowerCase(Locale.ROOT))) {
            boolean configured = site.texts().containsKey(language) || BannerTexts.BUILT_IN.containsKey(language)
                    || policy.texts() != null && policy.texts().containsKey(language);
            if (configured) {
                return language;
            }
        }
        return null;
    }

    /** Language tags to try, best first; junk is skipped and the work is bounded. */
    static List<String> candidates(String pageLang, String acceptLanguage) {
        List<String> tags = new ArrayList<>();
        if (isTag(pageLang)) {
            tags.add(pageLang);
        }
        if (acceptLanguage != null && acceptLanguage.length() <= MAX_ACCEPT_LANGUAGE) {
            List<String[]> weighted = new ArrayList<>();
            for (String part : acceptLanguage.split(",")) {
                String[] fields = part.trim().split(";");
                double q = 1.0;
                for (int i = 1; i < fields.length; i++) {
                    String f = fields[i].trim();
                    if (f.startsWith("q=")) {
                        try {
                            q = Double.parseDouble(f.substring(2));
                        } catch (NumberFormatException e) {
                            q = 0;
                        }
                    }
                }
                if (q > 0 && TAG.matcher(fields[0]).matches()) {
                    weighted.add(new String[] {fields[0], Double.toString(q)});
                }
            }
            weighted.sort(Comparator.comparingDouble((String[] w) -> Double.parseDouble(w[1])).reversed());
            weighted.forEach(w -> tags.add(w[0]));
        }
        return tags;
    }
}
