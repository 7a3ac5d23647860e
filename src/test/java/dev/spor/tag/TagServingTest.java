package dev.spor.tag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.config.SiteConfig;
import dev.spor.server.SporSettings;
import dev.spor.testing.RunningSpor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The script served over real HTTP by the real server, on host and path-prefix aliases. */
class TagServingTest {
    private static final String CONFIG = """
            { "sites": [
              { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org",
                "hosts": ["t.example.org", "s.example.org", "www.example.org/_sp"],
                "policies": [ { "id": "default", "mode": "opt-in" } ],
                "forms": [ { "id": "signup", "emailField": "email", "selector": "#footer > form.signup" },
                           { "id": "quote", "emailField": "mail" } ] },
              { "key": "blog", "name": "</script><b>x</b>", "domains": ["blog.example.net"], "cookieDomain": "example.net",
                "hosts": ["a.example.net"], "scriptPath": "/assets/site.js",
                "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }""";

    @TempDir
    static Path dir;
    private static RunningSpor spor;

    @BeforeAll
    static void start() throws Exception {
        Path config = dir.resolve("spor.json");
        Files.writeString(config, CONFIG);
        spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"), null, null, null, "k"));
    }

    @AfterAll
    static void stop() throws Exception {
        spor.close();
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void script_twoHostAliases_serveTheSameScriptWithTheSiteConfig() throws Exception {
        HttpResponse<byte[]> viaT = spor.get("/s/shop.js", "t.example.org");
        HttpResponse<byte[]> viaS = spor.get("/s/shop.js", "S.Example.org:443");

        assertThat(viaT.statusCode()).isEqualTo(200);
        assertThat(viaS.statusCode()).isEqualTo(200);
        assertThat(viaS.body()).isEqualTo(viaT.body());
        assertThat(viaT.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(text(viaT))
                .contains("\"site\":\"shop\"")
                .contains("\"bases\":[\"https://t.example.org\",\"https://s.example.org\",\"/_sp\"]")
                .doesNotContain("__SPOR_CONFIG__");
    }

    @Test
    void script_pathPrefixAlias_isServedUnderThePrefixOnly() throws Exception {
        assertThat(spor.get("/_sp/s/shop.js", "www.example.org").statusCode()).isEqualTo(200);
        assertThat(spor.get("/s/shop.js", "www.example.org").statusCode()).isEqualTo(404);
    }

    @Test
    void script_unknownHost_is404() throws Exception {
        HttpResponse<byte[]> response = spor.get("/s/shop.js", "evil.example.com");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(text(response)).doesNotContain("site");
    }

    @Test
    void script_otherSitesAlias_doesNotServeThisSite() throws Exception {
        assertThat(spor.get("/s/shop.js", "a.example.net").statusCode()).isEqualTo(404);
        assertThat(spor.get("/assets/site.js", "a.example.net").statusCode()).isEqualTo(200);
    }

    @Test
    void script_conditionalGet_answers304() throws Exception {
        HttpResponse<byte[]> first = spor.get("/s/shop.js", "t.example.org");
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> again = spor.get("/s/shop.js", "t.example.org", "If-None-Match", etag);

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(spor.get("/s/shop.js", "t.example.org", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void script_versionedUrl_isCachedForAYearOtherwiseBriefly() throws Exception {
        HttpResponse<byte[]> plain = spor.get("/s/shop.js", "t.example.org");
        String version = text(plain).replaceAll("(?s).*\"v\":\"([0-9a-f]+)\".*", "$1");

        HttpResponse<byte[]> versioned = spor.get("/s/shop.js?v=" + version, "t.example.org");
        HttpResponse<byte[]> stale = spor.get("/s/shop.js?v=0000", "t.example.org");

        assertThat(plain.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        assertThat(versioned.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(stale.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
    }

    @Test
    void script_acceptsGzip_getsPrecompressedBytesOfTheSameScript() throws Exception {
        HttpResponse<byte[]> plain = spor.get("/s/shop.js", "t.example.org");
        HttpResponse<byte[]> gzipped = spor.get("/s/shop.js", "t.example.org", "Accept-Encoding", "br, gzip");

        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzipped.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(gzipped.body().length).isLessThan(plain.body().length);
        assertThat(gunzip(gzipped.body())).isEqualTo(plain.body());
        assertThat(gzipped.headers().firstValue("ETag")).isNotEqualTo(plain.headers().firstValue("ETag"));
    }

    @Test
    void script_postRequest_isRefused() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + spor.port() + "/s/shop.js"))
                .header("Host", "t.example.org").POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.body()).doesNotContain("at dev.spor");
    }

    @Test
    void formsChunk_twoAliases_serveTheBuiltChunkWithEtagAndGzip() throws Exception {
        byte[] built = ScriptAssets.fromClasspath().forms().getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> viaT = spor.get("/s/shop/f.js", "t.example.org");
        HttpResponse<byte[]> viaPrefix = spor.get("/_sp/s/shop/f.js", "www.example.org");
        String etag = viaT.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> gzipped = spor.get("/s/shop/f.js", "s.example.org", "Accept-Encoding", "gzip");

        assertThat(viaT.statusCode()).isEqualTo(200);
        assertThat(viaT.body()).isEqualTo(built);
        assertThat(viaPrefix.body()).isEqualTo(built);
        assertThat(viaT.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(viaPrefix.headers().firstValue("ETag")).hasValue(etag);
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gunzip(gzipped.body())).isEqualTo(built);
        assertThat(gzipped.headers().firstValue("ETag")).isNotEqualTo(Optional.of(etag));
        assertThat(spor.get("/s/shop/f.js", "t.example.org", "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(spor.get("/s/shop/f.js", "a.example.net").statusCode()).as("another site's alias").isEqualTo(404);
    }

    @Test
    void script_siteWithForms_configMapsEachFormIdToItsSelector() throws Exception {
        String script = text(spor.get("/s/shop.js", "t.example.org"));

        // ">" is escaped in the injected JSON, so config text can never end a script element
        assertThat(script).contains("\"forms\":{\"signup\":\"#footer \\u003e form.signup\",\"quote\":\"\"}");
        assertThat(text(spor.get("/assets/site.js", "a.example.net"))).as("a site without forms")
                .contains("\"site\":\"blog\"").doesNotContain("\"forms\"");
    }

    @Test
    void script_demoSite_configHasTheContactForm() throws Exception {
        try (RunningSpor demo = RunningSpor.demo(dir.resolve("data-demo"))) {
            String script = text(demo.get("/sa/s/demo.js", "localhost"));

            assertThat(script).contains("\"site\":\"demo\"").contains("\"forms\":{\"contact\":\"\"}");
        }
    }

    @Test
    void version_coversTheFormsChunk() throws Exception {
        ScriptAssets assets = ScriptAssets.fromClasspath();
        ScriptAssets otherForms = new ScriptAssets(assets.tracker(), assets.snippet(), assets.banner(), assets.collect(),
                assets.forms() + "\n");
        SiteConfig shop = spor.app().config().get().sites().stream().filter(site -> site.key().equals("shop"))
                .findFirst().orElseThrow();

        assertThat(RenderedScript.render(otherForms, shop).version()).isNotEqualTo(RenderedScript.render(assets, shop).version());
    }

    @Test
    void acceptsGzip_honoursQZero() {
        assertThat(TagFilter.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(TagFilter.acceptsGzip("deflate, gzip;q=0.5")).isTrue();
        assertThat(TagFilter.acceptsGzip(null)).isFalse();
        assertThat(TagFilter.acceptsGzip("identity")).isFalse();
    }

    @Test
    void healthz_databaseUp_200_down_503() throws Exception {
        Path config = dir.resolve("spor.json");
        try (RunningSpor own = RunningSpor.start(new SporSettings(config, dir.resolve("data-health"), null, null, null, "k"))) {
            assertThat(own.get("/healthz", null).statusCode()).isEqualTo(200);

            own.app().database().close();

            HttpResponse<byte[]> down = own.get("/healthz", null);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(text(down)).isEqualTo("{\"status\":\"unavailable\",\"reason\":\"database unreachable\"}");
        }
    }

    @Test
    void configEdit_whileRunning_newAliasServesAndABrokenEditChangesNothing() throws Exception {
        Path config = dir.resolve("live.json");
        Files.writeString(config, CONFIG);
        try (RunningSpor own = RunningSpor.start(new SporSettings(config, dir.resolve("data-live"), null, null, null, "k"))) {
            assertThat(own.get("/s/shop.js", "u.example.org").statusCode()).isEqualTo(404);

            Files.writeString(config, CONFIG.replace("\"s.example.org\"", "\"u.example.org\""));
            assertThat(eventuallyStatus(own, "u.example.org", 200)).as("new alias served after the edit").isTrue();
            assertThat(own.get("/s/shop.js", "s.example.org").statusCode()).as("removed alias").isEqualTo(404);

            Files.writeString(config, CONFIG.replace("\"opt-in\"", "\"sometimes\""));
            assertThat(eventually(() -> own.app().config().lastReloadFailure().isPresent())).isTrue();
            assertThat(own.get("/s/shop.js", "u.example.org").statusCode()).as("old config still in force").isEqualTo(200);
        }
    }

    private static boolean eventuallyStatus(RunningSpor spor, String host, int status) throws Exception {
        return eventually(() -> {
            try {
                return spor.get("/s/shop.js", host).statusCode() == status;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static byte[] gunzip(byte[] data) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }
}
