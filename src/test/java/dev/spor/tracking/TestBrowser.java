package dev.spor.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.testing.CookieJar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A browser on one site's pages, over real HTTP: it keeps the cookies the server sets and sends
 * them back, with the site's Origin, like the script does. Safe to use from one thread at a time.
 */
final class TestBrowser {
    static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
    static final String HEADLESS_CHROME =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final String site;
    private final String domain;
    private final CookieJar jar = new CookieJar();
    private final Map<String, String> cookies = jar.map();
    String userAgent = FIREFOX;

    /** A browser on {@code https://www.<domain>/} whose script talks to {@code t.<domain>/s/<site>}. */
    TestBrowser(int port, String site, String domain) {
        this.port = port;
        this.site = site;
        this.domain = domain;
    }

    String page(String path) {
        return "https://www." + domain + path;
    }

    /** POSTs a body to {@code /s/<site><endpoint>} as the script would. */
    HttpResponse<String> post(String endpoint, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/s/" + site + endpoint))
                .timeout(Duration.ofSeconds(30)).header("Host", "t." + domain).header("Origin", "https://www." + domain)
                .header("Content-Type", "text/plain;charset=UTF-8").header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return jar.keep(CLIENT.send(jar.sendWith(request).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** Accepts everything on the home page (stored as the first page view, event id {@code accept-<n>}). */
    TestBrowser accept() throws Exception {
        HttpResponse<String> answer = post("/state", """
                {"action":"accept-all","url":"%s","eventId":"accept-%d"}""".formatted(page("/"), System.nanoTime()));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(visitorId()).as("tracking cookie").isNotNull();
        return this;
    }

    /** The tracking cookie, or null. */
    String visitorId() {
        return cookies.get("spor_id_" + site);
    }

    /** Sends a page view of {@code path}. */
    HttpResponse<String> pageView(String eventId, String path) throws Exception {
        return post("/p", """
                {"eventId":"%s","url":"%s","title":"Page","referrer":"","clientTime":%d}""".formatted(eventId, page(path),
                System.currentTimeMillis()));
    }
}
