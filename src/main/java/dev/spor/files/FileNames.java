package dev.spor.files;

/**
 * The rule for hosted file names: 1 to 200 characters of {@code A-Z a-z 0-9 . _ -}, not
 * starting with a dot and without {@code ..}. Such a name is safe in a URL path, a file system
 * and a {@code Content-Disposition} header as it is.
 */
final class FileNames {
    static final int MAX_LENGTH = 200;

    private FileNames() {
    }

    static boolean isValid(String name) {
        return problem(name) == null;
    }

    /** @throws IllegalArgumentException naming what is wrong with the name */
    static String check(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("invalid file name: " + problem);
        }
        return name;
    }

    private static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "it is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "it has " + name.length() + " characters, at most " + MAX_LENGTH + " are allowed";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!allowed(c)) {
                return "character " + describe(c) + " at position " + (i + 1)
                        + " is not allowed (use A-Z, a-z, 0-9, '.', '_' and '-')";
            }
        }
        if (name.charAt(0) == '.') {
            return "\"" + name + "\" starts with a dot";
        }
        if (name.contains("..")) {
            return "\"" + name + "\" contains \"..\"";
        }
        return null;
    }

    private static boolean allowed(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-';
    }

    private static String describe(char c) {
        return c > ' ' && c < 127 ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
