package dev.spor.admin;

import dev.spor.config.LiveConfig;
import dev.spor.storage.StorageException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The site owner's HTTP API at {@code /api/v1/*}: every call needs {@code Authorization: Bearer
 * <key>} (401 otherwise, revealing nothing), is answered by the first feature whose
 * {@link ApiEndpoints} recognises it, and gets a JSON error body (never a stack trace) when it
 * cannot be served. Answers are never cached and carry strict security headers. Thread-safe.
 */
public final class ApiServlet extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(ApiServlet.class.getName());

    private final transient LiveConfig config;
    private final transient ApiKeys keys;
    private final transient List<ApiEndpoints> features;

    public ApiServlet(LiveConfig config, ApiKeys keys, List<ApiEndpoints> features) {
        this.config = config;
        this.keys = keys;
        this.features = List.copyOf(features);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        response.setHeader("Referrer-Policy", "no-referrer");
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        try {
            Optional<ApiKeys.Key> key = bearer(request).flatMap(keys::authenticate);
            if (key.isEmpty()) {
                response.setHeader("WWW-Authenticate", "Bearer");
                ApiJson.error(response, HttpServletResponse.SC_UNAUTHORIZED, "a valid API key is required");
                return;
            }
            ApiRequest call = new ApiRequest(request, path, key.get(), config.get());
            for (ApiEndpoints feature : features) {
                if (feature.handle(call, response)) {
                    return;
                }
            }
            ApiJson.error(response, HttpServletResponse.SC_NOT_FOUND, "no such endpoint");
        } catch (ApiException e) {
            if (e.status() == HttpServletResponse.SC_METHOD_NOT_ALLOWED) {
                response.setHeader("Allow", e.getMessage().substring(e.getMessage().indexOf("use ") + 4));
            }
            ApiJson.error(response, e.status(), e.getMessage());
        } catch (StorageException e) {
            LOG.warning(() -> "API " + request.getMethod() + " " + path + ": " + e.getMessage());
            response.setHeader("Retry-After", "5");
            ApiJson.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "storage unavailable, try again");
        } catch (RuntimeException e) {
            LOG.severe(() -> "API " + request.getMethod() + " " + path + " failed: " + e);
            ApiJson.error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    private static Optional<String> bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).trim());
    }
}
