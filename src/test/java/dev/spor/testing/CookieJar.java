package dev.spor.testing;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cookies an HTTP test client keeps as a browser would: what {@code Set-Cookie} sets, it
 * sends back; an empty value or {@code Max-Age=0} deletes. Thread-safe.
 */
public final class CookieJar {
    private final Map<String, String> cookies = new ConcurrentHashMap<>();

    /** The cookies held, name to value: a live view that tests may also change. */
    public Map<String, String> map() {
        return cookies;
    }

    /** Adds the {@code Cookie} header to a request, when there are cookies. */
    public HttpRequest.Builder sendWith(HttpRequest.Builder request) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", String.join("; ", cookies.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        return request;
    }

    /** Takes the cookies a response sets or deletes. */
    public <T> HttpResponse<T> keep(HttpResponse<T> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            String name = pair.substring(0, pair.indexOf('='));
            String value = pair.substring(pair.indexOf('=') + 1);
            if (value.isEmpty() || header.contains("Max-Age=0")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        return response;
    }
}
