package dev.spor.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A browser as the script's endpoints see it, over real HTTP: it keeps the cookies the server
 * sets and sends them back, comes from the site's origin, and (behind a trusted proxy) from an
 * address of its own. Not thread-safe: one visitor per thread.
 */
public final class HttpVisitor {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final CookieJar cookies;
    private final int port;
    private final String alias;
    private final String origin;
    private final String endpoint;
    private String forwardedFor;
    private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();

    /**
     * @param port the server's port
     * @param alias the Host of the script's alias, such as {@code t.example.org}
     * @param origin the site's origin, such as {@code https://www.example.org}
     * @param endpoint the site's endpoint path, such as {@code /s/shop}
     */
    public HttpVisitor(int port, String alias, String origin, String endpoint) {
        this(new CookieJar(), port, alias, origin, endpoint);
    }

    private HttpVisitor(CookieJar cookies, int port, String alias, String origin, String endpoint) {
        this.cookies = cookies;
        this.port = port;
        this.alias = alias;
        this.origin = origin;
        this.endpoint = endpoint;
    }

    /**
     * The same browser talking to another server (another node behind the same load balancer):
     * it shares this visitor's cookies, both ways.
     */
    public HttpVisitor onPort(int otherPort) {
        return new HttpVisitor(cookies, otherPort, alias, origin, endpoint).from(forwardedFor);
    }

    /** Sends {@code X-Forwarded-For} (counts when the server trusts loopback as a proxy). */
    public HttpVisitor from(String address) {
        this.forwardedFor = address;
        return this;
    }

    /** Sends this header with every request, in place of any default (such as {@code User-Agent}). */
    public HttpVisitor header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** A request below the endpoint ({@code "/state"}, {@code "/f"} ...) on the alias. */
    public HttpResponse<String> post(String below, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + endpoint + below))
                .timeout(Duration.ofSeconds(10)).header("Host", alias).header("Origin", origin)
                .header("Content-Type", "text/plain;charset=UTF-8").header("User-Agent", "Mozilla/5.0 Firefox/140.0")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        headers.forEach(request::setHeader);
        return cookies.keep(CLIENT.send(cookies.sendWith(request).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** Accepts all under the policy of {@code url}; the page becomes the first page view. */
    public HttpResponse<String> accept(String url, String eventId) throws Exception {
        return post("/state", "{\"action\":\"accept-all\",\"url\":\"" + url + "\",\"title\":\"T\",\"eventId\":\"" + eventId
                + "\",\"lang\":\"en\"}");
    }

    /** A page view beacon; {@code identify} is a JSON object or null. */
    public HttpResponse<String> pageView(String url, String eventId, String identify) throws Exception {
        return post("/p", "{\"eventId\":\"" + eventId + "\",\"url\":\"" + url + "\",\"title\":\"T\""
                + (identify == null ? "" : ",\"identify\":" + identify) + "}");
    }

    /** The value of a cookie, or null. */
    public String cookie(String name) {
        return cookies.map().get(name);
    }
}
