package dev.spor.files;

import java.util.Locale;

/**
 * What a {@code Range} header asks of a file of a known size (RFC 9110 §14). Only one byte
 * range is served as such; several ranges, other units and malformed headers are answered with
 * the whole file, as the RFC allows.
 */
sealed interface RangeRequest {
    /** The whole file (200). */
    record Whole() implements RangeRequest {
    }

    /** Bytes {@code first} to {@code last} inclusive (206). */
    record Part(long first, long last) implements RangeRequest {
        long length() {
            return last - first + 1;
        }
    }

    /** No byte of the range is in the file (416). */
    record Unsatisfiable() implements RangeRequest {
    }

    static RangeRequest parse(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        String value = header.trim();
        int equals = value.indexOf('=');
        if (equals < 0 || !value.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
            return new Whole();
        }
        String spec = value.substring(equals + 1).trim();
        int dash = spec.indexOf('-');
        if (spec.indexOf(',') >= 0 || dash < 0) {
            return new Whole();
        }
        String from = spec.substring(0, dash).trim();
        String to = spec.substring(dash + 1).trim();
        if (from.isEmpty()) {
            return suffix(to, size);
        }
        long first = number(from);
        long last = to.isEmpty() ? Long.MAX_VALUE : number(to);
        if (first < 0 || last < 0 || last < first) {
            return new Whole();
        }
        return first >= size ? new Unsatisfiable() : new Part(first, Math.min(last, size - 1));
    }

    /** {@code bytes=-n}: the last n bytes. */
    private static RangeRequest suffix(String digits, long size) {
        long length = number(digits);
        if (length < 0) {
            return new Whole();
        }
        return length == 0 || size == 0 ? new Unsatisfiable() : new Part(Math.max(0, size - length), size - 1);
    }

    /** The decimal number, {@link Long#MAX_VALUE} when larger, -1 when not digits only. */
    private static long number(String digits) {
        if (digits.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
