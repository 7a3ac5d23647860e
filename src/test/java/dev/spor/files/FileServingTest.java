package dev.spor.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.testing.Http;
import dev.spor.testing.RunningSpor;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /files/{name}} over real HTTP against the real server with the built-in demo. */
class FileServingTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Longer than a chunk, so ranges and whole downloads cross chunk boundaries. */
    private static final byte[] LARGE = FileStoreContract.bytes(FileStore.CHUNK_BYTES + 1000, 42);
    private static final byte[] DIGITS = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    @TempDir
    static Path dir;
    private static RunningSpor spor;
    private static StoredFile large;
    private static StoredFile digits;

    @BeforeAll
    static void start() throws Exception {
        spor = RunningSpor.demo(dir.resolve("data"));
        large = store("large.bin", null, LARGE);
        digits = store("digits.txt", null, DIGITS);
    }

    @AfterAll
    static void stop() throws Exception {
        spor.close();
    }

    private static StoredFile store(String name, String type, byte[] content) throws Exception {
        return spor.app().files().put(name, type, new ByteArrayInputStream(content), FileStore.DEFAULT_MAX_BYTES);
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return Http.get(spor.port(), path, null, headers);
    }

    private static HttpResponse<byte[]> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(spor.url(path))).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void demoFile_isStoredAtBootAndServedAsPdf() throws Exception {
        byte[] pdf;
        try (InputStream in = FileServingTest.class.getResourceAsStream("/dev/spor/demo/price-list.pdf")) {
            pdf = in.readAllBytes();
        }

        HttpResponse<byte[]> response = get("/files/price-list.pdf");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).isEqualTo("application/pdf");
        assertThat(response.body()).isEqualTo(pdf).startsWith("%PDF-".getBytes(StandardCharsets.US_ASCII));
        assertThat(header(response, "ETag")).isEqualTo("\"" + FileStoreContract.sha256(pdf) + "\"");
        assertThat(header(response, "Content-Disposition")).as("a PDF opens in the browser").isNull();
    }

    @Test
    void get_wholeFile_servedWithTypeLengthValidatorsAndCacheHeaders() throws Exception {
        HttpResponse<byte[]> response = get("/files/large.bin");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(LARGE);
        assertThat(header(response, "Content-Type")).isEqualTo("application/octet-stream");
        assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(LARGE.length));
        assertThat(header(response, "ETag")).isEqualTo("\"" + large.sha256() + "\"");
        assertThat(header(response, "Last-Modified"))
                .isEqualTo(HTTP_DATE.format(large.updatedAt()));
        assertThat(header(response, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(header(response, "Cache-Control")).isEqualTo("public, max-age=300");
        assertThat(header(response, "X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void get_contentTypes_storedOrGuessedAreServed() throws Exception {
        store("logo.png", null, new byte[] {1});
        store("table.csv", null, new byte[] {2});
        store("report", "application/vnd.ms-excel", new byte[] {3});

        assertThat(header(get("/files/logo.png"), "Content-Type")).isEqualTo("image/png");
        assertThat(header(get("/files/digits.txt"), "Content-Type")).isEqualToIgnoringWhitespace("text/plain; charset=utf-8");
        assertThat(header(get("/files/table.csv"), "Content-Type")).isEqualToIgnoringWhitespace("text/csv; charset=utf-8");
        assertThat(header(get("/files/report"), "Content-Type")).isEqualTo("application/vnd.ms-excel");
    }

    @Test
    void get_svg_isASandboxedDownloadSoItsScriptCannotRun() throws Exception {
        store("logo.svg", null, "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
                .getBytes(StandardCharsets.UTF_8));
        store("page.html", "text/html; charset=utf-8", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));

        for (String path : new String[] {"/files/logo.svg", "/files/page.html"}) {
            HttpResponse<byte[]> response = get(path);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(header(response, "Content-Security-Policy")).as(path).isEqualTo("sandbox");
            assertThat(header(response, "Content-Disposition")).as(path)
                    .isEqualTo("attachment; filename=\"" + path.substring("/files/".length()) + "\"");
            assertThat(header(response, "X-Content-Type-Options")).isEqualTo("nosniff");
        }
        assertThat(header(get("/files/logo.svg"), "Content-Type")).isEqualTo("image/svg+xml");
        assertThat(header(get("/files/logo.png"), "Content-Security-Policy")).isNull();
    }

    @Test
    void get_ifNoneMatchTheETag_is304WithoutBody() throws Exception {
        String etag = "\"" + digits.sha256() + "\"";

        HttpResponse<byte[]> same = get("/files/digits.txt", "If-None-Match", etag);
        HttpResponse<byte[]> weak = get("/files/digits.txt", "If-None-Match", "\"other\", W/" + etag);
        HttpResponse<byte[]> any = get("/files/digits.txt", "If-None-Match", "*");
        HttpResponse<byte[]> other = get("/files/digits.txt", "If-None-Match", "\"" + large.sha256() + "\"");

        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        assertThat(header(same, "ETag")).isEqualTo(etag);
        assertThat(header(same, "Cache-Control")).isEqualTo("public, max-age=300");
        assertThat(weak.statusCode()).isEqualTo(304);
        assertThat(any.statusCode()).isEqualTo(304);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(DIGITS);
    }

    @Test
    void get_ifModifiedSince_is304WhenNotChangedSince() throws Exception {
        String lastModified = header(get("/files/digits.txt"), "Last-Modified");
        String before = HTTP_DATE.format(digits.updatedAt().minusSeconds(60));

        assertThat(get("/files/digits.txt", "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
        assertThat(get("/files/digits.txt", "If-Modified-Since", before).statusCode()).isEqualTo(200);
        assertThat(get("/files/digits.txt", "If-Modified-Since", "yesterday").statusCode()).isEqualTo(200);
    }

    @Test
    void get_range_is206WithExactlyThoseBytes() throws Exception {
        HttpResponse<byte[]> response = get("/files/digits.txt", "Range", "bytes=2-5");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(text(response)).isEqualTo("2345");
        assertThat(header(response, "Content-Range")).isEqualTo("bytes 2-5/20");
        assertThat(header(response, "Content-Length")).isEqualTo("4");
        assertThat(header(response, "ETag")).isEqualTo("\"" + digits.sha256() + "\"");
    }

    @Test
    void get_suffixAndOpenRanges_areTheLastBytesAndTheRest() throws Exception {
        HttpResponse<byte[]> suffix = get("/files/digits.txt", "Range", "bytes=-3");
        HttpResponse<byte[]> open = get("/files/digits.txt", "Range", "bytes=15-");
        HttpResponse<byte[]> pastTheEnd = get("/files/digits.txt", "Range", "bytes=18-1000");
        HttpResponse<byte[]> longerSuffix = get("/files/digits.txt", "Range", "bytes=-500");

        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(text(suffix)).isEqualTo("hij");
        assertThat(header(suffix, "Content-Range")).isEqualTo("bytes 17-19/20");
        assertThat(text(open)).isEqualTo("fghij");
        assertThat(header(open, "Content-Range")).isEqualTo("bytes 15-19/20");
        assertThat(text(pastTheEnd)).isEqualTo("ij");
        assertThat(header(pastTheEnd, "Content-Range")).isEqualTo("bytes 18-19/20");
        assertThat(text(longerSuffix)).isEqualTo(new String(DIGITS, StandardCharsets.US_ASCII));
        assertThat(header(longerSuffix, "Content-Range")).isEqualTo("bytes 0-19/20");
    }

    @Test
    void get_rangeAcrossAChunkBoundary_isExact() throws Exception {
        int from = FileStore.CHUNK_BYTES - 100;
        HttpResponse<byte[]> response = get("/files/large.bin", "Range", "bytes=" + from + "-" + (from + 199));

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(LARGE, from, from + 200));
        assertThat(header(response, "Content-Range")).isEqualTo("bytes " + from + "-" + (from + 199) + "/" + LARGE.length);
    }

    @Test
    void get_rangeOutsideTheFile_is416WithTheSize() throws Exception {
        for (String range : new String[] {"bytes=20-", "bytes=25-30", "bytes=-0"}) {
            HttpResponse<byte[]> response = get("/files/digits.txt", "Range", range);

            assertThat(response.statusCode()).as(range).isEqualTo(416);
            assertThat(header(response, "Content-Range")).as(range).isEqualTo("bytes */20");
            assertThat(header(response, "Cache-Control")).as(range).isEqualTo("no-store");
            assertThat(text(response)).isEqualTo("{\"error\":\"range_not_satisfiable\"}");
        }
    }

    @Test
    void get_severalRangesOrAMalformedOne_isTheWholeFile() throws Exception {
        for (String range : new String[] {"bytes=0-1,5-6", "bytes=5-2", "bytes=x-", "lines=1-2"}) {
            HttpResponse<byte[]> response = get("/files/digits.txt", "Range", range);

            assertThat(response.statusCode()).as(range).isEqualTo(200);
            assertThat(response.body()).as(range).isEqualTo(DIGITS);
            assertThat(header(response, "Content-Range")).isNull();
        }
    }

    @Test
    void get_ifRange_rangeOnlyWhileTheFileIsUnchanged() throws Exception {
        String etag = "\"" + digits.sha256() + "\"";

        assertThat(get("/files/digits.txt", "Range", "bytes=0-1", "If-Range", etag).statusCode()).isEqualTo(206);
        assertThat(get("/files/digits.txt", "Range", "bytes=0-1", "If-Range", HTTP_DATE.format(digits.updatedAt())).statusCode())
                .isEqualTo(206);
        assertThat(get("/files/digits.txt", "Range", "bytes=0-1", "If-Range", "W/" + etag).statusCode())
                .as("a weak validator never matches").isEqualTo(200);
        HttpResponse<byte[]> changed = get("/files/digits.txt", "Range", "bytes=0-1", "If-Range", "\"older\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(DIGITS);
    }

    @Test
    void head_givesTheHeadersWithoutBody() throws Exception {
        HttpResponse<byte[]> response = send("HEAD", "/files/large.bin");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(LARGE.length));
        assertThat(header(response, "Content-Type")).isEqualTo("application/octet-stream");
        assertThat(header(response, "ETag")).isEqualTo("\"" + large.sha256() + "\"");
        assertThat(header(response, "Accept-Ranges")).isEqualTo("bytes");
    }

    @Test
    void get_unknownOrInvalidName_is404Json() throws Exception {
        for (String path : new String[] {"/files/missing.pdf", "/files/.hidden", "/files/", "/files/a/digits.txt"}) {
            HttpResponse<byte[]> response = get(path);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(header(response, "Content-Type")).as(path).startsWith("application/json");
            assertThat(text(response)).as(path).isEqualTo("{\"error\":\"file_not_found\"}");
        }
    }

    @Test
    void otherMethods_are405_uploadIsNotPublic() throws Exception {
        for (String method : new String[] {"PUT", "POST", "DELETE"}) {
            HttpResponse<byte[]> response = send(method, "/files/digits.txt");

            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(header(response, "Allow")).isEqualTo("GET, HEAD");
        }
        assertThat(get("/files/digits.txt").body()).isEqualTo(DIGITS);
    }

    @Test
    void get_onAnyHost_servesTheFile() throws Exception {
        HttpResponse<byte[]> response = Http.get(spor.port(), "/files/digits.txt", "downloads.example.net");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(DIGITS);
    }
}
