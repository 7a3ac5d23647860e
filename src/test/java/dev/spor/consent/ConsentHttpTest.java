package dev.spor.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spor.server.SporSettings;
import dev.spor.testing.CookieJar;
import dev.spor.testing.RunningSpor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consent endpoints over real HTTP against the real server and its embedded database. */
class ConsentHttpTest {
    static final String GB = "2.125.160.217";
    static final String SE = "89.160.20.113";
    static final String US = "50.114.0.1";
    static final String JP = "2001:218::1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String PAGE = "https://www.example.org/pricing";

    @TempDir
    static Path dir;
    private static RunningSpor spor;

    static String config(String trustedProxy) throws Exception {
        Path mmdb = Path.of(ConsentHttpTest.class.getClassLoader().getResource("geoip/GeoLite2-Country-Test.mmdb").toURI());
        return """
                { "country": { "trustedProxies": ["%s"], "database": "%s" },
                  "sites": [ { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org",
                    "hosts": ["t.example.org"],
                    "texts": { "de": { "acceptAll": "Alle akzeptieren" } },
                    "policies": [
                      { "id": "privacy", "mode": "none", "match": { "paths": ["/privacy"] } },
                      { "id": "eu", "mode": "opt-in", "match": { "countries": ["EEA", "GB"] } },
                      { "id": "us", "mode": "opt-out", "match": { "countries": ["US"] } },
                      { "id": "jp", "mode": "notify", "match": { "countries": ["JP"] } },
                      { "id": "default", "mode": "opt-in", "categories": ["necessary", "analytics", "advertisement"] } ] } ] }
                """.formatted(trustedProxy, mmdb);
    }

    @BeforeAll
    static void start() throws Exception {
        Path file = dir.resolve("spor.json");
        Files.writeString(file, config("127.0.0.1"));
        spor = RunningSpor.start(new SporSettings(file, dir.resolve("data"), null, null, null, "k"));
    }

    @AfterAll
    static void stop() throws Exception {
        spor.close();
    }

    /** A browser: keeps the cookies the server sets, sends them back. */
    static final class Visitor {
        private final CookieJar jar = new CookieJar();
        final Map<String, String> cookies = jar.map();
        final List<String> setCookies = new ArrayList<>();
        String forwardedFor;
        String forwardedProto;
        boolean gpc;
        final int port;

        Visitor(int port) {
            this.port = port;
        }

        HttpResponse<String> send(String method, String path, String body) throws Exception {
            return send(method, path, body, null);
        }

        HttpResponse<String> send(String method, String path, String body, String acceptLanguage) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).header("Host", path.startsWith("/s/") ? "t.example.org" : "www.example.org")
                    .header("Origin", "https://www.example.org").header("User-Agent", "Mozilla/5.0 Firefox/140.0")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (forwardedFor != null) {
                request.header("X-Forwarded-For", forwardedFor);
            }
            if (gpc) {
                request.header("Sec-GPC", "1");
            }
            if (acceptLanguage != null) {
                request.header("Accept-Language", acceptLanguage);
            }
            if (forwardedProto != null) {
                request.header("X-Forwarded-Proto", forwardedProto);
            }
            HttpResponse<String> response = CLIENT.send(jar.sendWith(request).build(), HttpResponse.BodyHandlers.ofString());
            setCookies.addAll(response.headers().allValues("Set-Cookie"));
            return jar.keep(response);
        }

        JsonNode state(String url) throws Exception {
            HttpResponse<String> response = send("GET", "/s/shop/state?url=" + java.net.URLEncoder.encode(url,
                    java.nio.charset.StandardCharsets.UTF_8) + "&lang=en", null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        }

        JsonNode stateFrom(String address) throws Exception {
            forwardedFor = address;
            return state(PAGE);
        }

        JsonNode decide(String action, String url, String eventId) throws Exception {
            HttpResponse<String> response = send("POST", "/s/shop/state", """
                    {"action":"%s","url":"%s","title":"Pricing","referrer":"https://search.example/","eventId":"%s","lang":"en"}
                    """.formatted(action, url, eventId));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        }

        int pageView(String url, String eventId) throws Exception {
            return send("POST", "/s/shop/p", """
                    {"eventId":"%s","url":"%s","title":"Next","clientTime":%d}""".formatted(eventId, url,
                    System.currentTimeMillis())).statusCode();
        }
    }

    static long count(String sql) throws Exception {
        try (Connection c = spor.app().database().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void state_countryFromTrustedProxy_picksThePolicyOfThatCountry() throws Exception {
        Map<String, String> expected = Map.of(GB, "eu", SE, "eu", US, "us", JP, "jp", "203.0.113.9", "default");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Visitor visitor = new Visitor(spor.port());
            visitor.forwardedFor = e.getKey();

            assertThat(visitor.state(PAGE).path("policy").path("id").asText()).as("policy for " + e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void state_optInUndecided_bannerNoAnalyticsNoCookies() throws Exception {
        Visitor visitor = new Visitor(spor.port());
        visitor.forwardedFor = SE;

        JsonNode answer = visitor.state(PAGE);

        assertThat(answer.path("banner").asBoolean()).isTrue();
        assertThat(answer.path("analytics").asBoolean()).isFalse();
        assertThat(answer.path("decision").isNull()).isTrue();
        assertThat(answer.path("policy").path("texts").path("acceptAll").asText()).isEqualTo("Accept all");
        assertThat(visitor.setCookies).isEmpty();
        assertThat(visitor.pageView(PAGE, "evt-before-consent-1")).isEqualTo(403);
    }

    @Test
    void state_acceptLanguage_choosesItsTexts_andJunkLanguagesShareOneCachedAnswer() throws Exception {
        Visitor visitor = new Visitor(spor.port());
        visitor.forwardedFor = SE;
        String page = java.net.URLEncoder.encode(PAGE, java.nio.charset.StandardCharsets.UTF_8);

        HttpResponse<String> german = visitor.send("GET", "/s/shop/state?url=" + page, null, "fr;q=0.2, de-AT, de;q=0.9");
        long cachedBefore = cached("consent-answer-languages");
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> answer = visitor.send("GET", "/s/shop/state?url=" + page + "&lang=%25" + i, null,
                    "x".repeat(501 + i));
            assertThat(JSON.readTree(answer.body()).path("policy").path("lang").asText()).isEqualTo("en");
        }
        long cachedAfter = cached("consent-answer-languages");
        HttpResponse<String> junk = visitor.send("GET", "/s/shop/state?url=" + page, null, "not a tag;q=1, *");

        assertThat(german.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
        JsonNode policy = JSON.readTree(german.body()).path("policy");
        assertThat(policy.path("lang").asText()).isEqualTo("de");
        assertThat(policy.path("texts").path("acceptAll").asText()).isEqualTo("Alle akzeptieren");
        assertThat(policy.path("texts").path("rejectAll").asText()).as("from English").isEqualTo("Reject all");
        assertThat(JSON.readTree(junk.body()).path("policy").path("lang").asText()).isEqualTo("en");
        assertThat(cachedAfter - cachedBefore)
                .as("inputs the choice ignores are keyed as absent: one entry for all forty").isLessThanOrEqualTo(1);
    }

    /** Entries in one of the server's caches, read from /metrics. */
    private static long cached(String cache) throws Exception {
        HttpResponse<String> metrics = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + spor.port()
                + "/metrics")).header("Authorization", "Bearer k").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        String series = "cache_size{cache=\"" + cache + "\"} ";
        return metrics.body().lines().filter(line -> line.startsWith(series))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(series.length()).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + series + "in /metrics"));
    }

    @Test
    void consentMode_signalsFollowAnalyticsAndTheAdvertisementCategory() throws Exception {
        String undecided = consentMode(new Visitor(spor.port()).stateFrom("203.0.113.9"));
        Visitor all = new Visitor(spor.port());
        all.forwardedFor = "203.0.113.9";
        String acceptAll = consentMode(all.decide("accept-all", PAGE, "evt-consent-mode-1"));
        Visitor adsOnly = new Visitor(spor.port());
        adsOnly.forwardedFor = "203.0.113.9";
        HttpResponse<String> custom = adsOnly.send("POST", "/s/shop/state", """
                {"action":"custom","categories":["advertisement"],"url":"%s","eventId":"evt-consent-mode-2","lang":"en"}
                """.formatted(PAGE));
        Visitor eu = new Visitor(spor.port());
        eu.forwardedFor = SE;
        String euAccept = consentMode(eu.decide("accept-all", PAGE, "evt-consent-mode-3"));
        String euReject = consentMode(eu.decide("reject-all", PAGE, "evt-consent-mode-4"));

        assertThat(undecided).isEqualTo(signals("denied", "denied"));
        assertThat(acceptAll).isEqualTo(signals("granted", "granted"));
        assertThat(custom.statusCode()).as(custom.body()).isEqualTo(200);
        assertThat(consentMode(JSON.readTree(custom.body()))).isEqualTo(signals("denied", "granted"));
        assertThat(euAccept).as("the eu policy offers no advertisement").isEqualTo(signals("granted", "denied"));
        assertThat(euReject).isEqualTo(signals("denied", "denied"));
    }

    private static String consentMode(JsonNode answer) {
        return answer.path("consentMode").toString();
    }

    private static String signals(String analytics, String ads) {
        return "{\"analytics_storage\":\"%s\",\"ad_storage\":\"%s\",\"ad_user_data\":\"%s\",\"ad_personalization\":\"%s\"}"
                .formatted(analytics, ads, ads, ads);
    }

    @Test
    void decide_accept_setsHttpOnlyFirstPartyCookies_logsOnce_storesTheAcceptingPageFirst() throws Exception {
        Visitor visitor = new Visitor(spor.port());
        visitor.forwardedFor = SE;
        long logBefore = count("SELECT COUNT(*) FROM consent_log");

        JsonNode answer = visitor.decide("accept-all", PAGE, "evt-accepting-page-1");

        assertThat(answer.path("analytics").asBoolean()).isTrue();
        assertThat(answer.path("banner").asBoolean()).isFalse();
        assertThat(answer.path("decision").path("action").asText()).isEqualTo("accept-all");
        String tracking = visitor.setCookies.stream().filter(c -> c.startsWith("spor_id_shop=")).findFirst().orElseThrow();
        assertThat(tracking).contains("HttpOnly").containsIgnoringCase("SameSite=Lax").containsIgnoringCase("Domain=example.org")
                .contains("Path=/").contains("Max-Age=" + 395 * 86400);
        assertThat(visitor.cookies.get("spor_id_shop")).matches("[A-Za-z0-9_-]{22}");
        assertThat(visitor.setCookies).anyMatch(c -> c.startsWith("spor_c_shop=") && c.contains("HttpOnly"));
        assertThat(count("SELECT COUNT(*) FROM consent_log")).isEqualTo(logBefore + 1);
        String visitorId = visitor.cookies.get("spor_id_shop");
        assertThat(count("SELECT COUNT(*) FROM page_views WHERE visitor_id = '" + visitorId + "' AND event_id = 'evt-accepting-page-1'"))
                .isEqualTo(1);

        assertThat(visitor.pageView("https://www.example.org/next", "evt-next-page-01")).isEqualTo(204);
        assertThat(visitor.pageView("https://www.example.org/next", "evt-next-page-01")).as("retry").isEqualTo(204);
        assertThat(count("SELECT COUNT(*) FROM page_views WHERE visitor_id = '" + visitorId + "'")).isEqualTo(2);
        assertThat(visitor.state(PAGE).path("banner").asBoolean()).isFalse();
        assertThat(count("SELECT COUNT(*) FROM consent_log")).as("asking again logs nothing").isEqualTo(logBefore + 1);
    }

    @Test
    void decide_httpsAtTheTrustedProxy_cookiesAreSecure_plainHttpNot() throws Exception {
        Visitor https = new Visitor(spor.port());
        https.forwardedFor = SE;
        https.forwardedProto = "https";
        Visitor http = new Visitor(spor.port());
        http.forwardedFor = SE;

        https.decide("accept-all", PAGE, "evt-secure-cookie-1");
        http.decide("accept-all", PAGE, "evt-plain-cookie-1");

        assertThat(https.setCookies).isNotEmpty().allMatch(c -> c.contains("Secure"));
        assertThat(http.setCookies).isNotEmpty().noneMatch(c -> c.contains("Secure"));
    }

    @Test
    void decide_reject_noTrackingCookie_deletesAnyAndStoresNothing() throws Exception {
        Visitor visitor = new Visitor(spor.port());
        visitor.forwardedFor = SE;

        JsonNode answer = visitor.decide("reject-all", PAGE, "evt-rejecting-page1");

        assertThat(answer.path("analytics").asBoolean()).isFalse();
        assertThat(visitor.cookies).containsKey("spor_c_shop").doesNotContainKey("spor_id_shop");
        assertThat(visitor.setCookies).anyMatch(c -> c.startsWith("spor_id_shop=;") || c.startsWith("spor_id_shop=\"\"")
                || c.startsWith("spor_id_shop=") && c.contains("Max-Age=0"));
        assertThat(visitor.pageView(PAGE, "evt-after-reject-1")).isEqualTo(403);
        assertThat(count("SELECT COUNT(*) FROM page_views WHERE event_id IN ('evt-rejecting-page1', 'evt-after-reject-1')"))
                .isZero();
        assertThat(visitor.state(PAGE).path("decision").path("action").asText()).isEqualTo("reject-all");
    }

    @Test
    void decide_revokeAfterAccept_deletesTrackingCookieAndStopsTracking() throws Exception {
        Visitor visitor = new Visitor(spor.port());
        visitor.forwardedFor = SE;
        visitor.decide("accept-all", PAGE, "evt-accept-revoke1");
        assertThat(visitor.cookies).containsKey("spor_id_shop");
        String keptId = visitor.cookies.get("spor_id_shop");

        visitor.decide("revoke", PAGE, "evt-revoke-page-01");

        assertThat(visitor.cookies).doesNotContainKey("spor_id_shop");
        visitor.cookies.put("spor_id_shop", keptId); // a browser that ignored the deletion still may not be tracked
        assertThat(visitor.pageView(PAGE, "evt-after-revoke-1")).isEqualTo(403);
    }

    @Test
    void state_optOut_tracksAtOnce_untilDeclined() throws Exception {
        Visitor visitor = new Visitor(spor.port());
        visitor.forwardedFor = US;

        JsonNode answer = visitor.state(PAGE);

        assertThat(answer.path("policy").path("id").asText()).isEqualTo("us");
        assertThat(answer.path("banner").asBoolean()).isTrue();
        assertThat(answer.path("analytics").asBoolean()).isTrue();
        assertThat(visitor.cookies).containsKey("spor_id_shop");
        assertThat(visitor.pageView(PAGE, "evt-opt-out-view-1")).isEqualTo(204);
    }

    @Test
    void state_gpcUnderOptOut_declinesOnceAndLogsItOnce() throws Exception {
        Visitor visitor = new Visitor(spor.port());
        visitor.forwardedFor = US;
        visitor.gpc = true;
        long gpcRows = count("SELECT COUNT(*) FROM consent_log WHERE action = 'gpc'");

        JsonNode first = visitor.state(PAGE);
        JsonNode second = visitor.state(PAGE);

        assertThat(first.path("gpc").asBoolean()).isTrue();
        assertThat(first.path("analytics").asBoolean()).isFalse();
        assertThat(first.path("banner").asBoolean()).isFalse();
        assertThat(second.path("decision").path("action").asText()).isEqualTo("gpc");
        assertThat(visitor.cookies).containsKey("spor_c_shop").doesNotContainKey("spor_id_shop");
        assertThat(count("SELECT COUNT(*) FROM consent_log WHERE action = 'gpc'")).isEqualTo(gpcRows + 1);
    }

    @Test
    void decide_underOnePolicy_doesNotCountUnderAnother() throws Exception {
        Visitor visitor = new Visitor(spor.port());
        visitor.forwardedFor = JP;
        visitor.decide("accept-all", PAGE, "evt-accept-notice1");

        visitor.forwardedFor = SE; // the same browser, now under the EU opt-in policy

        JsonNode answer = visitor.state(PAGE);
        assertThat(answer.path("policy").path("id").asText()).isEqualTo("eu");
        assertThat(answer.path("banner").asBoolean()).isTrue();
        assertThat(answer.path("analytics").asBoolean()).isFalse();
        assertThat(visitor.pageView(PAGE, "evt-other-policy-1")).isEqualTo(403);
    }

    @Test
    void state_nonePolicy_noBanner() throws Exception {
        Visitor visitor = new Visitor(spor.port());
        visitor.forwardedFor = SE;

        JsonNode answer = visitor.state("https://www.example.org/privacy");

        assertThat(answer.path("policy").path("id").asText()).isEqualTo("privacy");
        assertThat(answer.path("banner").asBoolean()).isFalse();
        assertThat(answer.path("policy").path("texts").isNull()).isTrue();
    }

    @Test
    void endpoints_foreignOrigin_forbidden() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + spor.port() + "/s/shop/p"))
                .header("Host", "t.example.org").header("Origin", "https://evil.example.com")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();

        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("{\"error\":\"origin_not_allowed\"}");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void endpoints_badInput_clearFourHundreds() throws Exception {
        Visitor visitor = new Visitor(spor.port());

        assertThat(visitor.send("POST", "/s/shop/state", "not json").statusCode()).isEqualTo(400);
        assertThat(visitor.send("POST", "/s/shop/state", "{\"action\":\"maybe\"}").body()).contains("action must be");
        assertThat(visitor.send("GET", "/s/shop/state?url=https://evil.example.com/", null).statusCode()).isEqualTo(400);
        assertThat(visitor.send("POST", "/s/shop/p", "{\"eventId\":\"x\",\"url\":\"" + PAGE + "\"}").body())
                .contains("eventId must be");
        HttpResponse<String> huge = visitor.send("POST", "/s/shop/p", "{\"title\":\"" + "x".repeat(9000) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.body()).doesNotContain("at dev.spor");
    }

    @Test
    void consentCookie_forged_countsAsNoDecision() throws Exception {
        Visitor visitor = new Visitor(spor.port());
        visitor.forwardedFor = SE;
        visitor.decide("reject-all", PAGE, "evt-forge-base-01");
        String value = visitor.cookies.get("spor_c_shop");
        visitor.cookies.put("spor_c_shop", value.replace(":1:", ":3:"));

        assertThat(visitor.state(PAGE).path("decision").isNull()).isTrue();
    }

    @Test
    void database_neverHoldsARawAddress() throws Exception {
        Visitor visitor = new Visitor(spor.port());
        visitor.forwardedFor = SE;
        visitor.decide("accept-all", PAGE, "evt-raw-ip-check-1");

        try (Connection c = spor.app().database().dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("consent_log", "page_views", "visitors")) {
                try (ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
                    int columns = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        for (int i = 1; i <= columns; i++) {
                            assertThat(String.valueOf(r.getObject(i))).as(table + " column " + i)
                                    .doesNotContain(SE).doesNotContain("127.0.0.1");
                        }
                    }
                }
            }
        }
        assertThat(count("SELECT COUNT(*) FROM consent_log WHERE ip_hash IS NOT NULL AND LENGTH(ip_hash) = 64")).isPositive();
    }

    @Test
    void state_untrustedPeer_itsForwardedForIsIgnored() throws Exception {
        Path file = dir.resolve("untrusted.json");
        Files.writeString(file, config("10.9.9.9"));
        try (RunningSpor other = RunningSpor.start(new SporSettings(file, dir.resolve("data-untrusted"), null, null, null, "k"))) {
            Visitor visitor = new Visitor(other.port());
            visitor.forwardedFor = GB;

            assertThat(visitor.state(PAGE).path("policy").path("id").asText()).isEqualTo("default");
        }
    }
}
