package dev.spor.console;

import dev.spor.tag.TagFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The console's script and styles at {@code /console/assets/console.js} and
 * {@code /console/assets/console.css}, as built by tag-js (esbuild, with uPlot bundled in), read
 * once from the classpath and kept in plain and gzip form. They carry a strong ETag and
 * {@code Cache-Control: no-cache}: the console's HTML is a static file that names them without a
 * version, so browsers revalidate (a 304 costs a few bytes) rather than run a stale console
 * after an upgrade. Immutable and thread-safe.
 */
public final class ConsoleAssets extends HttpServlet {
    private static final String DIR = "dev/spor/tag/js/";

    private final transient Map<String, Asset> assets;

    private ConsoleAssets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    /** Reads the built console; fails when the build did not produce it. */
    public static ConsoleAssets fromClasspath() {
        return new ConsoleAssets(Map.of(
                "/console.js", Asset.of(read("console.js"), "text/javascript; charset=utf-8"),
                "/console.css", Asset.of(read("console.css"), "text/css; charset=utf-8")));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Asset asset = request.getPathInfo() == null ? null : assets.get(request.getPathInfo());
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (asset == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        boolean gzip = TagFilter.acceptsGzip(request.getHeader("Accept-Encoding"));
        String etag = asset.etag(gzip);
        response.setHeader("ETag", etag);
        response.setHeader("Vary", "Accept-Encoding");
        response.setHeader("Cache-Control", "no-cache");
        if (TagFilter.matches(request.getHeader("If-None-Match"), etag)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        byte[] body = gzip ? asset.gzip() : asset.plain();
        response.setContentType(asset.contentType());
        if (gzip) {
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentLength(body.length);
        if (!request.getMethod().equals("HEAD")) {
            response.getOutputStream().write(body);
        }
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException(DIR + name + " is missing from the build (tag-js not built?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DIR + name, e);
        }
    }

    /** One built file: its bytes, gzipped bytes, a hash of its content and its type. */
    private record Asset(byte[] plain, byte[] gzip, String version, String contentType) {
        static Asset of(byte[] plain, String contentType) {
            return new Asset(plain, gzip(plain), sha256(plain).substring(0, 20), contentType);
        }

        /** A strong ETag per encoding (the gzip bytes are another representation). */
        String etag(boolean gzipped) {
            return "\"" + version + (gzipped ? "-gz" : "") + "\"";
        }

        private static byte[] gzip(byte[] plain) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 3);
            try (GZIPOutputStream zip = new GZIPOutputStream(out) {
                {
                    def.setLevel(Deflater.BEST_COMPRESSION);
                }
            }) {
                zip.write(plain);
            } catch (IOException e) {
                throw new IllegalStateException("cannot gzip in memory", e);
            }
            return out.toByteArray();
        }

        private static String sha256(byte[] bytes) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }
    }
}
