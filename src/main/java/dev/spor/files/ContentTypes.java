package dev.spor.files;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Media types of hosted files: checked when given, guessed from the name when not. */
final class ContentTypes {
    static final String DEFAULT = "application/octet-stream";
    static final int MAX_LENGTH = 100;

    private static final String TOKEN = "[A-Za-z0-9!#$&^_.+-]+";
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            TOKEN + "/" + TOKEN + "(\\s*;\\s*" + TOKEN + "=(" + TOKEN + "|\"[^\"\\\\\\p{Cntrl}]*\"))*");

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("pdf", "application/pdf"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("webp", "image/webp"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("csv", "text/csv; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("zip", "application/zip"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("mp3", "audio/mpeg"));

    private ContentTypes() {
    }

    /** The media type for a file of this name: from its extension, else {@value #DEFAULT}. */
    static String guess(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return BY_EXTENSION.getOrDefault(extension, DEFAULT);
    }

    /**
     * The given media type trimmed, or the guess when it is null or blank.
     *
     * @throws IllegalArgumentException when it is not a {@code type/subtype} with optional
     *     parameters, or is longer than {@value #MAX_LENGTH} characters
     */
    static String checkOrGuess(String contentType, String name) {
        if (contentType == null || contentType.isBlank()) {
            return guess(name);
        }
        String trimmed = contentType.trim();
        if (trimmed.length() > MAX_LENGTH || !MEDIA_TYPE.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("invalid content type: expected type/subtype such as application/pdf,"
                    + " with optional parameters, at most " + MAX_LENGTH + " characters");
        }
        return trimmed;
    }

    /**
     * Whether a browser may run script in a document of this type (HTML, SVG, any XML): such
     * files are served as sandboxed downloads, never rendered as part of the site.
     */
    static boolean isActive(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return type.equals("text/html") || type.endsWith("/xml") || type.endsWith("+xml");
    }
}
