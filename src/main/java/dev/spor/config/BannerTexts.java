package dev.spor.config;

import java.util.Map;

/**
 * The banner's words in one language. Any text left out in a language is taken from the
 * policy's fallback language. Texts are always shown as text, never as HTML.
 *
 * @param title the banner's heading
 * @param description what is asked and why
 * @param acceptAll label of the accept-all button
 * @param rejectAll label of the reject-all button (as prominent as accept)
 * @param settings label of the button that opens the category choice
 * @param save label of the button that saves the chosen categories
 * @param privacyLabel text of the link to the privacy page
 * @param privacyUrl the privacy page: {@code https://...} or a path such as {@code /privacy}
 * @param gpcNotice shown when the browser's Global Privacy Control signal was honoured
 * @param categories name and description of each category
 */
public record BannerTexts(
        String title,
        String description,
        String acceptAll,
        String rejectAll,
        String settings,
        String save,
        String privacyLabel,
        String privacyUrl,
        String gpcNotice,
        Map<String, CategoryTexts> categories) {

    public BannerTexts {
        categories = categories == null ? Map.of() : Maps.copy(categories);
    }

    /** Spor's own English texts, used wherever a configuration gives none. */
    public static final BannerTexts ENGLISH = new BannerTexts(
            "Your privacy",
            "We would like to count visits with our own first-party cookie to learn which pages help"
                    + " our visitors. Nothing is stored about your visit unless you agree. You can change"
                    + " your mind at any time with the \"Cookie settings\" link.",
            "Accept all",
            "Reject all",
            "Settings",
            "Save choices",
            "Privacy policy",
            null,
            "Your browser's Global Privacy Control signal was honoured.",
            Map.of(
                    "necessary", new CategoryTexts("Necessary", "Remembers your choice. Always on."),
                    "analytics", new CategoryTexts("Analytics", "Counts the pages you view with a first-party cookie."),
                    "functionality", new CategoryTexts("Functionality", "Remembers settings such as language."),
                    "advertisement", new CategoryTexts("Advertising", "Measures and personalises advertising.")));

    /** Built-in texts per language. */
    public static final Map<String, BannerTexts> BUILT_IN = Map.of("en", ENGLISH);

    /** These texts with every text that {@code over} gives replacing this one's. */
    public BannerTexts overriddenBy(BannerTexts over) {
        if (over == null) {
            return this;
        }
        Map<String, CategoryTexts> merged = new java.util.LinkedHashMap<>(categories);
        over.categories.forEach((key, words) -> merged.merge(key, words, (mine, theirs) -> new CategoryTexts(
                theirs.name() != null ? theirs.name() : mine.name(),
                theirs.description() != null ? theirs.description() : mine.description())));
        return new BannerTexts(
                pick(over.title, title), pick(over.description, description), pick(over.acceptAll, acceptAll),
                pick(over.rejectAll, rejectAll), pick(over.settings, settings), pick(over.save, save),
                pick(over.privacyLabel, privacyLabel), pick(over.privacyUrl, privacyUrl), pick(over.gpcNotice, gpcNotice),
                merged);
    }

    /** Empty texts, the start of a merge. */
    public static BannerTexts empty() {
        return new BannerTexts(null, null, null, null, null, null, null, null, null, null);
    }

    private static String pick(String preferred, String fallback) {
        return preferred != null ? preferred : fallback;
    }

    /**
     * A category's words.
     *
     * @param name short name, such as "Analytics"
     * @param description what the category allows
     */
    public record CategoryTexts(String name, String description) {
    }
}
