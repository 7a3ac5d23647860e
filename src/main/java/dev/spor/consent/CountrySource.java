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
        return current().resolve(request.getRemoteAddr(), request::getHeader);
    }

    String clientAddress(HttpServletRequest request) {
        return current().clientAddress(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
    }

    @Override
    public void close() {
        held.get().resolver().close();
    }
}
