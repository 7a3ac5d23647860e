package dev.spor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The site owner's API over real HTTP, with a bearer key (or none). Thread-safe. */
public final class ApiClient {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final String key;

    public ApiClient(int port, String key) {
        this.port = port;
        this.key = key;
    }

    /** The same server with another key (null: none). */
    public ApiClient as(String otherKey) {
        return new ApiClient(port, otherKey);
    }

    /** A call below {@code /api/v1}; {@code body} is JSON text or null. */
    public HttpResponse<String> call(String method, String path, String body) throws Exception {
        return call(method, path, body, "application/json");
    }

    public HttpResponse<String> call(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1" + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", contentType)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET that must answer 200; its JSON. */
    public JsonNode get(String path) throws Exception {
        HttpResponse<String> answer = call("GET", path, null);
        if (answer.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": " + answer.statusCode() + " " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    /** The JSON of an answer. */
    public static JsonNode json(HttpResponse<String> answer) throws Exception {
        return JSON.readTree(answer.body());
    }
}
