package dev.spor.identity;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.spor.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads contacts and what belongs to them: emails, visitors, page views (those of linked
 * visitors while they were linked), "possibly this contact" page views, form submissions,
 * email clicks and history. Every read is scoped by site. Thread-safe.
 */
public final class Contacts {
    private final DataSource dataSource;

    public Contacts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A contact.
     *
     * @param id its id
     * @param site site key
     * @param primaryEmail the email it is known by now
     * @param emails every email it has been known by, oldest first (the primary among them)
     * @param properties flat properties as JSON text, or null
     * @param visitors tracking cookies linked to it now
     * @param createdAt when it was created
     * @param updatedAt when it last changed
     */
    public record Contact(long id, String site, String primaryEmail, List<String> emails, @JsonRawValue String properties,
            List<String> visitors, Instant createdAt, Instant updatedAt) {
    }

    /** A page view shown on a contact: its visitor, path, URL, title and time. */
    public record ContactPageView(String visitorId, String url, String path, String title, Instant viewedAt) {
    }

    /** A form submission: event id, form, email, fields as JSON text, visitor (or null), source, time. */
    public record Submission(String eventId, String formId, String email, @JsonRawValue String fields, String visitorId,
            String source, Instant submittedAt) {
    }

    /** A marketing-email click: send id, visitor (or null), URL, outcome, time. */
    public record Click(String sendId, String visitorId, String url, String outcome, Instant clickedAt) {
    }

    /** One change to a contact: what changed, details as JSON text, when. */
    public record Change(String change, @JsonRawValue String detail, Instant changedAt) {
    }

    public Optional<Contact> byEmail(String site, String email) {
        Optional<String> normalized = Emails.normalize(email);
        if (normalized.isEmpty()) {
            return Optional.empty();
        }
        return read(c -> {
            Long id = IdentityRules.contactOf(c, site, normalized.get());
            return id == null ? Optional.<Contact>empty() : load(c, site, id);
        });
    }

    public Optional<Contact> byId(String site, long id) {
        return read(c -> load(c, site, id));
    }

    /** The contact a visitor is linked to now, if any. */
    public Optional<Contact> ofVisitor(String site, String visitorId) {
        return read(c -> {
            Long id = IdentityRules.linkedContact(c, visitorId);
            return id == null ? Optional.<Contact>empty() : load(c, site, id);
        });
    }

    /** Page views of the visitors linked to the contact, each while it was linked; oldest first. */
    public List<ContactPageView> pageViews(String site, long contactId) {
        return views("SELECT v.visitor_id, v.url, v.path, v.title, v.viewed_at FROM visitor_page_views v"
                + " JOIN visitor_links l ON l.visitor_id = v.visitor_id"
                + " WHERE l.site = ? AND l.contact_id = ? AND (l.valid_from IS NULL OR v.viewed_at >= l.valid_from)"
                + " AND (l.valid_to IS NULL OR v.viewed_at < l.valid_to) ORDER BY v.viewed_at, v.id", site, contactId);
    }

    /** Page views of visitors who are only possibly the contact (a forwarded email link); oldest first. */
    public List<ContactPageView> possiblePageViews(String site, long contactId) {
        return views("SELECT v.visitor_id, v.url, v.path, v.title, v.viewed_at FROM visitor_page_views v"
                + " JOIN possible_contacts p ON p.visitor_id = v.visitor_id"
                + " WHERE p.site = ? AND p.contact_id = ? ORDER BY v.viewed_at, v.id", site, contactId);
    }

    public List<Submission> submissions(String site, long contactId) {
        return list("SELECT event_id, form_id, email, fields, visitor_id, source, submitted_at FROM form_submissions"
                + " WHERE site = ? AND contact_id = ? ORDER BY submitted_at, id", site, contactId,
                r -> new Submission(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                        r.getString(6), r.getTimestamp(7).toInstant()));
    }

    public List<Click> clicks(String site, long contactId) {
        return list("SELECT send_id, visitor_id, url, outcome, clicked_at FROM email_clicks"
                + " WHERE site = ? AND contact_id = ? ORDER BY clicked_at, id", site, contactId,
                r -> new Click(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getTimestamp(5).toInstant()));
    }

    public List<Change> history(String site, long contactId) {
        return list("SELECT change, detail, changed_at FROM contact_history WHERE site = ? AND contact_id = ?"
                + " ORDER BY changed_at, id", site, contactId,
                r -> new Change(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant()));
    }

    /**
     * One entry of a contact's timeline.
     *
     * @param type page-view, possible-page-view, form-submission, email-click, event,
     *     download, identity-change or consent
     * @param at when
     * @param visitorId the tracking cookie it concerns, or null
     * @param summary a short description (path, form, send, change, action)
     * @param details more, as JSON text, or null
     */
    public record TimelineItem(String type, Instant at, String visitorId, String summary, @JsonRawValue String details) {
    }

    /** Events (custom events and downloads) of linked visitors while linked; oldest first. */
    public List<TimelineItem> events(String site, long contactId) {
        return list("SELECT e.type, e.occurred_at, e.visitor_id, e.name, e.properties FROM events e"
                + " JOIN visitor_links l ON l.visitor_id = e.visitor_id"
                + " WHERE l.site = ? AND l.contact_id = ? AND e.type IN ('event', 'download')"
                + " AND (l.valid_from IS NULL OR e.occurred_at >= l.valid_from)"
                + " AND (l.valid_to IS NULL OR e.occurred_at < l.valid_to) ORDER BY e.occurred_at, e.id", site, contactId,
                r -> new TimelineItem(r.getString(1), r.getTimestamp(2).toInstant(), r.getString(3), r.getString(4),
                        r.getString(5)));
    }

    /** Consent decisions made by browsers ever linked to the contact; oldest first. */
    public List<TimelineItem> consentDecisions(String site, long contactId) {
        return list("SELECT g.action, g.decided_at, g.visitor_id, g.policy_id, g.policy_revision, g.categories"
                + " FROM consent_log g WHERE g.site = ? AND g.visitor_id IN"
                + " (SELECT visitor_id FROM visitor_links WHERE contact_id = ?) ORDER BY g.decided_at, g.id", site, contactId,
                r -> new TimelineItem("consent", r.getTimestamp(2).toInstant(), r.getString(3), r.getString(1),
                        IdentityRules.json("policy", r.getString(4), "revision", Integer.toString(r.getInt(5)),
                                "categories", r.getString(6))));
    }

    /**
     * Everything on a contact's timeline in time order: page views, "possibly this contact"
     * page views (apart by their type), form submissions, email clicks, events, identity
     * changes and consent decisions.
     */
    public List<TimelineItem> timeline(String site, long contactId) {
        List<TimelineItem> items = new ArrayList<>();
        pageViews(site, contactId).forEach(v -> items.add(new TimelineItem("page-view", v.viewedAt(), v.visitorId(),
                v.path(), IdentityRules.json("url", v.url(), "title", v.title()))));
        possiblePageViews(site, contactId).forEach(v -> items.add(new TimelineItem("possible-page-view", v.viewedAt(),
                v.visitorId(), v.path(), IdentityRules.json("url", v.url(), "title", v.title()))));
        submissions(site, contactId).forEach(f -> items.add(new TimelineItem("form-submission", f.submittedAt(),
                f.visitorId(), f.formId(), f.fields())));
        clicks(site, contactId).forEach(k -> items.add(new TimelineItem("email-click", k.clickedAt(), k.visitorId(),
                k.sendId(), IdentityRules.json("url", k.url(), "outcome", k.outcome()))));
        items.addAll(events(site, contactId));
        history(site, contactId).forEach(h -> items.add(new TimelineItem("identity-change", h.changedAt(), null,
                h.change(), h.detail())));
        items.addAll(consentDecisions(site, contactId));
        items.sort(java.util.Comparator.comparing(TimelineItem::at));
        return items;
    }

    /** A visitor's page views (its anonymous history and after), oldest first; empty for another site's. */
    public List<ContactPageView> visitorPageViews(String site, String visitorId) {
        return read(c -> {
            List<ContactPageView> views = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT visitor_id, url, path, title, viewed_at"
                    + " FROM visitor_page_views WHERE site = ? AND visitor_id = ? ORDER BY viewed_at, id")) {
                s.setString(1, site);
                s.setString(2, visitorId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        views.add(new ContactPageView(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                                r.getTimestamp(5).toInstant()));
                    }
                }
            }
            return views;
        });
    }

    /**
     * Ids of contacts whose linked visitors viewed a page matching {@code pattern} in
     * {@code [since, until)}, newest contact first, at most {@code limit}. Bot views do not count.
     */
    public List<Long> viewed(String site, dev.spor.config.PathPattern pattern, String literalPrefix, Instant since,
            Instant until, int limit) {
        return read(c -> {
            java.util.Set<Long> ids = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
            try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT l.contact_id, v.path FROM page_views v"
                    + " JOIN visitor_links l ON l.visitor_id = v.visitor_id"
                    + " WHERE l.site = ? AND v.is_bot = FALSE AND v.path LIKE ? AND v.viewed_at >= ? AND v.viewed_at < ?"
                    + " AND (l.valid_from IS NULL OR v.viewed_at >= l.valid_from)"
                    + " AND (l.valid_to IS NULL OR v.viewed_at < l.valid_to)")) {
                s.setString(1, site);
                s.setString(2, literalPrefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
                s.setTimestamp(3, java.sql.Timestamp.from(since));
                s.setTimestamp(4, java.sql.Timestamp.from(until));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        if (pattern.matches(r.getString(2))) {
                            ids.add(r.getLong(1));
                        }
                    }
                }
            }
            return ids.stream().limit(limit).toList();
        });
    }

    /** Contacts of a site, newest first, a page at a time. */
    public List<Contact> list(String site, int offset, int limit) {
        return read(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id FROM contacts WHERE site = ? ORDER BY id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                s.setString(1, site);
                s.setInt(2, offset);
                s.setInt(3, limit);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        ids.add(r.getLong(1));
                    }
                }
            }
            List<Contact> contacts = new ArrayList<>(ids.size());
            for (long id : ids) {
                load(c, site, id).ifPresent(contacts::add);
            }
            return contacts;
        });
    }

    /** How many contacts a site has. */
    public long count(String site) {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM contacts WHERE site = ?")) {
                s.setString(1, site);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
    }

    private static Optional<Contact> load(Connection c, String site, long id) throws SQLException {
        String primary;
        String properties;
        Instant created;
        Instant updated;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT primary_email, properties, created_at, updated_at FROM contacts WHERE site = ? AND id = ?")) {
            s.setString(1, site);
            s.setLong(2, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                primary = r.getString(1);
                properties = r.getString(2);
                created = r.getTimestamp(3).toInstant();
                updated = r.getTimestamp(4).toInstant();
            }
        }
        List<String> emails = strings(c, "SELECT email FROM contact_emails WHERE contact_id = ? ORDER BY added_at, email", id);
        List<String> visitors = strings(c, "SELECT id FROM visitors WHERE contact_id = ? ORDER BY created_at, id", id);
        return Optional.of(new Contact(id, site, primary, emails, properties, visitors, created, updated));
    }

    private static List<String> strings(Connection c, String sql, long id) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    values.add(r.getString(1));
                }
            }
        }
        return values;
    }

    private List<ContactPageView> views(String sql, String site, long contactId) {
        return list(sql, site, contactId, r -> new ContactPageView(r.getString(1), r.getString(2), r.getString(3),
                r.getString(4), r.getTimestamp(5).toInstant()));
    }

    private interface RowReader<T> {
        T read(ResultSet r) throws SQLException;
    }

    private interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> List<T> list(String sql, String site, long contactId, RowReader<T> reader) {
        return read(c -> {
            List<T> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, site);
                s.setLong(2, contactId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        rows.add(reader.read(r));
                    }
                }
            }
            return rows;
        });
    }

    private <T> T read(Read<T> read) {
        try (Connection c = dataSource.getConnection()) {
            return read.run(c);
        } catch (SQLException e) {
            throw new StorageException("reading contacts failed: " + e.getMessage(), e);
        }
    }
}
