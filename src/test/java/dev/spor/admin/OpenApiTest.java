package dev.spor.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spor.testing.ApiClient;
import dev.spor.testing.RunningSpor;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI file Spor serves describes the API there is: every documented operation exists. */
class OpenApiTest {
    @TempDir
    Path dir;

    @Test
    void openApi_servedPublicly_everyDocumentedOperationIsAnswered() throws Exception {
        try (RunningSpor spor = RunningSpor.demo(dir)) {
            HttpResponse<byte[]> served = spor.get("/api/openapi.json", null);
            assertThat(served.statusCode()).isEqualTo(200);
            JsonNode doc = new ObjectMapper().readTree(served.body());
            assertThat(doc.path("openapi").asText()).startsWith("3.");
            ApiClient api = new ApiClient(spor.port(), "test-admin-key");
            List<String> missing = new ArrayList<>();
            int operations = 0;
            for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext();) {
                Map.Entry<String, JsonNode> path = paths.next();
                for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext();) {
                    String method = methods.next().toUpperCase(java.util.Locale.ROOT);
                    String concrete = path.getKey().substring("/api/v1".length()).replace("{id}", "1")
                            .replace("{visitor}", "AAAAAAAAAAAAAAAAAAAAAA").replace("{name}", "probe.txt")
                            .replace("{key}", "demo").replace("{form}", "contact") + "?site=demo";
                    assertThat(concrete).doesNotContain("{");
                    HttpResponse<String> answer = api.call(method, concrete, "{}");
                    operations++;
                    if (answer.statusCode() == 405 || answer.body().equals("{\"error\":\"no such endpoint\"}")
                            || answer.statusCode() >= 500) {
                        missing.add(method + " " + path.getKey() + ": " + answer.statusCode() + " " + answer.body());
                    }
                }
            }
            assertThat(missing).isEmpty();
            assertThat(operations).isGreaterThanOrEqualTo(24);
        }
    }
}
