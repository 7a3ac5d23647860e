package dev.spor.consent;

import dev.spor.config.LiveConfig;
import dev.spor.storage.Secrets;
import dev.spor.tracking.PageViewStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import javax.sql.DataSource;

/** Builds the consent feature for the composition root. */
public final class Consent implements AutoCloseable {
    private final ConsentFilter filter;
    private final CountrySource countries;

    private Consent(ConsentFilter filter, CountrySource countries) {
        this.filter = filter;
        this.countries = countries;
    }

    /**
     * Wires consent: the cookie signing key and, unless configured, the IP-hash salt come from
     * the database's secrets, so every node agrees.
     */
    public static Consent create(LiveConfig config, DataSource dataSource, Clock clock, SecureRandom random)
            throws IOException {
        Secrets secrets = new Secrets(dataSource, random);
        String configuredSalt = config.get().config().consentLog().ipHashSalt();
        IpHasher hasher = new IpHasher(configuredSalt != null ? configuredSalt : secrets.get("ip-hash-salt"));
        ConsentCookie cookies = new ConsentCookie(secrets.get("consent-cookie-key").getBytes(StandardCharsets.US_ASCII));
        PageViewStore pageViews = new PageViewStore(dataSource);
        ConsentService service = new ConsentService(cookies, hasher, new ConsentLog(dataSource), pageViews, clock, random);
        CountrySource countries = new CountrySource(config);
        return new Consent(new ConsentFilter(config, service, countries, pageViews), countries);
    }

    public ConsentFilter filter() {
        return filter;
    }

    @Override
    public void close() {
        countries.close();
    }
}
