package dev.spor.tag;

import dev.spor.config.ConfigSnapshot;
import dev.spor.config.LiveConfig;
import dev.spor.config.SiteConfig;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Serves each site's script at its script path under every host alias of the site, with the
 * site's configuration injected, the consent banner at {@code <endpoint>/b.js}, the collection
 * chunk at {@code <endpoint>/c.js} and the forms chunk at {@code <endpoint>/f.js}: {@code ETag}
 * and conditional GET, a long immutable cache for the versioned URL ({@code ?v=}), a short one
 * otherwise, and precompressed gzip. Requests for other paths pass on. Thread-safe.
 */
public final class TagFilter extends HttpFilter {
    private static final String SHORT_CACHE = "public, max-age=300";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final transient LiveConfig config;
    private final transient ScriptAssets assets;
    private final transient RenderedScript banner;
    private final transient RenderedScript collect;
    private final transient RenderedScript forms;
    private transient volatile Rendered rendered;

    public TagFilter(LiveConfig config, ScriptAssets assets) {
        this.config = config;
        this.assets = assets;
        this.banner = RenderedScript.of(assets.banner());
        this.collect = RenderedScript.of(assets.collect());
        this.forms = RenderedScript.of(assets.forms());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        ConfigSnapshot snapshot = config.get();
        Optional<ConfigSnapshot.AliasMatch> match = snapshot.resolve(request.getHeader("Host"), path);
        boolean script = match.isPresent() && match.get().path().equals(match.get().site().scriptPath());
        String chunk = match.isEmpty() ? "" : match.get().path();
        String endpoint = match.isEmpty() ? null : match.get().site().endpointPath();
        RenderedScript fixed = endpoint == null ? null : servedAsBuilt(endpoint, chunk);
        if (!script && fixed == null) {
            chain.doFilter(request, response);
            return;
        }
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setHeader("Allow", "GET, HEAD");
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        serve(script ? scriptFor(snapshot, match.get().site()) : fixed, request, response);
    }

    /** The bundle served as built at {@code path} below the site's endpoint, or null for any other path. */
    private RenderedScript servedAsBuilt(String endpoint, String path) {
        if (!path.startsWith(endpoint)) {
            return null;
        }
        return switch (path.substring(endpoint.length())) {
            case "/b.js" -> banner;
            case "/c.js" -> collect;
            case "/f.js" -> forms;
            default -> null;
        };
    }

    private static void serve(RenderedScript script, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        boolean gzip = acceptsGzip(request.getHeader("Accept-Encoding"));
        String etag = script.etag(gzip);
        response.setHeader("ETag", etag);
        response.setHeader("Vary", "Accept-Encoding");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", script.version().equals(request.getParameter("v")) ? IMMUTABLE : SHORT_CACHE);
        if (matches(request.getHeader("If-None-Match"), etag)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        byte[] body = gzip ? script.gzip() : script.plain();
        response.setContentType("text/javascript; charset=utf-8");
        if (gzip) {
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentLength(body.length);
        if (!request.getMethod().equals("HEAD")) {
            response.getOutputStream().write(body);
        }
    }

    private RenderedScript scriptFor(ConfigSnapshot snapshot, SiteConfig site) {
        Rendered current = rendered;
        if (current == null || current.snapshot != snapshot) {
            current = new Rendered(snapshot, assets);
            rendered = current;
        }
        return current.scripts.get(site.key());
    }

    /** Whether an {@code Accept-Encoding} header names gzip without refusing it ({@code q=0}). */
    public static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] params = part.trim().split(";");
            if (params[0].trim().equalsIgnoreCase("gzip")) {
                return params.length < 2 || !params[1].replace(" ", "").matches("q=0(\\.0*)?");
            }
        }
        return false;
    }

    /** Whether an {@code If-None-Match} header names the entity tag (or {@code *}), strong or weak. */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    /** Every site's script for one snapshot; replaced whole when the configuration changes. */
    private static final class Rendered {
        final ConfigSnapshot snapshot;
        final Map<String, RenderedScript> scripts = new HashMap<>();

        Rendered(ConfigSnapshot snapshot, ScriptAssets assets) {
            this.snapshot = snapshot;
            for (SiteConfig site : snapshot.sites()) {
                scripts.put(site.key(), RenderedScript.render(assets, site));
            }
        }
    }
}
