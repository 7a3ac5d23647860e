package dev.spor.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spor.config.FormConfig;
import dev.spor.config.IdentityConfig;
import dev.spor.config.SiteConfig;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The identity operations: form submissions, identifies and marketing-email clicks, each one
 * transaction that follows {@link IdentityRules}, and idempotent by its event id (a retried
 * request changes nothing more). Thread-safe.
 */
public final class Identities {
    private static final Logger LOG = Logger.getLogger(Identities.class.getName());
    /** Most fields of one submission, longest field name and value. */
    static final int MAX_FIELDS = 50;
    static final int MAX_NAME = 100;
    static final int MAX_VALUE = 2000;

    private final Transactions tx;
    private final EmailTokens tokens;
    private final Clock clock;
    private final AtomicLong badTokens = new AtomicLong();
    private final AtomicLong unverified = new AtomicLong();

    Identities(Transactions tx, EmailTokens tokens, Clock clock) {
        this.tx = tx;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Input that cannot be applied; the message is a short reason for the client. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    /**
     * A form submission.
     *
     * @param site the site
     * @param form the configured form
     * @param eventId id that makes a retry idempotent
     * @param fields field name to value (the email among them)
     * @param visitorId the consented tracking cookie, or null
     * @param url the page it was sent from, may be null (backend submissions)
     * @param title the page's title, may be null
     * @param source script or api
     */
    public record FormSubmission(SiteConfig site, FormConfig form, String eventId, Map<String, String> fields,
            String visitorId, String url, String title, String source) {
    }

    /** The contact a submission went to, and whether it was new. */
    public record Result(long contactId, boolean created) {
    }

    /** Applies a form submission (SPEC §3) and stores it on its contact. */
    public Result submit(FormSubmission submission) throws Invalid {
        String raw = submission.fields().get(submission.form().emailField());
        String problem = Emails.problem(raw);
        if (problem != null) {
            throw new Invalid("field " + submission.form().emailField() + " " + problem);
        }
        String email = Emails.normalize(raw).orElseThrow();
        ObjectNode properties = IdentityRules.MAPPER.createObjectNode();
        ObjectNode fields = IdentityRules.MAPPER.createObjectNode();
        for (Map.Entry<String, String> field : submission.fields().entrySet()) {
            if (fields.size() >= MAX_FIELDS || field.getKey().isEmpty() || field.getKey().length() > MAX_NAME
                    || field.getValue() == null || field.getValue().length() > MAX_VALUE) {
                throw new Invalid("fields: at most " + MAX_FIELDS + " fields, names of 1 to " + MAX_NAME
                        + " characters, values of at most " + MAX_VALUE);
            }
            fields.put(field.getKey(), field.getValue());
            if (!field.getKey().equals(submission.form().emailField())) {
                properties.put(field.getKey(), field.getValue());
            }
        }
        String site = submission.site().key();
        return tx.run("storing a form submission", c -> {
            Optional<Result> earlier = earlierSubmission(c, site, submission.eventId());
            if (earlier.isPresent()) {
                return earlier.get();
            }
            java.time.Instant now = clock.instant();
            IdentityRules.Outcome outcome = IdentityRules.apply(c, new IdentityRules.Identification(site, email,
                    submission.visitorId(), submission.form().alwaysCreateNewContact(), properties, "form", now));
            try (PreparedStatement s = c.prepareStatement("INSERT INTO form_submissions (site, event_id, form_id,"
                    + " contact_id, visitor_id, email, fields, url, title, source, submitted_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, site);
                s.setString(2, submission.eventId());
                s.setString(3, submission.form().id());
                s.setLong(4, outcome.contactId());
                s.setString(5, submission.visitorId());
                s.setString(6, email);
                s.setString(7, fields.toString());
                s.setString(8, submission.url());
                s.setString(9, submission.title());
                s.setString(10, submission.source());
                s.setTimestamp(11, Timestamp.from(now));
                s.executeUpdate();
            }
            return new Result(outcome.contactId(), outcome.resolution() == IdentityRules.Resolution.CREATED);
        });
    }

    private static Optional<Result> earlierSubmission(Connection c, String site, String eventId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT contact_id FROM form_submissions WHERE site = ? AND event_id = ?")) {
            s.setString(1, site);
            s.setString(2, eventId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Result(r.getLong(1), false)) : Optional.empty();
            }
        }
    }

    /**
     * Applies an identify of the script (the rules of a form without {@code alwaysCreateNewContact}),
     * when the site does not require verification or the HMAC is the email's; else ignores and
     * counts it.
     *
     * @return whether it was applied
     */
    boolean identify(Connection c, SiteConfig site, String visitorId, String email, String properties, String hmac,
            java.time.Instant at) throws SQLException {
        if (!verified(site.identity(), email, hmac)) {
            unverified.incrementAndGet();
            LOG.fine(() -> "site " + site.key() + ": an identify without a valid HMAC was ignored");
            return false;
        }
        IdentityRules.apply(c, new IdentityRules.Identification(site.key(), email, visitorId, false,
                IdentityRules.parse(properties), "identify", at));
        return true;
    }

    /** Whether an identify may be applied: verification off, or the HMAC matches (hex or base64). */
    static boolean verified(IdentityConfig identity, String email, String hmac) {
        if (!identity.required()) {
            return true;
        }
        if (identity.secret() == null || hmac == null) {
            return false;
        }
        String expected = EmailTokens.identityHmac(identity.secret(), email);
        byte[] wanted = java.util.HexFormat.of().parseHex(expected);
        byte[] given;
        try {
            given = hmac.length() == 64 ? java.util.HexFormat.of().parseHex(hmac.toLowerCase(java.util.Locale.ROOT))
                    : java.util.Base64.getDecoder().decode(hmac.replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(wanted, given);
    }

    /**
     * A landing from a marketing-email link: the click is recorded on the token's contact; the
     * first arrival of the token with a consented cookie links that cookie to the contact, a
     * later one with another cookie makes it only "possibly" the contact. A token that fails its
     * check is ignored and counted.
     *
     * @return the outcome stored, or empty when the token was ignored
     */
    public Optional<String> click(SiteConfig site, String token, String eventId, String url, String visitorId) {
        Optional<EmailTokens.Token> verified = tokens.verify(site.key(), token);
        if (verified.isEmpty()) {
            badTokens.incrementAndGet();
            LOG.fine(() -> "site " + site.key() + ": an email token that fails its check was ignored");
            return Optional.empty();
        }
        EmailTokens.Token t = verified.get();
        return tx.run("recording an email click", c -> {
            if (!contactExists(c, site.key(), t.contactId()) || clickStored(c, site.key(), eventId)) {
                return Optional.<String>empty();
            }
            java.time.Instant now = clock.instant();
            String outcome = visitorId == null ? "no-consent" : useToken(c, site.key(), t, visitorId, now);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO email_clicks (site, event_id, contact_id, send_id,"
                    + " visitor_id, url, outcome, clicked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, site.key());
                s.setString(2, eventId);
                s.setLong(3, t.contactId());
                s.setString(4, t.sendId());
                s.setString(5, visitorId);
                s.setString(6, url);
                s.setString(7, outcome);
                s.setTimestamp(8, Timestamp.from(now));
                s.executeUpdate();
            }
            return Optional.of(outcome);
        });
    }

    private static String useToken(Connection c, String site, EmailTokens.Token t, String visitorId, java.time.Instant now)
            throws SQLException {
        if (!IdentityRules.lockVisitor(c, site, visitorId, now)) {
            return "no-consent";
        }
        String firstVisitor = null;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT visitor_id FROM email_token_uses WHERE site = ? AND token_id = ?")) {
            s.setString(1, site);
            s.setString(2, t.id());
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    firstVisitor = r.getString(1);
                }
            }
        }
        if (firstVisitor == null) {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO email_token_uses (site, token_id, visitor_id, used_at) VALUES (?, ?, ?, ?)")) {
                s.setString(1, site);
                s.setString(2, t.id());
                s.setString(3, visitorId);
                s.setTimestamp(4, Timestamp.from(now));
                s.executeUpdate(); // a concurrent first use makes this fail; the retry sees it
            }
            IdentityRules.link(c, site, visitorId, t.contactId(), IdentityRules.linkedContact(c, visitorId), now);
            return "linked";
        }
        if (firstVisitor.equals(visitorId)) {
            return "again";
        }
        Long linked = IdentityRules.linkedContact(c, visitorId);
        if (linked == null || linked != t.contactId()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO possible_contacts (site, visitor_id, contact_id, since)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, site);
                s.setString(2, visitorId);
                s.setLong(3, t.contactId());
                s.setTimestamp(4, Timestamp.from(now));
                s.executeUpdate();
            }
        }
        return "possible";
    }

    private static boolean contactExists(Connection c, String site, long contactId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM contacts WHERE site = ? AND id = ?")) {
            s.setString(1, site);
            s.setLong(2, contactId);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static boolean clickStored(Connection c, String site, String eventId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM email_clicks WHERE site = ? AND event_id = ?")) {
            s.setString(1, site);
            s.setString(2, eventId);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /**
     * A contact for an email from the API (creating it when no contact has the email), for
     * issuing email links to someone not yet a contact.
     */
    public long contactFor(String site, String email) throws Invalid {
        String problem = Emails.problem(email);
        if (problem != null) {
            throw new Invalid("email " + problem);
        }
        String normalized = Emails.normalize(email).orElseThrow();
        return tx.run("finding a contact", c -> IdentityRules.apply(c, new IdentityRules.Identification(site, normalized,
                null, false, null, "api", clock.instant())).contactId());
    }

    /** A new signed token for a recipient (a contact) of a send. */
    String token(String site, long contactId, String sendId) {
        return tokens.issue(site, contactId, sendId, clock.instant());
    }

    /** A signed link: {@code url} with the token for the contact and send added as {@value EmailTokens#PARAMETER}. */
    public String decorate(String site, long contactId, String sendId, java.net.URI url) {
        String token = token(site, contactId, sendId);
        String base = url.toString();
        int hash = base.indexOf('#');
        String fragment = hash < 0 ? "" : base.substring(hash);
        String withoutFragment = hash < 0 ? base : base.substring(0, hash);
        return withoutFragment + (url.getRawQuery() == null ? "?" : "&") + EmailTokens.PARAMETER + "=" + token + fragment;
    }

    /** Erases a contact and everything that is the person's ({@link Erasure}); false when there is none. */
    public boolean erase(String site, long contactId) {
        boolean erased = tx.run("erasing a contact", c -> Erasure.erase(c, site, contactId));
        if (erased) {
            LOG.info(() -> "site " + site + ": contact " + contactId + " erased");
        }
        return erased;
    }

    /** Email tokens that failed their check since start. */
    public long badTokens() {
        return badTokens.get();
    }

    /** Identifies ignored for want of a valid HMAC since start. */
    public long unverifiedIdentifies() {
        return unverified.get();
    }

    /** Whether a tracking cookie value is a visitor of the site (made with consent, not erased). */
    public boolean knownVisitor(String site, String visitorId) {
        return tx.run("looking up a visitor", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM visitors WHERE id = ? AND site = ?")) {
                s.setString(1, visitorId);
                s.setString(2, site);
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
    }
}
