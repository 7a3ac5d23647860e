package dev.spor.files;

import dev.spor.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The site owner's hosted files, kept in the database so that every node and both deployments
 * see the same files. Thread-safe.
 *
 * <p>Content is stored in chunks of at most {@value #CHUNK_BYTES} bytes, so memory stays
 * bounded whatever the file size: an upload holds one chunk at a time, and {@link #open} reads
 * one chunk at a time, each with a short query of its own, so no connection is held while a
 * slow client downloads. An upload is one transaction, holding one connection while its content
 * arrives: a reader sees the old content or the new one, never a mix; uploads of the same name
 * wait for each other; a failed or over-limit upload leaves nothing behind.
 */
public final class FileStore {
    /** The usual upload limit: 50 MiB. */
    public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;
    static final int CHUNK_BYTES = 256 * 1024;

    private static final String COLUMNS = "name, content_type, size, sha256, created_at, updated_at";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM files";
    private static final String CLAIM = "INSERT INTO files (" + COLUMNS + ") VALUES (?, ?, 0, '', ?, ?)"
            + " ON CONFLICT DO NOTHING";
    private static final String LOCK = "SELECT created_at FROM files WHERE name = ? FOR UPDATE";
    private static final String CLEAR = "DELETE FROM file_chunks WHERE name = ?";
    private static final String ADD_CHUNK = "INSERT INTO file_chunks (name, position, content) VALUES (?, ?, ?)";
    private static final String COMPLETE = "UPDATE files SET content_type = ?, size = ?, sha256 = ?, updated_at = ?"
            + " WHERE name = ?";
    private static final String DELETE = "DELETE FROM files WHERE name = ?";
    // the chunk holding a byte, only while the file still has the content being read
    private static final String CHUNK_AT = "SELECT c.position, c.content FROM file_chunks c JOIN files f ON f.name = c.name"
            + " WHERE c.name = ? AND f.sha256 = ? AND c.position <= ? ORDER BY c.position DESC FETCH FIRST 1 ROWS ONLY";
    private static final int CLAIM_ATTEMPTS = 3;

    private final DataSource dataSource;
    private final Clock clock;

    public FileStore(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether {@code name} is a valid file name (see {@link #put}). */
    public static boolean isValidName(String name) {
        return FileNames.isValid(name);
    }

    /**
     * Stores a file, replacing any file of that name atomically. The content is read to its
     * end, one chunk at a time.
     *
     * @param name 1 to 200 of {@code A-Z a-z 0-9 . _ -}, not starting with a dot, without {@code ..}
     * @param contentType a media type such as {@code application/pdf}, or null to guess it from
     *     the name's extension ({@code application/octet-stream} when unknown)
     * @param maxBytes the largest size accepted, e.g. {@link #DEFAULT_MAX_BYTES}
     * @return what was stored
     * @throws IllegalArgumentException for an invalid name, content type or limit
     * @throws FileTooLargeException when the content is longer than {@code maxBytes}; nothing
     *     was stored and a file it would have replaced is unchanged
     * @throws IOException when reading the content fails; nothing was stored
     * @throws StorageException when the database fails; nothing was stored
     */
    public StoredFile put(String name, String contentType, InputStream content, long maxBytes) throws IOException {
        return store(name, contentType, content, maxBytes, true).orElseThrow();
    }

    /**
     * Stores a file unless one of that name exists; decided atomically, so an operator's file
     * is never overwritten. Arguments and failures as for {@link #put}.
     *
     * @return what was stored, or empty when a file of that name exists (the content is not read)
     */
    public Optional<StoredFile> putIfAbsent(String name, String contentType, InputStream content, long maxBytes)
            throws IOException {
        return store(name, contentType, content, maxBytes, false);
    }

    /**
     * The file's metadata, or empty when there is none of that name.
     *
     * @throws IllegalArgumentException for an invalid name (see {@link #isValidName})
     */
    public Optional<StoredFile> get(String name) {
        FileNames.check(name);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(SELECT + " WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StorageException("reading file " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** Every file's metadata, by name. */
    public List<StoredFile> list() {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(SELECT + " ORDER BY name");
                ResultSet r = s.executeQuery()) {
            List<StoredFile> files = new ArrayList<>();
            while (r.next()) {
                files.add(read(r));
            }
            return files;
        } catch (SQLException e) {
            throw new StorageException("listing files failed: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the file and its content; returns whether there was one.
     *
     * @throws IllegalArgumentException for an invalid name (see {@link #isValidName})
     */
    public boolean delete(String name) {
        FileNames.check(name);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(DELETE)) {
            s.setString(1, name);
            return s.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StorageException("deleting file " + name + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The bytes {@code offset} to {@code offset + length - 1} of the file as {@code file}
     * describes it. The stream reads one chunk at a time as it is consumed and is not
     * thread-safe. When the file is replaced or deleted while it is being read, the next chunk
     * read fails with an {@link IOException} rather than mixing two contents.
     *
     * @throws IllegalArgumentException when the range is not within the file
     */
    public InputStream open(StoredFile file, long offset, long length) {
        if (offset < 0 || length < 0 || offset > file.size() - length) {
            throw new IllegalArgumentException("bytes " + offset + " to " + (offset + length - 1) + " are not within file "
                    + file.name() + " of " + file.size() + " bytes");
        }
        return new ChunkedContent(this, file, offset, offset + length);
    }

    /** A piece of a file's content, starting at byte {@code position}. */
    record Chunk(long position, byte[] content) {
    }

    /** The chunk holding byte {@code offset} of the content {@code file} describes. */
    Chunk chunkAt(StoredFile file, long offset) throws IOException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(CHUNK_AT)) {
            s.setString(1, file.name());
            s.setString(2, file.sha256());
            s.setLong(3, offset);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    Chunk chunk = new Chunk(r.getLong(1), r.getBytes(2));
                    if (offset < chunk.position() + chunk.content().length) {
                        return chunk;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("reading file " + file.name() + " failed: " + e.getMessage(), e);
        }
        throw new IOException("file " + file.name() + " was replaced or deleted while it was being read");
    }

    private Optional<StoredFile> store(String name, String contentType, InputStream content, long maxBytes, boolean replace)
            throws IOException {
        FileNames.check(name);
        String type = ContentTypes.checkOrGuess(contentType, name);
        Objects.requireNonNull(content, "content");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<StoredFile> stored = store(c, name, type, content, maxBytes, replace, now);
                if (stored.isPresent()) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return stored;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("storing file " + name + " failed: " + e.getMessage(), e);
        }
    }

    private static Optional<StoredFile> store(Connection c, String name, String type, InputStream content, long maxBytes,
            boolean replace, Instant now) throws SQLException, IOException {
        Optional<Instant> createdAt = claim(c, name, type, now, replace);
        if (createdAt.isEmpty()) {
            return Optional.empty();
        }
        try (PreparedStatement s = c.prepareStatement(CLEAR)) {
            s.setString(1, name);
            s.executeUpdate();
        }
        StoredFile file = writeChunks(c, name, content, maxBytes, type, createdAt.get(), now);
        try (PreparedStatement s = c.prepareStatement(COMPLETE)) {
            s.setString(1, file.contentType());
            s.setLong(2, file.size());
            s.setString(3, file.sha256());
            s.setTimestamp(4, Timestamp.from(now));
            s.setString(5, name);
            s.executeUpdate();
        }
        return Optional.of(file);
    }

    /**
     * Makes this transaction the only writer of the name: inserts its row, or locks the existing
     * one (other uploads of the name wait until this one ends).
     *
     * @return when the name was first stored; empty when it exists and must not be replaced
     */
    private static Optional<Instant> claim(Connection c, String name, String type, Instant now, boolean replace)
            throws SQLException {
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            try (PreparedStatement s = c.prepareStatement(CLAIM)) {
                s.setString(1, name);
                s.setString(2, type);
                s.setTimestamp(3, Timestamp.from(now));
                s.setTimestamp(4, Timestamp.from(now));
                if (s.executeUpdate() == 1) {
                    return Optional.of(now);
                }
            }
            if (!replace) {
                return Optional.empty();
            }
            try (PreparedStatement s = c.prepareStatement(LOCK)) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return Optional.of(r.getTimestamp(1).toInstant());
                    }
                }
            }
            // deleted between the insert and the lock: claim it again
        }
        throw new SQLException("file " + name + " kept changing under concurrent uploads");
    }

    private static StoredFile writeChunks(Connection c, String name, InputStream content, long maxBytes, String type,
            Instant createdAt, Instant now) throws SQLException, IOException {
        MessageDigest sha256 = sha256();
        byte[] buffer = new byte[CHUNK_BYTES];
        long size = 0;
        try (PreparedStatement s = c.prepareStatement(ADD_CHUNK)) {
            while (true) {
                long allowed = maxBytes - size;
                // one byte more than allowed tells an over-limit upload from one exactly at the limit
                int wanted = allowed < buffer.length ? (int) allowed + 1 : buffer.length;
                int n = content.readNBytes(buffer, 0, wanted);
                if (n > allowed) {
                    throw new FileTooLargeException(name, maxBytes);
                }
                if (n > 0) {
                    sha256.update(buffer, 0, n);
                    s.setString(1, name);
                    s.setLong(2, size);
                    s.setBytes(3, Arrays.copyOf(buffer, n));
                    s.executeUpdate();
                    size += n;
                }
                if (n < wanted) {
                    break;
                }
            }
        }
        return new StoredFile(name, type, size, HexFormat.of().formatHex(sha256.digest()), createdAt, now);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static StoredFile read(ResultSet r) throws SQLException {
        return new StoredFile(r.getString(1), r.getString(2), r.getLong(3), r.getString(4), r.getTimestamp(5).toInstant(),
                r.getTimestamp(6).toInstant());
    }
}
