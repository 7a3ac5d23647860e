package dev.spor.config;

import java.util.regex.Pattern;

/**
 * A URL path pattern of a policy match: literal segments, {@code *} for one segment (or part
 * of one), {@code **} for any number of segments. {@code /blog/**} matches {@code /blog} and
 * everything below it. Immutable and thread-safe.
 */
public final class PathPattern {
    private static final Pattern ALLOWED = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*");

    private final String text;
    private final Pattern regex;

    private PathPattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /**
     * Compiles a pattern.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static PathPattern compile(String text) {
        if (text == null || !text.startsWith("/")) {
            throw new IllegalArgumentException("must start with \"/\"");
        }
        if (!ALLOWED.matcher(text).matches()) {
            throw new IllegalArgumentException("may contain only URL path characters");
        }
        StringBuilder regex = new StringBuilder();
        String[] segments = text.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.equals("**")) {
                if (i != segments.length - 1) {
                    throw new IllegalArgumentException("\"**\" is allowed only as the last segment");
                }
                regex.append("(/.*)?");
            } else if (segment.contains("**")) {
                throw new IllegalArgumentException("\"**\" must be a whole segment");
            } else {
                regex.append('/');
                for (String part : segment.split("\\*", -1)) {
                    regex.append(Pattern.quote(part)).append("[^/]*");
                }
                regex.setLength(regex.length() - "[^/]*".length());
            }
        }
        return new PathPattern(text, Pattern.compile(regex.toString()));
    }

    public boolean matches(String path) {
        return regex.matcher(path).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
