package dev.spor.identity;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Email addresses as Spor compares them: trimmed and lower-cased, so that {@code Ann@X.org }
 * and {@code ann@x.org} are one contact. Deliberately lenient about the local part (it is the
 * mail server's business), strict about what can never be an address.
 */
public final class Emails {
    /** Longest address (RFC 5321's path limit less the brackets). */
    public static final int MAX_LENGTH = 254;
    private static final Set<String> NOT_AN_EMAIL = Set.of("", "null", "undefined");

    private Emails() {
    }

    /** The address as compared and stored, or empty when {@code raw} is not an address (see {@link #problem}). */
    public static Optional<String> normalize(String raw) {
        return problem(raw) == null ? Optional.of(raw.trim().toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /** Why {@code raw} is not an email address, or null when it is one. */
    public static String problem(String raw) {
        String email = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
        if (NOT_AN_EMAIL.contains(email)) {
            return "is empty";
        }
        if (email.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        if (!email.chars().allMatch(c -> c > ' ' && c != 0x7f && c != '<' && c != '>' && c != ',' && c != ';')) {
            return "contains a space, a control character or one of < > , ;";
        }
        int at = email.indexOf('@');
        String domain = at < 0 ? "" : email.substring(at + 1);
        if (at < 1 || domain.indexOf('@') >= 0) {
            return "must be one name, an @ and a domain";
        }
        if (domain.indexOf('.') < 1 || domain.endsWith(".") || domain.contains("..")) {
            return "has no valid domain after the @";
        }
        return null;
    }
}
