package dev.spor.identity;

import dev.spor.admin.ApiEndpoints;
import dev.spor.config.LiveConfig;
import dev.spor.consent.ConsentFilter;
import dev.spor.limits.RateLimiter;
import dev.spor.storage.Secrets;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Builds the identity feature for the composition root: contacts, the identity rules, form
 * submissions, identifies, marketing-email tokens, CSV import, the script's endpoints
 * ({@link #filter()}, after the consent filter) and its part of the API ({@link #api()}). The
 * email-token key lives in the database's secrets, so every node signs and checks alike.
 */
public final class Identity implements AutoCloseable {
    /** Form submissions and email landings per client address: this many at once ... */
    static final int BURST = 60;
    /** ... then one per this. */
    static final Duration REFILL = Duration.ofSeconds(1);

    private final Identities identities;
    private final Contacts contacts;
    private final IdentityFilter filter;
    private final ContactsApi api;
    private final IdentifyApplier applier;

    private Identity(Identities identities, Contacts contacts, IdentityFilter filter, ContactsApi api,
            IdentifyApplier applier) {
        this.identities = identities;
        this.contacts = contacts;
        this.filter = filter;
        this.api = api;
        this.applier = applier;
    }

    /** Wires the feature and starts applying identifies. */
    public static Identity start(LiveConfig config, DataSource dataSource, Secrets secrets, ConsentFilter consent,
            Clock clock) {
        Transactions tx = new Transactions(dataSource);
        EmailTokens tokens = new EmailTokens(secrets.get("email-token-key").getBytes(StandardCharsets.US_ASCII));
        Identities identities = new Identities(tx, tokens, clock);
        Contacts contacts = new Contacts(dataSource);
        IdentifyApplier applier = new IdentifyApplier(tx, identities, config, clock);
        IdentityFilter filter = new IdentityFilter(config, consent, identities, new RateLimiter(BURST, REFILL, clock));
        ContactsApi api = new ContactsApi(identities, contacts, new ContactImport(tx, clock));
        applier.start();
        return new Identity(identities, contacts, filter, api, applier);
    }

    public Filter filter() {
        return filter;
    }

    /** The contacts part of the API. */
    public ApiEndpoints api() {
        return api;
    }

    /**
     * The demo's marketing-email link: a redirect to {@code target} (a path) with a fresh token
     * of the demo reader, for the site {@code site}.
     */
    public HttpServlet demoEmailLink(String site, String target) {
        return new DemoEmailLink(identities, site, target);
    }

    public Identities identities() {
        return identities;
    }

    public Contacts contacts() {
        return contacts;
    }

    /** Stops applying identifies (those still waiting are applied at the next start). */
    @Override
    public void close() {
        applier.close();
    }
}
