package dev.spor.server;

import dev.spor.consent.ConsentFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Outermost filter: an unexpected failure becomes a JSON 500 with an error id, logged with the
 * request's method and path (never its query, cookies or address), so no client ever sees a
 * stack trace in any container; a query that is not percent-encoded UTF-8 is a 400; and every
 * answer to a request that came over HTTPS carries {@code Strict-Transport-Security}. What is
 * left unread of a request's body (a refusal's, whichever filter or servlet refused, or one sent
 * with a GET) is read here once the answer is written (see {@link #dropUnreadBody}).
 */
final class SafetyFilter extends HttpFilter {
    private static final Logger LOG = Logger.getLogger(SafetyFilter.class.getName());
    /** A year of HTTPS only, once a browser has reached Spor over HTTPS. */
    static final String HSTS = "max-age=31536000";
    /** Largest declared body a refusal reads and drops; a larger one closes the connection. */
    static final int DISCARD_BYTES = 64 * 1024;

    private final transient java.util.function.Predicate<HttpServletRequest> https;

    /** @param https whether a request came over HTTPS (trusted proxies' {@code X-Forwarded-Proto} believed) */
    SafetyFilter(java.util.function.Predicate<HttpServletRequest> https) {
        this.https = https;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (https.test(request)) {
            response.setHeader("Strict-Transport-Security", HSTS);
        }
        if (!isValidQuery(request.getQueryString())) {
            // the container would fail on the first getParameter with its own exception
            dropUnreadBody(request, response);
            JsonResponses.send(response, HttpServletResponse.SC_BAD_REQUEST,
                    "{\"error\":\"the query string is not valid: percent-encoded UTF-8 expected\"}");
            return;
        }
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            LOG.log(Level.SEVERE, "request failed [error " + id + "] " + request.getMethod() + " " + request.getRequestURI(), e);
            if (!response.isCommitted()) {
                response.reset();
                JsonResponses.send(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
                        "{\"error\":\"internal_error\",\"errorId\":\"" + id + "\"}");
            }
        }
        if (!request.isAsyncStarted() && (response.getStatus() >= 400 || hasBody(request))) {
            dropUnreadBody(request, response);
        }
    }

    /**
     * Whether the request declared a body. An answer that never read one (a GET with a body, as
     * some API clients send) may be on its way before the request ends, too late to say the
     * connection closes: the container would then close it anyway, under a client about to
     * reuse it. So what is left of any body is read once the answer is written.
     */
    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /**
     * Reads and drops what is left of a request's body (nothing, when it was read), so the
     * connection stays usable: a server that answers without reading closes the
     * connection after the answer, and a client already reusing it loses its next request. A
     * body declared larger than {@link #DISCARD_BYTES} is not read; the answer then says the
     * connection closes. Never throws: a client gone, or a body read as text, leaves nothing to do.
     */
    private static void dropUnreadBody(HttpServletRequest request, HttpServletResponse response) {
        if (request.getContentLengthLong() > DISCARD_BYTES) {
            response.setHeader("Connection", "close");
            return;
        }
        try {
            ConsentFilter.drain(request.getInputStream());
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "dropping a refused body failed", e);
        }
    }

    /** Whether every percent escape of the query is two hex digits and the bytes they make are UTF-8. */
    static boolean isValidQuery(String query) {
        if (query == null || query.indexOf('%') < 0) {
            return true;
        }
        byte[] bytes = new byte[query.length()];
        int length = 0;
        boolean ascii = true; // every escaped byte below 0x80: valid UTF-8 as it is, nothing to decode
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '%') {
                int high = i + 2 < query.length() ? Character.digit(query.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(query.charAt(i + 2), 16);
                if (low < 0) {
                    return false;
                }
                ascii &= high < 8;
                bytes[length++] = (byte) (high * 16 + low);
                i += 2;
            } else {
                bytes[length++] = (byte) (c < 0x80 ? c : '?');
            }
        }
        if (ascii) {
            return true;
        }
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes, 0, length));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }
}
