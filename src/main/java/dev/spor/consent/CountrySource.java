package dev.spor.consent;

import dev.spor.config.CountryConfig;
import dev.spor.config.LiveConfig;
import dev.spor.country.CountryResolver;
import dev.spor.country.Location;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The country resolver for the configuration in force: rebuilt when a reload changes the
 * country settings (the old one is closed). Thread-safe.
 */
final class CountrySource implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CountrySource.class.getName());

    private final LiveConfig config;
    private final AtomicReference<Held> held = new AtomicReference<>();

    private record Held(CountryConfig config, CountryResolver resolver) {
    }

    CountrySource(LiveConfig config) throws IOException {
        this.config = config;
        CountryConfig initial = config.get().config().country();
        held.set(new Held(initial, CountryResolver.create(initial)));
    }

    private CountryResolver current() {
        CountryConfig wanted = config.get().config().country();
        Held now = held.get();
        if (now.config().equals(wanted)) {
            return now.resolver();
        }
        try {
            Held next = new Held(wanted, CountryResolver.create(wanted));
            if (held.compareAndSet(now, next)) {
                now.resolver().close();
                return next.resolver();
            }
            next.resolver().close();
            return held.get().resolver();
        } catch (IOException e) {
            LOG.warning(() -> "the new country settings cannot be used, keeping the previous ones: " + e.getMessage());
            return now.resolver();
        }
    }

    Location resolve(HttpServletRequest request) {
        return current().resolve(request.getRemoteAddr(),
                name -> name.equalsIgnoreCase("X-Forwarded-For") ? forwardedFor(request) : request.getHeader(name));
    }

    String clientAddress(HttpServletRequest request) {
        return current().clientAddress(request.getRemoteAddr(), forwardedFor(request));
    }

    /**
     * Whether the request came over HTTPS: directly, or to a trusted proxy in front of Spor that
     * says so in {@code X-Forwarded-Proto} (from anyone else that header is ignored).
     */
    boolean isHttps(HttpServletRequest request) {
        if (request.isSecure()) {
            return true;
        }
        if (!"https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"))) {
            return false; // the usual case, decided without parsing a proxy's range
        }
        String peer = request.getRemoteAddr();
        return config.get().config().country().trustedProxies().stream()
                .anyMatch(range -> dev.spor.config.IpRange.parse(range).contains(peer));
    }

    /**
     * Every {@code X-Forwarded-For} line joined in order: some proxies add a line rather than
     * append to the client's, and the first line alone is the client's own, forgeable claim.
     */
    private static String forwardedFor(HttpServletRequest request) {
        if (request.getHeader("X-Forwarded-For") == null) {
            return null; // the usual case without a proxy, decided without listing the lines
        }
        java.util.List<String> lines = java.util.Collections.list(request.getHeaders("X-Forwarded-For"));
        return lines.isEmpty() ? null : String.join(", ", lines);
    }

    @Override
    public void close() {
        held.get().resolver().close();
    }
}
