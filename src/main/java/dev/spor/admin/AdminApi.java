package dev.spor.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spor.config.ConfigException;
import dev.spor.config.ConfigLoader;
import dev.spor.config.SiteConfig;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API's own part: keys and sites.
 * <ul>
 *   <li>{@code GET /keys}, {@code POST /keys} {@code {"name","sites":[...]}} (the new key is
 *       answered once), {@code DELETE /keys/{id}}: only for a key of every site;
 *   <li>{@code GET /sites}: the sites this key may see, {@code GET /sites/{key}}: one site's
 *       effective configuration, secrets masked;
 *   <li>{@code POST /sites/validate}: checks a candidate configuration without applying it
 *       and answers every error with its JSON path.
 * </ul>
 * Thread-safe.
 */
public final class AdminApi implements ApiEndpoints {
    /** What a secret reads as in answers. */
    public static final String MASK = "****";
    private static final Pattern KEY = Pattern.compile("/keys/([0-9]{1,18})");
    private static final Pattern SITE = Pattern.compile("/sites/([a-z0-9-]{1,40})");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9 ._-]{1,100}");
    private static final int MAX_CONFIG = 1024 * 1024;

    private final ApiKeys keys;

    public AdminApi(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public boolean handle(ApiRequest call, HttpServletResponse response) throws IOException, ApiException {
        String path = call.path();
        Matcher key = KEY.matcher(path);
        Matcher site = SITE.matcher(path);
        if (path.equals("/keys") || key.matches()) {
            keys(call, key.matches() ? Long.parseLong(key.group(1)) : null, response);
        } else if (path.equals("/sites")) {
            call.allow("GET");
            List<JsonNode> sites = new ArrayList<>();
            for (SiteConfig each : call.config().sites()) {
                if (call.key().allows(each.key())) {
                    sites.add(masked(each));
                }
            }
            ApiJson.send(response, 200, ApiJson.MAPPER.createObjectNode().putPOJO("sites", sites));
        } else if (path.equals("/sites/validate")) {
            call.allow("POST");
            validate(call, response);
        } else if (site.matches()) {
            call.allow("GET");
            ApiJson.send(response, 200, masked(call.site(site.group(1))));
        } else {
            return false;
        }
        return true;
    }

    private void keys(ApiRequest call, Long id, HttpServletResponse response) throws IOException, ApiException {
        if (!call.key().global()) {
            throw new ApiException(403, "only a key of every site manages keys");
        }
        if (id != null) {
            call.allow("DELETE");
            if (!keys.delete(id)) {
                throw ApiException.notFound("no such key (the admin key is replaced with SPOR_ADMIN_KEY, not deleted)");
            }
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        call.allow("GET, POST");
        if (call.method().equals("GET")) {
            ApiJson.send(response, 200, ApiJson.MAPPER.createObjectNode().putPOJO("keys", keys.list()));
            return;
        }
        JsonNode json = call.json(16 * 1024);
        String name = json.path("name").asText("");
        if (!NAME.matcher(name).matches()) {
            throw ApiException.bad("name must be 1 to 100 of letters, digits, space . _ -");
        }
        List<String> sites = new ArrayList<>();
        for (JsonNode each : json.path("sites")) {
            sites.add(call.site(each.asText()).key());
        }
        String created = keys.create(name, sites);
        ApiJson.send(response, 201, ApiJson.MAPPER.createObjectNode().put("name", name).put("key", created)
                .put("note", "shown once: only its hash is stored").putPOJO("sites", sites));
    }

    private static void validate(ApiRequest call, HttpServletResponse response) throws IOException, ApiException {
        byte[] candidate = call.body(MAX_CONFIG);
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        try {
            ConfigLoader.parse("candidate", candidate);
            answer.put("valid", true).putArray("errors");
        } catch (ConfigException e) {
            ArrayNode errors = answer.put("valid", false).putArray("errors");
            e.errors().forEach(error -> errors.addObject().put("path", error.path()).put("reason", error.reason()));
        }
        ApiJson.send(response, 200, answer);
    }

    /** A site's effective configuration with its secrets masked. */
    static JsonNode masked(SiteConfig site) {
        ObjectNode json = ApiJson.MAPPER.valueToTree(site);
        if (json.path("identity").hasNonNull("secret")) {
            ((ObjectNode) json.get("identity")).put("secret", MASK);
        }
        return json;
    }
}
