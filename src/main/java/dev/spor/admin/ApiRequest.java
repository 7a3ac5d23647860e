package dev.spor.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spor.config.ConfigSnapshot;
import dev.spor.config.SiteConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One authenticated API call: the method, the path below {@code /api/v1}, the key that made it,
 * and checked access to parameters, the site and the body. Every accessor that checks throws
 * {@link ApiException} with a reason that names the parameter.
 */
public final class ApiRequest {
    private final HttpServletRequest http;
    private final String path;
    private final ApiKeys.Key key;
    private final ConfigSnapshot config;

    ApiRequest(HttpServletRequest http, String path, ApiKeys.Key key, ConfigSnapshot config) {
        this.http = http;
        this.path = path;
        this.key = key;
        this.config = config;
    }

    public String method() {
        return http.getMethod();
    }

    /** The path below {@code /api/v1}, such as {@code /contacts/12}. */
    public String path() {
        return path;
    }

    public ApiKeys.Key key() {
        return key;
    }

    /** The configuration in force for this call. */
    public ConfigSnapshot config() {
        return config;
    }

    /** The underlying request, for headers and streamed bodies. */
    public HttpServletRequest http() {
        return http;
    }

    /** A query parameter, or null. */
    public String param(String name) {
        return http.getParameter(name);
    }

    /** A required query parameter. */
    public String required(String name) throws ApiException {
        String value = param(name);
        if (value == null || value.isEmpty()) {
            throw ApiException.bad(name + " is required");
        }
        return value;
    }

    /**
     * The site named by the {@code site} parameter; a site that does not exist or that this key
     * may not see is the same 404, so a key learns nothing about other sites.
     */
    public SiteConfig site() throws ApiException {
        return site(required("site"));
    }

    /** The site {@code key}, checked as {@link #site()}. */
    public SiteConfig site(String siteKey) throws ApiException {
        Optional<SiteConfig> site = siteKey == null ? Optional.empty() : config.site(siteKey);
        if (site.isEmpty() || !key.allows(siteKey)) {
            throw ApiException.notFound("no site " + quote(siteKey == null ? "" : siteKey) + " for this key");
        }
        return site.get();
    }

    /** A whole-number parameter within bounds, or {@code otherwise} when absent. */
    public int integer(String name, int min, int max, int otherwise) throws ApiException {
        String text = param(name);
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.bad(name + " must be a whole number from " + min + " to " + max);
    }

    /** An ISO-8601 instant ({@code 2026-12-01T00:00:00Z}) or date ({@code 2026-12-01}, UTC midnight); null when absent. */
    public Instant instant(String name) throws ApiException {
        String text = param(name);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return text.length() == 10 ? java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.bad(name + " must be a date (2026-12-01) or an instant (2026-12-01T09:30:00Z)");
        }
    }

    /** The body, at most {@code max} bytes (413 beyond). */
    public byte[] body(int max) throws IOException, ApiException {
        byte[] body = dev.spor.consent.ConsentFilter.readBounded(http, max);
        if (body == null) {
            throw new ApiException(413, "body larger than " + max + " bytes");
        }
        return body;
    }

    /** The body as a JSON object, at most {@code max} bytes. */
    public JsonNode json(int max) throws IOException, ApiException {
        JsonNode json;
        try {
            json = ApiJson.MAPPER.readTree(body(max));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.bad("body is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw ApiException.bad("body must be a JSON object");
        }
        return json;
    }

    /** Fails with 405 unless the method is {@code allowed}. */
    public void allow(String allowed) throws ApiException {
        if (!allowed.contains(method())) {
            throw new ApiException(405, "method not allowed; use " + allowed);
        }
    }

    /** A client's value quoted in a reason, cut so an answer stays short and printable. */
    public static String quote(String value) {
        String safe = value.replaceAll("[^\\x20-\\x7e]", "?");
        return "\"" + (safe.length() > 64 ? safe.substring(0, 64) + "..." : safe) + "\"";
    }
}
