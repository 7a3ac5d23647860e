package dev.spor.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A reverse proxy on loopback standing for a host alias in front of Spor, that answers
 * {@code 503} instead of forwarding the requests a test picks: an alias whose backend fails.
 * Everything else is forwarded as it came (method, path, headers with cookies, body).
 */
public final class FaultyAlias implements AutoCloseable {
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpServer server;
    private final AtomicInteger failed = new AtomicInteger();

    private FaultyAlias(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts the proxy.
     *
     * @param sporPort where Spor listens
     * @param host the Host header to send Spor (an alias of the site)
     * @param fail which requests ("METHOD path") to answer with 503
     */
    public static FaultyAlias start(int sporPort, String host, Predicate<String> fail) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FaultyAlias alias = new FaultyAlias(server);
        server.createContext("/", exchange -> alias.handle(exchange, sporPort, host, fail));
        server.setExecutor(Executors.newCachedThreadPool()); // a browser opens several connections at once
        server.start();
        return alias;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** How many requests were answered with 503. */
    public int failed() {
        return failed.get();
    }

    private void handle(HttpExchange exchange, int sporPort, String host, Predicate<String> fail) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            if (fail.test(request)) {
                failed.incrementAndGet();
                copyCors(exchange);
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sporPort
                    + exchange.getRequestURI())).timeout(Duration.ofSeconds(10)).header("Host", host)
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> forward.header(name, v));
                }
            });
            HttpResponse<byte[]> answer = CLIENT.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            for (Map.Entry<String, List<String>> header : answer.headers().map().entrySet()) {
                if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT)) && !header.getKey().startsWith(":")) {
                    exchange.getResponseHeaders().put(header.getKey(), header.getValue());
                }
            }
            byte[] out = answer.body();
            exchange.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream stream = exchange.getResponseBody()) {
                    stream.write(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A 503 a browser can read (and so fail over from) needs the CORS headers too. */
    private static void copyCors(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
            exchange.getResponseHeaders().set("Access-Control-Allow-Credentials", "true");
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
