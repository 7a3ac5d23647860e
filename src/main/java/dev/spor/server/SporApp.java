package dev.spor.server;

import dev.spor.admin.ApiKeys;
import dev.spor.config.ConfigException;
import dev.spor.config.ConfigLoader;
import dev.spor.config.LiveConfig;
import dev.spor.consent.Consent;
import dev.spor.storage.Database;
import dev.spor.tag.ScriptAssets;
import dev.spor.tag.TagFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The composition root: builds every service of Spor and registers its servlets and filters
 * on a {@link ServletContext}. The WAR's listener and the embedded launcher both go through
 * here, so they run the same program.
 */
public final class SporApp implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SporApp.class.getName());

    private final LiveConfig config;
    private final Database database;
    private final ScriptAssets scripts;
    private final Consent consent;
    private final Optional<String> generatedAdminKey;

    private SporApp(LiveConfig config, Database database, ScriptAssets scripts, Consent consent,
            Optional<String> generatedAdminKey) {
        this.config = config;
        this.database = database;
        this.scripts = scripts;
        this.consent = consent;
        this.generatedAdminKey = generatedAdminKey;
    }

    /**
     * Builds all services. Nothing is served yet; on failure nothing is left open.
     *
     * @throws ConfigException when the configuration is invalid (all its errors)
     * @throws dev.spor.storage.StorageException when the database cannot be opened
     */
    public static SporApp boot(SporSettings settings) throws ConfigException, IOException {
        return boot(settings, Clock.systemUTC());
    }

    /** Builds all services on the given clock (tests move time on with a clock of their own). */
    public static SporApp boot(SporSettings settings, Clock clock) throws ConfigException, IOException {
        ScriptAssets scripts = ScriptAssets.fromClasspath();
        LiveConfig config = settings.configFile() == null
                ? LiveConfig.fixed(ConfigLoader.loadDemo())
                : LiveConfig.watching(settings.configFile());
        Database database = null;
        try {
            database = Database.open(settings.dataDir(), settings.dbUrl(), settings.dbUser(), settings.dbPassword());
            SecureRandom random = new SecureRandom();
            ApiKeys keys = new ApiKeys(database.dataSource(), clock, random);
            Optional<String> generated = keys.ensureAdminKey(settings.adminKey());
            Consent consent = Consent.create(config, database.dataSource(), clock, random);
            String where = database.description();
            LOG.info(() -> "config " + config.get().source() + ": " + config.get().sites().size() + " site(s); database: "
                    + where);
            return new SporApp(config, database, scripts, consent, generated);
        } catch (RuntimeException | IOException e) {
            config.close();
            if (database != null) {
                database.close();
            }
            throw e;
        }
    }

    /** Registers Spor's filters and servlets; call while the context is being initialized. */
    public void register(ServletContext context) {
        EnumSet<DispatcherType> requests = EnumSet.of(DispatcherType.REQUEST);
        FilterRegistration.Dynamic safety = context.addFilter("spor-safety", new SafetyFilter());
        safety.addMappingForUrlPatterns(requests, false, "/*");
        safety.setAsyncSupported(true);
        FilterRegistration.Dynamic tag = context.addFilter("spor-tag", new TagFilter(config, scripts));
        tag.addMappingForUrlPatterns(requests, true, "/*");
        tag.setAsyncSupported(true);
        FilterRegistration.Dynamic cookies = context.addFilter("spor-consent", consent.filter());
        cookies.addMappingForUrlPatterns(requests, true, "/*");
        cookies.setAsyncSupported(true);
        context.addServlet("spor-health", new HealthServlet(database)).addMapping("/healthz");
    }

    /** The admin API key generated on this first start, to be shown once; else empty. */
    public Optional<String> generatedAdminKey() {
        return generatedAdminKey;
    }

    public LiveConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        consent.close();
        config.close();
        database.close();
    }
}
