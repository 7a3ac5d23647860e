package dev.spor.storage;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import javax.sql.DataSource;

/**
 * Server secrets (cookie signing key, IP-hash salt) generated on first use and kept in the
 * database, so every node sharing it signs and verifies alike. Thread-safe.
 */
public final class Secrets {
    private final DataSource dataSource;
    private final SecureRandom random;

    public Secrets(DataSource dataSource, SecureRandom random) {
        this.dataSource = dataSource;
        this.random = random;
    }

    /** The secret of that name: 256 random bits, base64url; created the first time it is asked for. */
    public String get(String name) {
        try (Connection c = dataSource.getConnection()) {
            String existing = read(c, name);
            if (existing != null) {
                return existing;
            }
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO secrets (name, secret, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, name);
                s.setString(2, fresh);
                s.setTimestamp(3, Timestamp.from(Instant.now()));
                s.executeUpdate();
            }
            // another node may have won the race: everyone uses the stored one
            return read(c, name);
        } catch (SQLException e) {
            throw new StorageException("reading secret " + name + " failed: " + e.getMessage(), e);
        }
    }

    private static String read(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT secret FROM secrets WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }
}
