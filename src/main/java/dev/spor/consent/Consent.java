package dev.spor.consent;

import com.github.benmanes.caffeine.cache.Cache;
import dev.spor.config.ConfigException;
import dev.spor.config.ConfigLoader;
import dev.spor.config.LiveConfig;
import dev.spor.server.SporSettings;
import dev.spor.storage.Database;
import dev.spor.storage.Secrets;
import dev.spor.tracking.PageViewStore;
import dev.spor.tracking.PageViewWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/** Builds the consent feature for the composition root. */
public final class Consent implements AutoCloseable {
    private final ConsentFilter filter;
    private final CountrySource countries;
    private final PageViewWriter writer;
    private final ConsentLog log;
    private final ConsentService service;

    private Consent(ConsentFilter filter, CountrySource countries, PageViewWriter writer, ConsentLog log,
            ConsentService service) {
        this.filter = filter;
        this.countries = countries;
        this.writer = writer;
        this.log = log;
        this.service = service;
    }

    /**
     * Wires consent: the cookie signing key and, unless configured, the IP-hash salt come from
     * the database's secrets, so every node agrees. Collected beacons are written by a
     * {@link PageViewWriter} (group commit) that {@link #close()} drains.
     */
    public static Consent create(LiveConfig config, DataSource dataSource, Clock clock, SecureRandom random)
            throws IOException {
        Secrets secrets = new Secrets(dataSource, random);
        String configuredSalt = config.get().config().consentLog().ipHashSalt();
        IpHasher hasher = new IpHasher(configuredSalt != null ? configuredSalt : secrets.get("ip-hash-salt"));
        ConsentCookie cookies = new ConsentCookie(secrets.get("consent-cookie-key").getBytes(StandardCharsets.US_ASCII));
        PageViewStore pageViews = new PageViewStore(dataSource);
        ConsentLog log = new ConsentLog(dataSource);
        ConsentService service = new ConsentService(cookies, hasher, log, pageViews, clock, random);
        CountrySource countries = new CountrySource(config);
        PageViewWriter writer = PageViewWriter.start(dataSource);
        return new Consent(new ConsentFilter(config, service, countries, writer), countries, writer, log, service);
    }

    /**
     * The consent feature on its own, for {@link ConsentFilter} in a site owner's web app: its
     * own configuration (watched) and database pool.
     *
     * @param consent the feature
     * @param resources what to close with it
     */
    record Standalone(Consent consent, List<AutoCloseable> resources) implements AutoCloseable {
        @Override
        public void close() {
            consent.close();
            for (AutoCloseable resource : resources) {
                try {
                    resource.close();
                } catch (Exception e) {
                    java.util.logging.Logger.getLogger(Consent.class.getName()).warning("closing: " + e);
                }
            }
        }
    }

    static Standalone standalone(UnaryOperator<String> lookup) throws ConfigException, IOException {
        SporSettings settings = SporSettings.from(lookup);
        LiveConfig config = settings.configFile() == null ? LiveConfig.fixed(ConfigLoader.loadDemo())
                : LiveConfig.watching(settings.configFile());
        try {
            Database database = Database.open(settings.dataDir(), settings.dbUrl(), settings.dbUser(), settings.dbPassword());
            try {
                Consent consent = create(config, database.dataSource(), Clock.systemUTC(), new SecureRandom());
                return new Standalone(consent, List.of(config, database));
            } catch (RuntimeException | IOException e) {
                database.close();
                throw e;
            }
        } catch (RuntimeException | IOException e) {
            config.close();
            throw e;
        }
    }

    public ConsentFilter filter() {
        return filter;
    }

    /** The collection writer, for its figures. */
    public PageViewWriter writer() {
        return writer;
    }

    /** Every action a consent decision can have, as the consent log writes it ({@code accept-all}, ...). */
    public static List<String> actions() {
        return Arrays.stream(Action.values()).map(a -> a.wire).toList();
    }

    /** Decisions logged since start with this action, for /metrics. */
    public long decisionsLogged(String action) {
        return log.appended(action);
    }

    /** The feature's Caffeine caches by name (they record statistics), for /metrics. */
    public Map<String, Cache<?, ?>> caches() {
        return Map.of("consent-policy-answers", service.policyJson(), "consent-answer-languages", service.answers(),
                "consent-path-patterns", PolicyMatcher.PATTERNS);
    }

    /** Writes every beacon still queued, then releases what it holds; call before closing the database. */
    @Override
    public void close() {
        writer.close();
        countries.close();
    }
}
