package dev.spor.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spor.config.ConfigSnapshot;
import dev.spor.config.LiveConfig;
import dev.spor.config.SiteConfig;
import dev.spor.country.Location;
import dev.spor.server.SporSettings;
import dev.spor.tracking.Acknowledgement;
import dev.spor.tracking.Beacon;
import dev.spor.tracking.Collected;
import dev.spor.tracking.EventBeacon;
import dev.spor.tracking.PageView;
import dev.spor.tracking.PageViewWriter;
import dev.spor.tracking.Receipt;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The only code that sets or deletes Spor's cookies. On each site alias it answers the
 * script's consent endpoints and guards page-view collection:
 * <ul>
 *   <li>{@code GET <endpoint>/state?url=&lang=}: the policy in force for that page (texts in
 *       the chosen language) and what this browser decided;
 *   <li>{@code POST <endpoint>/state}: a decision; sets the consent cookie (strictly
 *       necessary), sets the tracking cookie only when analytics may run, deletes it on reject
 *       and revoke, logs the decision, and stores the accepting page as the first page view;
 *   <li>{@code POST <endpoint>/p}: a page view ({@link Beacon}), and {@code POST <endpoint>/e}:
 *       an event or a download ({@link EventBeacon}), each stored only when the policy in force
 *       for that page lets analytics run for this browser. Collection never sets cookies; the
 *       answer comes when the beacon is committed ({@link Acknowledgement}).
 * </ul>
 * Requests from other origins than the site's domains are refused.
 *
 * <p>Wrapped around a site's own pages (a site with {@code serverSidePageViews}), it also
 * stores a page view for every HTML page served to a browser whose consent lets analytics run
 * there, with no script at all. A site owner's own Java web app can declare it in its
 * {@code web.xml} with the no-argument constructor; it then reads {@code spor.config},
 * {@code spor.data}, {@code spor.db-url} ... from its init parameters, system properties or
 * {@code SPOR_*} environment variables, like the WAR. Thread-safe.
 */
public final class ConsentFilter extends HttpFilter {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(ConsentFilter.class.getName());
    private static final int MAX_DECISION_BYTES = 8 * 1024;
    /** Most bytes of a refused body read and dropped, so the client is not reset before it reads the answer. */
    private static final long DRAIN_LIMIT = 1024 * 1024;

    private transient LiveConfig config;
    private transient ConsentService service;
    private transient CountrySource countries;
    private transient PageViewWriter writer;
    /** Set when this filter runs in a site owner's web app and owns its resources. */
    private transient Consent.Standalone standalone;

    ConsentFilter(LiveConfig config, ConsentService service, CountrySource countries, PageViewWriter writer) {
        this.config = config;
        this.service = service;
        this.countries = countries;
        this.writer = writer;
    }

    /** For a site owner's {@code web.xml}: everything is built in {@link #init()}. */
    public ConsentFilter() {
    }

    @Override
    public void init() throws ServletException {
        if (service != null) {
            return;
        }
        try {
            standalone = Consent.standalone(SporSettings.inContainer(this::getInitParameter));
        } catch (Exception e) {
            throw new ServletException("Spor's consent filter cannot start: " + e.getMessage(), e);
        }
        ConsentFilter built = standalone.consent().filter();
        config = built.config;
        service = built.service;
        countries = built.countries;
        writer = built.writer;
    }

    @Override
    public void destroy() {
        if (standalone != null) {
            standalone.close();
        }
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        ConfigSnapshot snapshot = config.get();
        Optional<ConfigSnapshot.AliasMatch> match = snapshot.resolve(request.getHeader("Host"), path);
        if (match.isEmpty() || !match.get().path().startsWith(match.get().site().endpointPath() + "/")) {
            chain.doFilter(request, response);
            Optional<SiteConfig> own = snapshot.siteOfDomain(request.getHeader("Host"));
            if (own.isPresent() && own.get().serverSidePageViews()) {
                serverSidePageView(own.get(), request, response);
            }
            return;
        }
        SiteConfig site = match.get().site();
        String endpoint = match.get().path().substring(site.endpointPath().length());
        if (!endpoint.equals("/state") && !endpoint.equals("/p") && !endpoint.equals("/e")) {
            chain.doFilter(request, response);
            return;
        }
        if (!allowOrigin(site, request, response)) {
            error(response, HttpServletResponse.SC_FORBIDDEN, "origin_not_allowed");
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        switch (request.getMethod()) {
            case "OPTIONS" -> preflight(request, response);
            case "GET" -> {
                if (endpoint.equals("/state")) {
                    state(snapshot, site, request, response);
                } else {
                    notAllowed(response, "POST");
                }
            }
            case "POST" -> {
                if (endpoint.equals("/state")) {
                    decide(snapshot, site, request, response);
                } else {
                    collect(site, endpoint, request, response);
                }
            }
            default -> {
                notAllowed(response, endpoint.equals("/state") ? "GET, POST" : "POST");
            }
        }
    }

    private void state(ConfigSnapshot snapshot, SiteConfig site, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Optional<PageContext> page = PageContext.of(site, RequestParts.parameter(request.getQueryString(), "url"));
        if (page.isEmpty()) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "url must be a page on one of the site's domains");
            return;
        }
        ConsentService.Request context = context(site, page.get(), request, true);
        ConsentService.PolicyAnswer policy = policyAnswer(snapshot, site, context,
                RequestParts.parameter(request.getQueryString(), "lang"), request);
        ConsentService.Outcome outcome = service.state(context, policy.language());
        apply(site, request, response, outcome);
        send(response, service.answer(policy, outcome.evaluation()));
    }

    private void decide(ConfigSnapshot snapshot, SiteConfig site, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        byte[] body = readBounded(request, MAX_DECISION_BYTES);
        if (body == null) {
            error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "body larger than " + MAX_DECISION_BYTES + " bytes");
            return;
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (IOException e) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "body is not JSON");
            return;
        }
        Optional<Action> action = json == null ? Optional.empty() : Action.fromWire(json.path("action").asText(""));
        if (action.isEmpty() || action.get() == Action.GPC) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "action must be accept-all, reject-all, custom or revoke");
            return;
        }
        String source = json.path("source").asText("banner");
        if (!ConsentCookie.SOURCES.contains(source) || source.equals("gpc")) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "source must be banner, settings or api");
            return;
        }
        List<String> chosen = new ArrayList<>();
        json.path("categories").forEach(c -> chosen.add(c.asText()));
        Optional<PageContext> page = PageContext.of(site, json.path("url").asText(null));
        if (page.isEmpty() || chosen.size() > 10) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "url must be a page on one of the site's domains");
            return;
        }
        ConsentService.Request context = context(site, page.get(), request, true);
        Optional<PageView> accepting = acceptingPage(site, page.get(), json, context);
        ConsentService.PolicyAnswer policy = policyAnswer(snapshot, site, context, json.path("lang").asText(null), request);
        ConsentService.Outcome outcome = service.decide(context, action.get(), chosen, source, policy.language(), accepting);
        apply(site, request, response, outcome);
        send(response, service.answer(policy, outcome.evaluation()));
    }

    /** The policy in force for the request's page, in the language chosen for it (see {@link ConsentService#policyAnswer}). */
    private ConsentService.PolicyAnswer policyAnswer(ConfigSnapshot snapshot, SiteConfig site, ConsentService.Request context,
            String pageLang, HttpServletRequest request) {
        return service.policyAnswer(snapshot, site, PolicyMatcher.policyFor(site, context.page().host(),
                context.page().path(), context.location()), pageLang, request.getHeader("Accept-Language"));
    }

    /** The page the visitor decided on, when the decision carries a valid page-view event. */
    private Optional<PageView> acceptingPage(SiteConfig site, PageContext page, JsonNode json, ConsentService.Request context) {
        try {
            Beacon beacon = Beacon.of(json, service.now());
            boolean bot = ("bot".equals(context.userAgent()) || beacon.webdriver()) && !site.countAutomation();
            return Optional.of(new PageView(site.key(), beacon.eventId(), null, page.url(), page.path(), beacon.title(),
                    beacon.referrer(), context.location().country(), service.now(), beacon.clientTime(), context.userAgent(), bot));
        } catch (Beacon.Invalid e) {
            return Optional.empty();
        }
    }

    /** A page view ({@code /p}) or an event ({@code /e}): checked here, stored by the writer, answered when committed. */
    private void collect(SiteConfig site, String endpoint, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        byte[] body = readBounded(request, Beacon.MAX_BYTES);
        if (body == null) {
            error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "body larger than " + Beacon.MAX_BYTES + " bytes");
            return;
        }
        Collected beacon;
        try {
            beacon = endpoint.equals("/p") ? Beacon.parse(body, service.now()) : EventBeacon.parse(body, service.now());
        } catch (Beacon.Invalid e) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        Optional<PageContext> page = PageContext.of(site, beacon.url());
        if (page.isEmpty()) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "url must be a page on one of the site's domains");
            return;
        }
        ConsentService.Request context = context(site, page.get(), request, false);
        Evaluation eval = evaluate(site, page.get(), context);
        if (!eval.analytics() || context.visitorId() == null) {
            error(response, HttpServletResponse.SC_FORBIDDEN, "no_consent");
            return;
        }
        Receipt receipt = new Receipt(site.key(), context.visitorId(), page.get().path(), context.location().country(),
                service.now(), context.userAgent(), site.countAutomation());
        Acknowledgement.whenCommitted(writer, beacon.rows(receipt), request, response);
    }

    /** After the site's own page was served: a page view, when this browser's consent allows it there. */
    private void serverSidePageView(SiteConfig site, HttpServletRequest request, HttpServletResponse response) {
        String type = response.getContentType();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!request.getMethod().equals("GET") || response.getStatus() != HttpServletResponse.SC_OK || type == null
                || !type.startsWith("text/html") || path.startsWith("/files/")) {
            return; // hosted files are never page views, whatever their type
        }
        String url = request.getRequestURL().toString();
        Optional<PageContext> page = PageContext.of(site, url);
        if (page.isEmpty()) {
            return;
        }
        ConsentService.Request context = context(site, page.get(), request, false);
        Evaluation eval = evaluate(site, page.get(), context);
        if (eval.analytics() && context.visitorId() != null) {
            Receipt receipt = new Receipt(site.key(), context.visitorId(), page.get().path(), context.location().country(),
                    service.now(), context.userAgent(), site.countAutomation());
            String referrer = request.getHeader("Referer");
            PageView view = new PageView(site.key(), "srv-" + service.newId(), context.visitorId(), url, page.get().path(),
                    null, referrer != null && referrer.length() <= PageContext.MAX_URL ? referrer : null,
                    receipt.country(), receipt.receivedAt(), null, receipt.uaFamily(), receipt.bot(false));
            // the page is served already: nobody waits for this one; the writer logs a failure
            writer.submit(List.of(view)).whenComplete((stored, failure) -> {
                if (failure instanceof PageViewWriter.Refused) {
                    LOG.warning(() -> "site " + site.key() + ": server-side page view not stored: " + failure.getMessage());
                }
            });
        }
    }

    /**
     * The request as the identity feature sees it, for a page {@code url} of the site: empty
     * when the URL is not one of the site's pages.
     */
    public Optional<Visit> visit(SiteConfig site, String url, HttpServletRequest request) {
        Optional<PageContext> page = PageContext.of(site, url);
        if (page.isEmpty()) {
            return Optional.empty();
        }
        ConsentService.Request context = context(site, page.get(), request, false);
        Evaluation eval = evaluate(site, page.get(), context);
        return Optional.of(new Visit(page.get().url(), page.get().path(), eval.analytics() ? context.visitorId() : null,
                context.location().country(), countries.clientAddress(request)));
    }

    /** Whether the visitor came over HTTPS: the request itself, or {@code X-Forwarded-Proto} from a trusted proxy. */
    public boolean isHttps(HttpServletRequest request) {
        return countries.isHttps(request);
    }

    /** The client's address: from {@code X-Forwarded-For} only when the peer is a trusted proxy. Never stored. */
    public String clientAddress(HttpServletRequest request) {
        return countries.clientAddress(request);
    }

    /** This browser's consent under the policy in force for the page. */
    private Evaluation evaluate(SiteConfig site, PageContext page, ConsentService.Request context) {
        return ConsentRules.evaluate(PolicyMatcher.policyFor(site, page.host(), page.path(), context.location()),
                context.record(), context.gpc(), context.visitorId() != null, service.now());
    }

    /**
     * @param logs whether this request may append to the consent log, and so needs the hash of
     *     the client address (collection does not, and hashed every beacon's address for nothing)
     */
    private ConsentService.Request context(SiteConfig site, PageContext page, HttpServletRequest request, boolean logs) {
        Location location = countries.resolve(request);
        String consentValue = cookie(request, consentCookieName(site));
        ConsentRecord record = service.cookies().decode(site.key(), consentValue).orElse(null);
        String visitor = cookie(request, trackingCookieName(site));
        if (visitor != null && !isVisitorId(visitor)) {
            visitor = null;
        }
        boolean gpc = "1".equals(request.getHeader("Sec-GPC"));
        // hashed only when a log entry is written: most answers to GET state append none
        Supplier<String> ipHash = logs ? () -> service.hashIp(countries.clientAddress(request)) : () -> null;
        return new ConsentService.Request(site, page, location, record, visitor, gpc, ipHash,
                UserAgents.family(request.getHeader("User-Agent")));
    }

    /** Whether {@code value} is a tracking id as Spor makes them: 22 characters of {@code [A-Za-z0-9_-]}. */
    static boolean isVisitorId(String value) {
        if (value.length() != 22) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Writes the outcome's cookies: here and only here does Spor set or delete cookies. */
    private void apply(SiteConfig site, HttpServletRequest request, HttpServletResponse response,
            ConsentService.Outcome outcome) {
        if (outcome.record() != null) {
            Cookie consent = cookie(site, request, consentCookieName(site), service.cookies().encode(site.key(), outcome.record()));
            consent.setMaxAge((int) Duration.ofDays(maxLifetimeDays(site)).toSeconds());
            response.addCookie(consent);
        }
        if (outcome.newVisitorId() != null) {
            Cookie tracking = cookie(site, request, trackingCookieName(site), outcome.newVisitorId());
            tracking.setMaxAge((int) Duration.ofDays(site.trackingCookieDays()).toSeconds());
            response.addCookie(tracking);
        } else if (outcome.deleteVisitor()) {
            Cookie gone = cookie(site, request, trackingCookieName(site), "");
            gone.setMaxAge(0);
            response.addCookie(gone);
        }
    }

    private static int maxLifetimeDays(SiteConfig site) {
        return site.policies().stream().mapToInt(p -> Math.max(p.acceptDays(), p.rejectDays())).max().orElse(182);
    }

    private Cookie cookie(SiteConfig site, HttpServletRequest request, String name, String value) {
        Cookie cookie = new Cookie(name, value);
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setSecure(countries.isHttps(request));
        cookie.setAttribute("SameSite", "Lax");
        if (site.cookieDomain().contains(".")) {
            // a single-label domain such as localhost takes a host-only cookie: browsers refuse Domain=localhost
            cookie.setDomain(site.cookieDomain());
        }
        return cookie;
    }

    /** The consent-state cookie of a site (strictly necessary). */
    public static String consentCookieName(SiteConfig site) {
        return "spor_c_" + site.key();
    }

    /** The tracking cookie of a site (category analytics). */
    public static String trackingCookieName(SiteConfig site) {
        return "spor_id_" + site.key();
    }

    private static String cookie(HttpServletRequest request, String name) {
        Enumeration<String> headers = request.getHeaders("Cookie");
        while (headers != null && headers.hasMoreElements()) {
            String value = RequestParts.cookie(headers.nextElement(), name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /**
     * Checks the Origin of a cross-origin request against the site's own domains and, when it
     * is one of them, allows it with credentials. A request without Origin is same-origin.
     */
    public static boolean allowOrigin(SiteConfig site, HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader("Origin");
        response.addHeader("Vary", "Origin");
        if (origin == null) {
            return true;
        }
        if (!RequestParts.isOriginOf(origin, site.domains())) {
            return false;
        }
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.setHeader("Access-Control-Allow-Credentials", "true");
        return true;
    }

    /**
     * The script's own requests need no preflight; one comes only when something between the
     * page and Spor adds headers. Requested header names are allowed (Spor reads none that a
     * page could abuse: forwarding headers count only from trusted proxies).
     */
    private static void preflight(HttpServletRequest request, HttpServletResponse response) {
        String requested = request.getHeader("Access-Control-Request-Headers");
        response.setHeader("Access-Control-Allow-Methods", "GET, POST");
        response.setHeader("Access-Control-Allow-Headers",
                requested != null && requested.matches("[A-Za-z0-9, -]{1,300}") ? requested : "Content-Type");
        response.setHeader("Access-Control-Max-Age", "600");
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    private static void notAllowed(HttpServletResponse response, String allow) throws IOException {
        response.setHeader("Allow", allow);
        error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method not allowed");
    }

    /** The body, or null when it is larger than {@code max} bytes (the rest is drained, see {@link #drain}). */
    public static byte[] readBounded(HttpServletRequest request, int max) throws IOException {
        try (InputStream in = request.getInputStream()) {
            long declared = request.getContentLengthLong();
            if (declared > max) {
                drain(in);
                return null;
            }
            if (declared >= 0) {
                // exactly what was declared: readNBytes(max + 1) took an 8 KB buffer for every
                // beacon, the request threads' largest allocation in the bench's profile
                return in.readNBytes((int) declared);
            }
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                drain(in);
                return null;
            }
            return body;
        }
    }

    /**
     * Reads and drops what is left of a refused body, up to {@link #DRAIN_LIMIT}: a server that
     * closes while the client still sends makes its TCP stack reset the connection, and the
     * client may lose the answer (a 413) with it. A longer body is left unread.
     */
    public static void drain(InputStream in) throws IOException {
        byte[] sink = new byte[8192];
        long left = DRAIN_LIMIT;
        for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
            left -= n;
        }
    }

    private static void send(HttpServletResponse response, ObjectNode json) throws IOException {
        send(response, MAPPER.writeValueAsBytes(json));
    }

    private static void send(HttpServletResponse response, byte[] body) throws IOException {
        response.setContentType("application/json;charset=utf-8"); // one call: Jetty knows this type and parses nothing
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static void error(HttpServletResponse response, int status, String reason) throws IOException {
        response.setStatus(status);
        send(response, MAPPER.createObjectNode().put("error", reason));
    }
}
