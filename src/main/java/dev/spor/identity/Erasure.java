package dev.spor.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * GDPR erasure of one contact, in one transaction: the contact with its emails, history,
 * submissions and email clicks; every visitor (tracking cookie) ever linked to it, with their
 * page views, events and token uses; identifies that named one of its emails. The consent log
 * keeps its rows (the site owner's proof of consent) but loses the link to the person: their
 * visitor ids are cleared. Visitors who were only "possibly" the contact are not the person's
 * for sure: they keep their anonymous history and lose the "possibly" mark.
 */
final class Erasure {
    private Erasure() {
    }

    /** Erases the contact; false when the site has no such contact. */
    static boolean erase(Connection c, String site, long contact) throws SQLException {
        if (!exists(c, site, contact)) {
            return false;
        }
        List<String> visitors = strings(c, "SELECT DISTINCT visitor_id FROM visitor_links WHERE contact_id = ?"
                + " UNION SELECT id FROM visitors WHERE contact_id = ?", contact, contact);
        List<String> emails = strings(c, "SELECT email FROM contact_emails WHERE contact_id = ?", contact);
        for (String visitor : visitors) {
            update(c, "UPDATE consent_log SET visitor_id = NULL WHERE site = ? AND visitor_id = ?", site, visitor);
            update(c, "DELETE FROM email_token_uses WHERE site = ? AND visitor_id = ?", site, visitor);
            update(c, "DELETE FROM page_views WHERE id IN (SELECT id FROM visitor_page_views WHERE site = ? AND visitor_id = ?)",
                    site, visitor);
            update(c, "DELETE FROM events WHERE site = ? AND visitor_id = ?", site, visitor);
            update(c, "DELETE FROM visitors WHERE site = ? AND id = ?", site, visitor);
        }
        for (String email : emails) {
            update(c, "DELETE FROM events WHERE site = ? AND type = 'identify' AND name = ?", site, email);
        }
        // a token's id begins with its contact's id in base 36
        update(c, "DELETE FROM email_token_uses WHERE site = ? AND token_id LIKE ?", site, Long.toString(contact, 36) + ".%");
        update(c, "DELETE FROM contacts WHERE site = ? AND id = ?", site, contact);
        return true;
    }

    private static boolean exists(Connection c, String site, long contact) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM contacts WHERE site = ? AND id = ? FOR UPDATE")) {
            s.setString(1, site);
            s.setLong(2, contact);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static List<String> strings(Connection c, String sql, long... parameters) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setLong(i + 1, parameters[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    values.add(r.getString(1));
                }
            }
        }
        return values;
    }

    private static void update(Connection c, String sql, String site, Object value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, site);
            s.setObject(2, value);
            s.executeUpdate();
        }
    }
}
