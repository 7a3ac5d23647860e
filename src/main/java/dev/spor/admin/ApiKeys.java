package dev.spor.admin;

import dev.spor.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * API keys of the site owner's HTTP API. Only a SHA-256 hash of each key is stored (keys are
 * 256 random bits, so a plain hash is enough); lookups compare hashes in constant time.
 * Thread-safe.
 */
public final class ApiKeys {
    private static final String ADMIN_NAME = "admin";
    /**
     * A key's {@code last_used_at} is written when it is used and the stored time is older than
     * this, so a key polled every few seconds (a metrics scraper) costs one write a minute.
     */
    static final java.time.Duration LAST_USED_RESOLUTION = java.time.Duration.ofMinutes(1);

    private final DataSource dataSource;
    private final Clock clock;
    private final SecureRandom random;

    public ApiKeys(DataSource dataSource, Clock clock, SecureRandom random) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Makes sure the admin key exists. A configured key ({@code SPOR_ADMIN_KEY}) replaces any
     * stored admin key; without one, a key is generated on the first start only.
     *
     * @param configured the operator's key, or null
     * @return the newly generated key, to be shown once; empty when none was generated
     */
    public Optional<String> ensureAdminKey(String configured) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<String> generated = ensureAdminKey(c, configured);
                c.commit();
                return generated;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("setting up the admin API key failed: " + e.getMessage(), e);
        }
    }

    private Optional<String> ensureAdminKey(Connection c, String configured) throws SQLException {
        boolean exists;
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM api_keys WHERE is_admin AND name = ?")) {
            s.setString(1, ADMIN_NAME);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                exists = r.getLong(1) > 0;
            }
        }
        if (configured == null && exists) {
            return Optional.empty();
        }
        String key = configured != null ? configured : newKey();
        try (PreparedStatement s = c.prepareStatement("DELETE FROM api_keys WHERE is_admin AND name = ?")) {
            s.setString(1, ADMIN_NAME);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO api_keys (name, key_hash, is_admin, sites, created_at) VALUES (?, ?, TRUE, NULL, ?)")) {
            s.setString(1, ADMIN_NAME);
            s.setString(2, hash(key));
            s.setTimestamp(3, Timestamp.from(clock.instant()));
            s.executeUpdate();
        }
        return configured != null ? Optional.empty() : Optional.of(key);
    }

    /**
     * An authenticated key: its name and the sites it may read.
     *
     * @param name the key's name
     * @param sites site keys it is scoped to; empty means every site
     */
    public record Key(long id, String name, boolean admin, java.util.Set<String> sites) {
        /** Whether this key may read and change the site's data. */
        public boolean allows(String site) {
            return admin || sites.isEmpty() || sites.contains(site);
        }

        /** Whether this key may manage what belongs to no single site: keys, hosted files. */
        public boolean global() {
            return admin || sites.isEmpty();
        }
    }

    /** A stored key as listed: never the key or its hash. */
    public record Listed(long id, String name, boolean admin, java.util.List<String> sites, java.time.Instant createdAt,
            java.time.Instant lastUsedAt) {
    }

    /** Whether {@code presented} is a stored key; never throws for junk input. */
    public boolean isValid(String presented) {
        return authenticate(presented).isPresent();
    }

    /**
     * The stored key that {@code presented} is, compared by hash in constant time against
     * every stored key (so timing tells nothing about which); empty for junk input. A match
     * counts as a use: its {@code last_used_at} is brought up to date when it is older than
     * {@link #LAST_USED_RESOLUTION}.
     */
    public Optional<Key> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 200) {
            return Optional.empty();
        }
        byte[] wanted = hash(presented).getBytes(StandardCharsets.US_ASCII);
        try (Connection c = dataSource.getConnection()) {
            Key found = null;
            Timestamp lastUsed = null;
            try (PreparedStatement s = c.prepareStatement("SELECT key_hash, name, sites, id, is_admin, last_used_at FROM api_keys");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (MessageDigest.isEqual(r.getString(1).getBytes(StandardCharsets.US_ASCII), wanted)) {
                        String sites = r.getString(3);
                        found = new Key(r.getLong(4), r.getString(2), r.getBoolean(5),
                                sites == null || sites.isBlank() ? java.util.Set.of() : java.util.Set.of(sites.split(",")));
                        lastUsed = r.getTimestamp(6);
                    }
                }
            }
            java.time.Instant now = clock.instant();
            if (found != null && (lastUsed == null || lastUsed.toInstant().plus(LAST_USED_RESOLUTION).isBefore(now))) {
                try (PreparedStatement s = c.prepareStatement("UPDATE api_keys SET last_used_at = ? WHERE id = ?")) {
                    s.setTimestamp(1, Timestamp.from(now));
                    s.setLong(2, found.id());
                    s.executeUpdate();
                }
            }
            return Optional.ofNullable(found);
        } catch (SQLException e) {
            throw new StorageException("checking an API key failed: " + e.getMessage(), e);
        }
    }

    /**
     * Creates a key scoped to sites (empty: every site) and returns it; only its hash is kept,
     * so this is the one time it can be shown.
     */
    public String create(String name, java.util.List<String> sites) {
        String key = newKey();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO api_keys (name, key_hash, is_admin, sites, created_at) VALUES (?, ?, FALSE, ?, ?)")) {
            s.setString(1, name);
            s.setString(2, hash(key));
            s.setString(3, sites.isEmpty() ? null : String.join(",", sites));
            s.setTimestamp(4, Timestamp.from(clock.instant()));
            s.executeUpdate();
            return key;
        } catch (SQLException e) {
            throw new StorageException("creating an API key failed: " + e.getMessage(), e);
        }
    }

    /** Every key, oldest first, without secrets. */
    public java.util.List<Listed> list() {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT id, name, is_admin, sites, created_at, last_used_at FROM api_keys ORDER BY id");
                ResultSet r = s.executeQuery()) {
            java.util.List<Listed> keys = new java.util.ArrayList<>();
            while (r.next()) {
                String sites = r.getString(4);
                Timestamp used = r.getTimestamp(6);
                keys.add(new Listed(r.getLong(1), r.getString(2), r.getBoolean(3),
                        sites == null ? java.util.List.of() : java.util.List.of(sites.split(",")), r.getTimestamp(5).toInstant(),
                        used == null ? null : used.toInstant()));
            }
            return keys;
        } catch (SQLException e) {
            throw new StorageException("listing API keys failed: " + e.getMessage(), e);
        }
    }

    /** Deletes a key that is not the admin key; false when there is no such (non-admin) key. */
    public boolean delete(long id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM api_keys WHERE id = ? AND NOT is_admin")) {
            s.setLong(1, id);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StorageException("deleting an API key failed: " + e.getMessage(), e);
        }
    }

    private String newKey() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "spor_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
