package dev.spor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** HTTP/1.1 written and read by hand on one socket, for what a client library hides: connection reuse, a late body. */
public final class RawHttp {
    private RawHttp() {
    }

    /** Sends a request's head, waits {@code pauseMillis}, then sends its body: the server answers before it has it. */
    public static void send(OutputStream out, String method, String path, String headers, byte[] body, long pauseMillis)
            throws Exception {
        out.write((method + " " + path + " HTTP/1.1\r\n" + headers + "Content-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(pauseMillis);
        out.write(body);
        out.flush();
    }

    /** The status of one HTTP/1.1 answer read from {@code in}, its body skipped; fails on a closed connection. */
    public static int readStatus(InputStream in) throws Exception {
        String status = readLine(in);
        assertThat(status).as("an answer on the reused connection").startsWith("HTTP/1.1 ");
        long length = 0;
        for (String line; !(line = readLine(in)).isEmpty(); ) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            }
            assertThat(line.toLowerCase(Locale.ROOT)).isNotEqualTo("connection: close");
        }
        in.skipNBytes(length);
        return Integer.parseInt(status.substring(9, 12));
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                return line.length() == 0 ? "(connection closed)" : line.toString();
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
