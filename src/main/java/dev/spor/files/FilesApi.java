package dev.spor.files;

import dev.spor.admin.ApiEndpoints;
import dev.spor.admin.ApiException;
import dev.spor.admin.ApiJson;
import dev.spor.admin.ApiRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Hosted files in the site owner's API: {@code PUT /files/{name}} (the body is the content,
 * {@code Content-Type} its type; replaces a file of that name), {@code GET /files} (the list),
 * {@code DELETE /files/{name}}. Files are served to everyone at {@code /files/{name}} on any
 * host and belong to no single site, so only a key of every site manages them. Never page views.
 */
public final class FilesApi implements ApiEndpoints {
    private final FileStore files;
    private final long maxBytes;

    public FilesApi(FileStore files, long maxBytes) {
        this.files = files;
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean handle(ApiRequest call, HttpServletResponse response) throws IOException, ApiException {
        String path = call.path();
        if (!path.equals("/files") && !path.startsWith("/files/")) {
            return false;
        }
        if (!call.key().global()) {
            throw new ApiException(403, "only a key of every site manages hosted files");
        }
        if (path.equals("/files")) {
            call.allow("GET");
            ApiJson.send(response, 200, ApiJson.MAPPER.createObjectNode().putPOJO("files", files.list()));
            return true;
        }
        String name = path.substring("/files/".length());
        if (!FileStore.isValidName(name)) {
            throw ApiException.bad("name must be 1 to 200 of A-Z a-z 0-9 . _ -, not starting with a dot, without \"..\"");
        }
        call.allow("PUT, DELETE");
        if (call.method().equals("DELETE")) {
            if (!files.delete(name)) {
                throw ApiException.notFound("no file " + ApiRequest.quote(name));
            }
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return true;
        }
        if (call.http().getContentLengthLong() > maxBytes) {
            throw new ApiException(413, "files are at most " + maxBytes + " bytes");
        }
        String type = call.http().getContentType();
        try {
            StoredFile stored = files.put(name, type == null || type.isBlank() ? null : type, call.http().getInputStream(),
                    maxBytes);
            ApiJson.send(response, 201, stored);
            return true;
        } catch (FileTooLargeException e) {
            throw new ApiException(413, "files are at most " + e.maxBytes() + " bytes");
        } catch (IllegalArgumentException e) {
            throw ApiException.bad(e.getMessage());
        }
    }
}
