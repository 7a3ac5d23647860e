package dev.spor.files;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET} and {@code HEAD /files/{name}} on any host: the stored file with its content
 * type, a strong {@code ETag} (its SHA-256) and {@code Last-Modified} for conditional requests
 * (304), single byte ranges (206, or 416 when unsatisfiable) and a five-minute public cache.
 * Types a browser could run script in (HTML, SVG, XML) are sandboxed downloads. Serving a file
 * records nothing: files are never page views. Thread-safe.
 */
public final class FileServlet extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(FileServlet.class.getName());
    private static final String CACHE = "public, max-age=300";
    private static final int COPY_BUFFER = 64 * 1024;

    private final transient FileStore files;

    public FileServlet(FileStore files) {
        this.files = files;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setHeader("Allow", "GET, HEAD");
            error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed");
            return;
        }
        String path = request.getPathInfo();
        String name = path == null || path.isEmpty() ? "" : path.substring(1);
        Optional<StoredFile> file = FileStore.isValidName(name) ? files.get(name) : Optional.empty();
        if (file.isEmpty()) {
            response.setHeader("Cache-Control", "no-store");
            error(response, HttpServletResponse.SC_NOT_FOUND, "file_not_found");
            return;
        }
        serve(file.get(), request, response, method.equals("HEAD"));
    }

    private void serve(StoredFile file, HttpServletRequest request, HttpServletResponse response, boolean head)
            throws IOException {
        String etag = "\"" + file.sha256() + "\"";
        long lastModified = file.updatedAt().getEpochSecond() * 1000;
        response.setHeader("ETag", etag);
        response.setDateHeader("Last-Modified", lastModified);
        response.setHeader("Cache-Control", CACHE);
        response.setHeader("Accept-Ranges", "bytes");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (notModified(request, etag, lastModified)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        // a range is defined for GET only (RFC 9110 §14.2), and only while If-Range holds
        RangeRequest range = head || !ifRangeHolds(request, etag, lastModified)
                ? new RangeRequest.Whole() : RangeRequest.parse(request.getHeader("Range"), file.size());
        if (range instanceof RangeRequest.Unsatisfiable) {
            // not for a shared cache to hand to requests without this Range
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("Content-Range", "bytes */" + file.size());
            error(response, HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE, "range_not_satisfiable");
            return;
        }
        response.setContentType(file.contentType());
        if (ContentTypes.isActive(file.contentType())) {
            response.setHeader("Content-Security-Policy", "sandbox");
            response.setHeader("Content-Disposition", "attachment; filename=\"" + file.name() + "\"");
        }
        long first = 0;
        long length = file.size();
        if (range instanceof RangeRequest.Part part) {
            first = part.first();
            length = part.length();
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setHeader("Content-Range", "bytes " + part.first() + "-" + part.last() + "/" + file.size());
        }
        response.setContentLengthLong(length);
        if (!head) {
            copy(files.open(file, first, length), response.getOutputStream(), file);
        }
    }

    /** If-None-Match (weak comparison), else If-Modified-Since (RFC 9110 §13.2.2). */
    private static boolean notModified(HttpServletRequest request, String etag, long lastModified) {
        String ifNoneMatch = joined(request, "If-None-Match");
        if (ifNoneMatch != null) {
            return matches(ifNoneMatch, etag);
        }
        long since = date(request, "If-Modified-Since");
        return since >= 0 && lastModified <= since;
    }

    private static boolean ifRangeHolds(HttpServletRequest request, String etag, long lastModified) {
        String ifRange = request.getHeader("If-Range");
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return value.equals(etag);
        }
        return date(request, "If-Range") == lastModified;
    }

    private static boolean matches(String tags, String etag) {
        if (tags.trim().equals("*")) {
            return true;
        }
        for (String tag : tags.split(",")) {
            String candidate = tag.trim();
            if (candidate.startsWith("W/")) {
                candidate = candidate.substring(2);
            }
            if (candidate.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String joined(HttpServletRequest request, String header) {
        var values = Collections.list(request.getHeaders(header));
        return values.isEmpty() ? null : String.join(",", values);
    }

    private static long date(HttpServletRequest request, String header) {
        try {
            return request.getDateHeader(header);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** Copies the content; a client that goes away ends the copy quietly. */
    private static void copy(InputStream content, OutputStream out, StoredFile file) throws IOException {
        try (InputStream in = content) {
            byte[] buffer = new byte[COPY_BUFFER];
            int n;
            while ((n = in.read(buffer)) > 0) {
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    LOG.log(Level.FINE, () -> "client left while downloading file " + file.name() + ": " + e);
                    return;
                }
            }
        }
    }

    private static void error(HttpServletResponse response, int status, String reason) throws IOException {
        byte[] body = ("{\"error\":\"" + reason + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
