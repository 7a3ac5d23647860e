package dev.spor.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The identity rules of SPEC §3, applied inside the caller's transaction. Given an email, the
 * tracking cookie it came with (if the visitor consented) and whether the form always creates
 * a new contact:
 * <ol>
 *   <li>a contact already has the email: it is that contact, and the cookie is linked to it;
 *   <li>else, unless new contacts are forced, a cookie linked to contact X: the email becomes
 *       X's primary email, the old one stays one of X's emails;
 *   <li>else a new contact with the email, and the cookie is linked to it (relinked, from now
 *       on, when it was linked to another).
 * </ol>
 * The visitor's row is locked first, so two changes about one browser run one after the other.
 * Nothing is ever overwritten without a history row. Stateless; thread-safe.
 */
final class IdentityRules {
    static final ObjectMapper MAPPER = dev.spor.admin.ApiJson.MAPPER;
    /** Longest properties JSON a contact holds. */
    static final int MAX_PROPERTIES = 40_000;
    private static final Logger LOG = Logger.getLogger(IdentityRules.class.getName());

    /** How an identification was resolved. */
    enum Resolution {
        /** Rule 1: the email was a contact's already. */
        EXISTING,
        /** Rule 2: the cookie's contact took the email as its primary. */
        NEW_PRIMARY_EMAIL,
        /** Rule 3: a new contact. */
        CREATED
    }

    /**
     * One identification: a form submission, an identify, an import row or an email link.
     *
     * @param site site key
     * @param email trimmed, lower-cased address
     * @param visitorId the consented tracking cookie, or null
     * @param alwaysCreateNewContact the form's kiosk switch
     * @param properties properties to merge into the contact, may be null
     * @param source what the email came from (stored with it)
     * @param at when
     */
    record Identification(String site, String email, String visitorId, boolean alwaysCreateNewContact,
            ObjectNode properties, String source, Instant at) {
    }

    /**
     * What happened.
     *
     * @param contactId the contact the identification went to
     * @param resolution which rule applied
     */
    record Outcome(long contactId, Resolution resolution) {
    }

    private IdentityRules() {
    }

    static Outcome apply(Connection c, Identification id) throws SQLException {
        Long linked = null;
        boolean visitor = id.visitorId() != null && lockVisitor(c, id.site(), id.visitorId(), id.at());
        if (visitor) {
            linked = linkedContact(c, id.visitorId());
        }
        Long existing = contactOf(c, id.site(), id.email());
        Outcome outcome;
        if (existing != null) {
            outcome = new Outcome(existing, Resolution.EXISTING);
        } else if (!id.alwaysCreateNewContact() && linked != null) {
            addPrimaryEmail(c, id, linked);
            outcome = new Outcome(linked, Resolution.NEW_PRIMARY_EMAIL);
        } else {
            outcome = new Outcome(create(c, id), Resolution.CREATED);
        }
        if (outcome.resolution() != Resolution.CREATED) {
            mergeProperties(c, id.site(), outcome.contactId(), id.properties(), id.at());
        }
        if (visitor) {
            link(c, id.site(), id.visitorId(), outcome.contactId(), linked, id.at());
        }
        return outcome;
    }

    /** The contact that has {@code email} (any of its emails), or null. */
    static Long contactOf(Connection c, String site, String email) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT contact_id FROM contact_emails WHERE site = ? AND email = ?")) {
            s.setString(1, site);
            s.setString(2, email);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : null;
            }
        }
    }

    /** Creates the visitor if it is new and locks its row; false when the id is another site's. */
    static boolean lockVisitor(Connection c, String site, String visitorId, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO visitors (id, site, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            s.setString(1, visitorId);
            s.setString(2, site);
            s.setTimestamp(3, Timestamp.from(at));
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("SELECT site FROM visitors WHERE id = ? FOR UPDATE")) {
            s.setString(1, visitorId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && site.equals(r.getString(1));
            }
        }
    }

    static Long linkedContact(Connection c, String visitorId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT contact_id FROM visitors WHERE id = ?")) {
            s.setString(1, visitorId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                long id = r.getLong(1);
                return r.wasNull() ? null : id;
            }
        }
    }

    private static long create(Connection c, Identification id) throws SQLException {
        long contact;
        String properties = id.properties() == null || id.properties().isEmpty() ? null : id.properties().toString();
        if (properties != null && properties.length() > MAX_PROPERTIES) {
            LOG.warning(() -> "site " + id.site() + ": a new contact gets no properties: they exceed " + MAX_PROPERTIES
                    + " characters");
            properties = null;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO contacts (site, primary_email, properties, created_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, id.site());
            s.setString(2, id.email());
            s.setString(3, properties);
            s.setTimestamp(4, Timestamp.from(id.at()));
            s.setTimestamp(5, Timestamp.from(id.at()));
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                contact = keys.getLong(1);
            }
        }
        addEmail(c, id.site(), contact, id.email(), id.source(), id.at());
        ObjectNode created = MAPPER.createObjectNode().put("email", id.email()).put("source", id.source());
        if (properties != null) {
            created.set("properties", id.properties());
        }
        history(c, id.site(), contact, "created", created.toString(), id.at());
        return contact;
    }

    private static void addEmail(Connection c, String site, long contact, String email, String source, Instant at)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO contact_emails (site, email, contact_id, source, added_at) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, site);
            s.setString(2, email);
            s.setLong(3, contact);
            s.setString(4, source);
            s.setTimestamp(5, Timestamp.from(at));
            s.executeUpdate();
        }
    }

    private static void addPrimaryEmail(Connection c, Identification id, long contact) throws SQLException {
        String old;
        try (PreparedStatement s = c.prepareStatement("SELECT primary_email FROM contacts WHERE id = ? FOR UPDATE")) {
            s.setLong(1, contact);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                old = r.getString(1);
            }
        }
        addEmail(c, id.site(), contact, id.email(), id.source(), id.at());
        try (PreparedStatement s = c.prepareStatement("UPDATE contacts SET primary_email = ?, updated_at = ? WHERE id = ?")) {
            s.setString(1, id.email());
            s.setTimestamp(2, Timestamp.from(id.at()));
            s.setLong(3, contact);
            s.executeUpdate();
        }
        history(c, id.site(), contact, "primary-email", json("old", old, "new", id.email(), "source", id.source()), id.at());
    }

    /**
     * Merges properties into the contact's (a value given wins); the old values go to the
     * history. Returns whether anything changed.
     */
    static boolean mergeProperties(Connection c, String site, long contact, ObjectNode given, Instant at) throws SQLException {
        if (given == null || given.isEmpty()) {
            return false;
        }
        String stored;
        try (PreparedStatement s = c.prepareStatement("SELECT properties FROM contacts WHERE id = ? FOR UPDATE")) {
            s.setLong(1, contact);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                stored = r.getString(1);
            }
        }
        ObjectNode merged = parse(stored);
        ObjectNode before = MAPPER.createObjectNode();
        ObjectNode after = MAPPER.createObjectNode();
        for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> field : given.properties()) {
            if (!field.getValue().equals(merged.get(field.getKey()))) {
                before.set(field.getKey(), merged.get(field.getKey()));
                after.set(field.getKey(), field.getValue());
                merged.set(field.getKey(), field.getValue());
            }
        }
        if (after.isEmpty()) {
            return false;
        }
        String text = merged.toString();
        if (text.length() > MAX_PROPERTIES) {
            LOG.warning(() -> "site " + site + ": contact " + contact + " keeps its properties: merged they would exceed "
                    + MAX_PROPERTIES + " characters");
            return false;
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE contacts SET properties = ?, updated_at = ? WHERE id = ?")) {
            s.setString(1, text);
            s.setTimestamp(2, Timestamp.from(at));
            s.setLong(3, contact);
            s.executeUpdate();
        }
        ObjectNode detail = MAPPER.createObjectNode();
        detail.set("old", before);
        detail.set("new", after);
        history(c, site, contact, "properties", detail.toString(), at);
        return true;
    }

    /**
     * Links the visitor to the contact. A first link takes all of the visitor's earlier page
     * views with it; a relink ends the old link now, and the new one counts from now on.
     */
    static void link(Connection c, String site, String visitorId, long contact, Long previous, Instant at)
            throws SQLException {
        if (previous != null && previous == contact) {
            return;
        }
        if (previous != null) {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE visitor_links SET valid_to = ? WHERE visitor_id = ? AND valid_to IS NULL")) {
                s.setTimestamp(1, Timestamp.from(at));
                s.setString(2, visitorId);
                s.executeUpdate();
            }
            history(c, site, previous, "visitor-unlinked", json("visitor", visitorId, "to", Long.toString(contact)), at);
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO visitor_links (site, visitor_id, contact_id, valid_from,"
                + " valid_to, linked_at) VALUES (?, ?, ?, ?, NULL, ?)")) {
            s.setString(1, site);
            s.setString(2, visitorId);
            s.setLong(3, contact);
            s.setTimestamp(4, previous == null ? null : Timestamp.from(at));
            s.setTimestamp(5, Timestamp.from(at));
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE visitors SET contact_id = ? WHERE id = ?")) {
            s.setLong(1, contact);
            s.setString(2, visitorId);
            s.executeUpdate();
        }
        history(c, site, contact, "visitor-linked", json("visitor", visitorId), at);
    }

    static void history(Connection c, String site, long contact, String change, String detail, Instant at)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO contact_history (site, contact_id, change, detail, changed_at) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, site);
            s.setLong(2, contact);
            s.setString(3, change);
            s.setString(4, detail);
            s.setTimestamp(5, Timestamp.from(at));
            s.executeUpdate();
        }
    }

    /** Stored properties as an object; junk (never written by Spor) reads as none. */
    static ObjectNode parse(String json) {
        if (json == null) {
            return MAPPER.createObjectNode();
        }
        try {
            return MAPPER.readTree(json) instanceof ObjectNode object ? object : MAPPER.createObjectNode();
        } catch (JsonProcessingException e) {
            return MAPPER.createObjectNode();
        }
    }

    /** A small JSON object of string pairs: name, value, name, value ... */
    static String json(String... pairs) {
        ObjectNode node = MAPPER.createObjectNode();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            node.put(pairs[i], pairs[i + 1]);
        }
        return node.toString();
    }
}
