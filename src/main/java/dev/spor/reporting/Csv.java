package dev.spor.reporting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * CSV as RFC 4180 has it (CRLF line ends; a cell with a comma, quote or line break quoted, its
 * quotes doubled), safe to open in a spreadsheet: a cell that starts with {@code = + - @} (or a
 * tab or carriage return) gets a leading {@code '}, so it is never run as a formula.
 */
final class Csv {
    private Csv() {
    }

    /** Writes one line; a null cell is empty. I/O failures come out unchecked (the caller unwraps them). */
    static void line(Writer out, List<String> cells) {
        try {
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(cell(cells.get(i)));
            }
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One cell as written. */
    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String safe = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.indexOf(',') < 0 && safe.indexOf('"') < 0 && safe.indexOf('\n') < 0 && safe.indexOf('\r') < 0) {
            return safe;
        }
        return '"' + safe.replace("\"", "\"\"") + '"';
    }
}
