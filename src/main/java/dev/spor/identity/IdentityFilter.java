package dev.spor.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spor.config.ConfigSnapshot;
import dev.spor.config.FormConfig;
import dev.spor.config.LiveConfig;
import dev.spor.config.SiteConfig;
import dev.spor.consent.ConsentFilter;
import dev.spor.limits.RateLimiter;
import dev.spor.consent.Visit;
import dev.spor.storage.StorageException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The script's identity endpoints on each alias of a site (next to the consent ones):
 * <ul>
 *   <li>{@code POST <endpoint>/f} {@code {"eventId","form","url","title","fields"}}: a form
 *       submission, applied with the visitor's tracking cookie when the policy in force lets
 *       analytics run, else without (the contact then has no page views); 204, or 400/404 with
 *       a reason;
 *   <li>{@code POST <endpoint>/t} {@code {"eventId","token","url"}}: a landing from a
 *       marketing-email link; always 204 for a well-formed body, a bad token included (it is
 *       ignored and counted, never an error for the visitor).
 * </ul>
 * Only the site's own origins, bodies of at most {@value #MAX_BYTES} bytes, and
 * {@link RateLimiter rate limited} per client address (429). Sets no cookie. Thread-safe.
 */
final class IdentityFilter extends HttpFilter {
    static final int MAX_BYTES = 32 * 1024;
    private static final Logger LOG = Logger.getLogger(IdentityFilter.class.getName());
    private static final Set<String> FORM_FIELDS = Set.of("eventId", "form", "url", "title", "fields");
    private static final Set<String> CLICK_FIELDS = Set.of("eventId", "token", "url");

    private final transient LiveConfig config;
    private final transient ConsentFilter consent;
    private final transient Identities identities;
    private final transient RateLimiter limiter;

    IdentityFilter(LiveConfig config, ConsentFilter consent, Identities identities, RateLimiter limiter) {
        this.config = config;
        this.consent = consent;
        this.identities = identities;
        this.limiter = limiter;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        ConfigSnapshot snapshot = config.get();
        Optional<ConfigSnapshot.AliasMatch> match = snapshot.resolve(request.getHeader("Host"), path);
        String endpoint = match.map(m -> m.path().startsWith(m.site().endpointPath() + "/")
                ? m.path().substring(m.site().endpointPath().length()) : "").orElse("");
        if (!endpoint.equals("/f") && !endpoint.equals("/t")) {
            chain.doFilter(request, response);
            return;
        }
        SiteConfig site = match.get().site();
        response.setHeader("Cache-Control", "no-store");
        if (!ConsentFilter.allowOrigin(site, request, response)) {
            Answers.error(response, HttpServletResponse.SC_FORBIDDEN, "origin_not_allowed");
            return;
        }
        if (!request.getMethod().equals("POST")) {
            response.setHeader("Allow", "POST");
            Answers.error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method not allowed");
            return;
        }
        byte[] body = ConsentFilter.readBounded(request, MAX_BYTES);
        if (body == null) {
            Answers.error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "body larger than " + MAX_BYTES + " bytes");
            return;
        }
        try {
            if (endpoint.equals("/f")) {
                form(site, body, request, response);
            } else {
                click(site, body, request, response);
            }
        } catch (Identities.Invalid e) {
            Answers.error(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        } catch (StorageException e) {
            LOG.warning(() -> "site " + site.key() + ": " + endpoint + " not stored: " + e.getMessage());
            response.setHeader("Retry-After", "5");
            Answers.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "storage unavailable, try again");
        }
    }

    private void form(SiteConfig site, byte[] body, HttpServletRequest request, HttpServletResponse response)
            throws IOException, Identities.Invalid {
        JsonNode json = Bodies.object(body, FORM_FIELDS);
        String eventId = Bodies.eventId(json);
        String formId = Bodies.text(json, "form", 64, true);
        Optional<Visit> visit = consent.visit(site, Bodies.text(json, "url", 2048, true), request);
        if (visit.isEmpty()) {
            throw new Identities.Invalid("url must be a page on one of the site's domains");
        }
        Optional<FormConfig> form = site.forms().stream().filter(f -> f.id().equals(formId)).findFirst();
        if (form.isEmpty()) {
            Answers.error(response, HttpServletResponse.SC_NOT_FOUND, "no form " + Answers.shorten(formId) + " on this site");
            return;
        }
        String title = Bodies.text(json, "title", 512, false);
        var fields = Bodies.fields(json);
        if (!limited(visit.get(), response)) {
            identities.submit(new Identities.FormSubmission(site, form.get(), eventId, fields, visit.get().visitorId(),
                    visit.get().url(), title, "script"));
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        }
    }

    private void click(SiteConfig site, byte[] body, HttpServletRequest request, HttpServletResponse response)
            throws IOException, Identities.Invalid {
        JsonNode json = Bodies.object(body, CLICK_FIELDS);
        String eventId = Bodies.eventId(json);
        String token = Bodies.text(json, "token", 400, true);
        Optional<Visit> visit = consent.visit(site, Bodies.text(json, "url", 2048, true), request);
        if (visit.isEmpty()) {
            throw new Identities.Invalid("url must be a page on one of the site's domains");
        }
        if (!limited(visit.get(), response)) {
            identities.click(site, token, eventId, visit.get().url(), visit.get().visitorId());
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        }
    }

    /** Answers 429 and returns true when the client address has used its requests up. */
    private boolean limited(Visit visit, HttpServletResponse response) throws IOException {
        if (limiter.tryAcquire(visit.clientAddress())) {
            return false;
        }
        response.setHeader("Retry-After", Long.toString(limiter.retryAfterSeconds()));
        Answers.error(response, 429, "too many requests from this address, try again later");
        return true;
    }
}
