package dev.spor.files;

import java.time.Instant;

/**
 * One hosted file's metadata.
 *
 * @param name the file's name, as in {@code /files/{name}}
 * @param contentType the media type it is served with
 * @param size its length in bytes
 * @param sha256 hex SHA-256 of its content (served as its strong {@code ETag})
 * @param createdAt when a file of this name was first stored
 * @param updatedAt when this content was stored
 */
public record StoredFile(String name, String contentType, long size, String sha256, Instant createdAt,
        Instant updatedAt) {
}
