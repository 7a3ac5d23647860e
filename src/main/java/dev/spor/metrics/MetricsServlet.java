package dev.spor.metrics;

import dev.spor.admin.ApiKeys;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the figures in the Prometheus text format, for a bearer API key that may
 * see every site (the figures are the whole server's). No key or an unknown one: 401; a key
 * scoped to some sites: 403. Configure Prometheus with {@code authorization: {credentials: <key>}}.
 * Thread-safe.
 */
final class MetricsServlet extends HttpServlet {
    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    /** Every figure in the Prometheus text format. */
    private final transient Supplier<String> scrape;
    private final transient ApiKeys keys;

    MetricsServlet(Supplier<String> scrape, ApiKeys keys) {
        this.scrape = scrape;
        this.keys = keys;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        Optional<ApiKeys.Key> key = bearer(request).flatMap(keys::authenticate);
        if (key.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer");
            send(response, HttpServletResponse.SC_UNAUTHORIZED, "application/json", "{\"error\":\"a valid API key is required\"}");
            return;
        }
        if (!key.get().global()) {
            send(response, HttpServletResponse.SC_FORBIDDEN, "application/json",
                    "{\"error\":\"metrics cover every site; use a key that is not scoped to sites\"}");
            return;
        }
        send(response, HttpServletResponse.SC_OK, TEXT_FORMAT, scrape.get());
    }

    private static void send(HttpServletResponse response, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(type);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static Optional<String> bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).trim());
    }
}
