package dev.spor.identity;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming reader of CSV (RFC 4180): fields separated by commas, optionally in double
 * quotes (a quote inside written twice, line breaks allowed inside), records ended by CRLF or
 * LF. Holds one record at a time, so a file of any length reads in constant memory. A file that
 * breaks the format fails with {@link Malformed} naming the line. Not thread-safe.
 */
final class CsvReader {
    static final int MAX_FIELD = 10_000;
    static final int MAX_FIELDS = 200;
    private static final int END = -1;

    /** The file is not CSV: an unterminated quote, text after a closing quote, a field or record too long. */
    static final class Malformed extends Exception {
        Malformed(long line, String reason) {
            super("line " + line + ": " + reason);
        }
    }

    private final Reader in;
    private long line = 1;
    private long recordLine;
    private int pushedBack = Integer.MIN_VALUE;

    CsvReader(Reader in) {
        this.in = in;
    }

    /** The line the last record returned began on (1-based). */
    long recordLine() {
        return recordLine;
    }

    /** The next record, or null at the end of the file. A blank line is a record of one empty field. */
    List<String> next() throws IOException, Malformed {
        int c = read();
        if (c == END) {
            return null;
        }
        recordLine = line;
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            if (c == '"' && field.isEmpty()) {
                c = quoted(field);
            }
            if (c == ',' || c == '\n' || c == END || c == '\r') {
                if (record.size() == MAX_FIELDS) {
                    throw new Malformed(recordLine, "more than " + MAX_FIELDS + " fields");
                }
                record.add(field.toString());
                field.setLength(0);
                if (c == '\r') {
                    int after = read();
                    if (after != '\n') {
                        unread(after);
                    }
                    line++;
                    return record;
                }
                if (c == '\n') {
                    line++;
                    return record;
                }
                if (c == END) {
                    return record;
                }
            } else if (c == '"') {
                throw new Malformed(line, "a quote inside an unquoted field");
            } else {
                append(field, c);
            }
            c = read();
        }
    }

    /** Reads a quoted field's content up to its closing quote; returns the character after it. */
    private int quoted(StringBuilder field) throws IOException, Malformed {
        long started = line;
        while (true) {
            int c = read();
            if (c == END) {
                throw new Malformed(started, "a quoted field is never closed");
            }
            if (c == '"') {
                int after = read();
                if (after != '"') {
                    if (after != ',' && after != '\n' && after != '\r' && after != END) {
                        throw new Malformed(line, "text after the closing quote of a field");
                    }
                    return after;
                }
            } else if (c == '\n') {
                line++;
            }
            append(field, c);
        }
    }

    private void append(StringBuilder field, int c) throws Malformed {
        if (field.length() == MAX_FIELD) {
            throw new Malformed(recordLine, "a field longer than " + MAX_FIELD + " characters");
        }
        field.append((char) c);
    }

    private int read() throws IOException {
        if (pushedBack != Integer.MIN_VALUE) {
            int c = pushedBack;
            pushedBack = Integer.MIN_VALUE;
            return c;
        }
        return in.read();
    }

    private void unread(int c) {
        pushedBack = c;
    }
}
