package dev.spor.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spor.server.SporSettings;
import dev.spor.testing.ApiClient;
import dev.spor.testing.RunningSpor;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys, sites, config validation and hosted files in the API, over real HTTP. */
class AdminApiTest {
    private static final String SECRET = "a-very-secret-identity-secret-0123456789";
    private static final String CONFIG = """
            { "sites": [
                { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org", "hosts": ["t.example.org"],
                  "policies": [ { "id": "default", "mode": "opt-in" } ], "identity": { "secret": "%s", "required": true } },
                { "key": "blog", "domains": ["blog.example.net"], "cookieDomain": "example.net", "hosts": ["t.example.net"],
                  "policies": [ { "id": "default", "mode": "notify" } ] } ] }
            """.formatted(SECRET);

    @TempDir
    static Path dir;
    private static RunningSpor spor;
    private static ApiClient admin;

    @BeforeAll
    static void start() throws Exception {
        Path config = dir.resolve("spor.json");
        Files.writeString(config, CONFIG);
        spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"), null, null, null, "admin-key"));
        admin = new ApiClient(spor.port(), "admin-key");
    }

    @AfterAll
    static void stop() throws Exception {
        spor.close();
    }

    private static ApiClient scopedTo(String site) throws Exception {
        HttpResponse<String> created = admin.call("POST", "/keys", "{\"name\":\"" + site + " reader\",\"sites\":[\"" + site + "\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return admin.as(ApiClient.json(created).path("key").asText());
    }

    @Test
    void keys_createdOnce_listedWithoutSecrets_scopedKeyCannotManageKeys_deletedKeyStopsWorking() throws Exception {
        HttpResponse<String> created = admin.call("POST", "/keys", "{\"name\":\"ci\",\"sites\":[\"blog\"]}");
        String key = ApiClient.json(created).path("key").asText();
        long id = -1;
        for (JsonNode listed : admin.get("/keys").path("keys")) {
            assertThat(listed.toString()).doesNotContain(key);
            if (listed.path("name").asText().equals("ci")) {
                id = listed.path("id").asLong();
                assertThat(listed.path("sites").get(0).asText()).isEqualTo("blog");
            }
        }
        ApiClient ci = admin.as(key);

        assertThat(key).hasSizeGreaterThanOrEqualTo(40);
        assertThat(ci.call("GET", "/sites", null).statusCode()).isEqualTo(200);
        assertThat(ci.call("GET", "/keys", null).statusCode()).isEqualTo(403);
        assertThat(admin.call("POST", "/keys", "{\"name\":\"x\",\"sites\":[\"nope\"]}").statusCode()).isEqualTo(404);
        assertThat(admin.call("POST", "/keys", "{\"name\":\"<script>\"}").statusCode()).isEqualTo(400);
        assertThat(admin.call("DELETE", "/keys/" + id, null).statusCode()).isEqualTo(204);
        assertThat(ci.call("GET", "/sites", null).statusCode()).isEqualTo(401);
    }

    @Test
    void keys_lastUsedAt_emptyUntilTheKeyIsUsed_thenWhenItWas() throws Exception {
        HttpResponse<String> created = admin.call("POST", "/keys", "{\"name\":\"usage\",\"sites\":[\"shop\"]}");
        ApiClient usage = admin.as(ApiClient.json(created).path("key").asText());
        assertThat(listed("usage").path("lastUsedAt").isNull()).as("never used").isTrue();
        Instant before = Instant.now().minusMillis(1);

        assertThat(usage.call("GET", "/sites", null).statusCode()).isEqualTo(200);

        Instant used = Instant.parse(listed("usage").path("lastUsedAt").asText());
        assertThat(used).isBetween(before, Instant.now());
        assertThat(usage.call("GET", "/sites", null).statusCode()).isEqualTo(200);
        assertThat(Instant.parse(listed("usage").path("lastUsedAt").asText())).as("written at most once a minute")
                .isEqualTo(used);
    }

    private static JsonNode listed(String name) throws Exception {
        for (JsonNode listed : admin.get("/keys").path("keys")) {
            if (listed.path("name").asText().equals(name)) {
                return listed;
            }
        }
        throw new AssertionError("no key " + name);
    }

    @Test
    void sites_effectiveConfigWithSecretsMasked_onlyTheKeysSites() throws Exception {
        JsonNode all = admin.get("/sites");
        JsonNode shop = admin.get("/sites/shop");
        JsonNode blogOnly = scopedTo("blog").get("/sites");

        assertThat(all.path("sites").findValuesAsText("key")).containsExactly("shop", "blog");
        assertThat(shop.path("identity").path("secret").asText()).isEqualTo("****");
        assertThat(shop.path("scriptPath").asText()).isEqualTo("/s/shop.js");
        assertThat(all.toString()).doesNotContain(SECRET);
        assertThat(blogOnly.path("sites").findValuesAsText("key")).containsExactly("blog");
        assertThat(scopedTo("blog").call("GET", "/sites/shop", null).statusCode()).isEqualTo(404);
    }

    @Test
    void validate_candidateConfig_everyErrorWithItsPath_nothingApplied() throws Exception {
        HttpResponse<String> bad = admin.call("POST", "/sites/validate", """
                { "sites": [ { "key": "Bad Key", "domains": ["www.example.org"], "cookieDomain": "example.org",
                  "hosts": ["t.example.com"], "policies": [ { "id": "p", "mode": "opt-in", "match": { "paths": ["/x"] } } ],
                  "colour": "red" } ] }""");
        HttpResponse<String> good = admin.call("POST", "/sites/validate", CONFIG.replace("shop", "next"));
        HttpResponse<String> notJson = admin.call("POST", "/sites/validate", "{ nope");

        JsonNode errors = ApiClient.json(bad).path("errors");
        assertThat(ApiClient.json(bad).path("valid").asBoolean()).isFalse();
        assertThat(errors.findValuesAsText("path")).contains("sites[0].key", "sites[0].hosts[0]", "sites[0].colour");
        assertThat(errors.size()).isGreaterThanOrEqualTo(4);
        assertThat(ApiClient.json(good).path("valid").asBoolean()).isTrue();
        assertThat(ApiClient.json(notJson).path("valid").asBoolean()).isFalse();
        assertThat(admin.get("/sites").path("sites").findValuesAsText("key")).containsExactly("shop", "blog");
    }

    @Test
    void files_uploadListServeDelete_scopedKeyRefused_badNameRefused() throws Exception {
        HttpResponse<String> put = admin.call("PUT", "/files/menu.pdf", "%PDF-1.4 menu", "application/pdf");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(ApiClient.json(put).path("size").asLong()).isEqualTo(13);
        assertThat(admin.get("/files").path("files").findValuesAsText("name")).contains("menu.pdf");
        HttpResponse<byte[]> served = spor.get("/files/menu.pdf", null);
        assertThat(new String(served.body(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-1.4 menu");
        assertThat(served.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");

        assertThat(scopedTo("shop").call("PUT", "/files/x.pdf", "x", "application/pdf").statusCode()).isEqualTo(403);
        assertThat(admin.call("PUT", "/files/..%2Fescape", "x", "text/plain").statusCode()).isIn(400, 404);
        assertThat(admin.call("PUT", "/files/.hidden", "x", "text/plain").statusCode()).isEqualTo(400);

        assertThat(admin.call("DELETE", "/files/menu.pdf", null).statusCode()).isEqualTo(204);
        assertThat(spor.get("/files/menu.pdf", null).statusCode()).isEqualTo(404);
        assertThat(admin.call("DELETE", "/files/menu.pdf", null).statusCode()).isEqualTo(404);
    }

    @Test
    void api_answersCarryStrictSecurityHeaders_andNoStackTraces() throws Exception {
        HttpResponse<String> answer = admin.call("GET", "/contacts?site=shop&offset=-1", null);
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(answer.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("dev.spor");
        assertThat(admin.call("GET", "/nope", null).statusCode()).isEqualTo(404);
    }
}
