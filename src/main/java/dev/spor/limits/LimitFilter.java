package dev.spor.limits;

import dev.spor.config.ConfigSnapshot;
import dev.spor.config.LimitsConfig;
import dev.spor.config.LiveConfig;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Rate limits in front of the script's endpoints ({@code <endpoint>/state}, {@code /p},
 * {@code /e}, {@code /f}, {@code /t} under every alias): one bucket per client address and one
 * per site ({@link LimitsConfig}); an exhausted one answers 429 with {@code Retry-After} before
 * any work is done, so a flood from one address costs the others little. The script itself and
 * its chunks are not limited (they are cached). The buckets follow config reloads. Thread-safe.
 */
public final class LimitFilter extends HttpFilter {
    private static final byte[] LIMITED = "{\"error\":\"too many requests, try again later\"}".getBytes(StandardCharsets.UTF_8);

    /** The largest refused body that is read (and dropped) to keep its connection open. */

    private final transient LiveConfig config;
    private final transient Function<HttpServletRequest, String> clientAddress;
    private final transient Clock clock;
    private final transient AtomicReference<Buckets> buckets = new AtomicReference<>();

    private record Buckets(LimitsConfig limits, RateLimiter perAddress, RateLimiter perSite) {
    }

    /**
     * @param clientAddress the client's address of a request (trusted proxies' headers believed)
     */
    public LimitFilter(LiveConfig config, Function<HttpServletRequest, String> clientAddress, Clock clock) {
        this.config = config;
        this.clientAddress = clientAddress;
        this.clock = clock;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ConfigSnapshot snapshot = config.get();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Optional<ConfigSnapshot.AliasMatch> match = snapshot.resolve(request.getHeader("Host"), path);
        if (match.isEmpty() || !isEndpoint(match.get().path(), match.get().site().endpointPath())) {
            chain.doFilter(request, response);
            return;
        }
        Buckets current = buckets(snapshot.config().limits());
        if (!current.perAddress().tryAcquire(clientAddress.apply(request))
                || !current.perSite().tryAcquire(match.get().site().key())) {
            response.setStatus(429);
            response.setHeader("Retry-After", Long.toString(current.perAddress().retryAfterSeconds()));
            response.setHeader("Cache-Control", "no-store");
            response.setContentType("application/json");
            response.setContentLength(LIMITED.length);
            response.getOutputStream().write(LIMITED);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isEndpoint(String path, String endpoint) {
        if (!path.startsWith(endpoint + "/")) {
            return false;
        }
        String below = path.substring(endpoint.length());
        return below.equals("/state") || below.equals("/p") || below.equals("/e") || below.equals("/f") || below.equals("/t");
    }

    private Buckets buckets(LimitsConfig limits) {
        Buckets current = buckets.get();
        if (current == null || !current.limits().equals(limits)) {
            Buckets fresh = new Buckets(limits, RateLimiter.perSecond(limits.perAddressPerSecond(), clock),
                    RateLimiter.perSecond(limits.perSitePerSecond(), clock));
            current = buckets.compareAndSet(current, fresh) ? fresh : buckets.get();
        }
        return current;
    }
}
