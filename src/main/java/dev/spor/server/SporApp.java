package dev.spor.server;

import dev.spor.admin.AdminApi;
import dev.spor.admin.ApiKeys;
import dev.spor.admin.ApiServlet;
import dev.spor.config.ConfigException;
import dev.spor.config.ConfigLoader;
import dev.spor.config.LiveConfig;
import dev.spor.consent.Consent;
import dev.spor.console.ConsoleAssets;
import dev.spor.console.ConsoleHeaders;
import dev.spor.files.FileServlet;
import dev.spor.files.FileStore;
import dev.spor.files.FilesApi;
import dev.spor.identity.Identity;
import dev.spor.limits.LimitFilter;
import dev.spor.metrics.Metrics;
import dev.spor.reporting.Reporting;
import dev.spor.storage.Database;
import dev.spor.storage.Secrets;
import dev.spor.tag.ScriptAssets;
import dev.spor.tag.TagFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;

/**
 * The composition root: builds every service of Spor and registers its servlets and filters
 * on a {@link ServletContext}. The WAR's listener and the embedded launcher both go through
 * here, so they run the same program.
 */
public final class SporApp implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SporApp.class.getName());
    /** The demo pages link to it. */
    private static final String DEMO_FILE = "price-list.pdf";

    private final LiveConfig config;
    private final Database database;
    private final ScriptAssets scripts;
    private final Consent consent;
    private final FileStore files;
    private final Identity identity;
    private final ApiServlet api;
    private final Reporting reporting;
    private final Metrics metrics;
    private final LimitFilter limits;
    /** Running the built-in demo config: the demo's email link is served too. */
    private final boolean demo;
    private final Optional<String> generatedAdminKey;

    private SporApp(LiveConfig config, Database database, ScriptAssets scripts, Consent consent, FileStore files,
            Identity identity, ApiServlet api, Reporting reporting, Metrics metrics, LimitFilter limits, boolean demo,
            Optional<String> generatedAdminKey) {
        this.config = config;
        this.database = database;
        this.scripts = scripts;
        this.consent = consent;
        this.files = files;
        this.identity = identity;
        this.api = api;
        this.reporting = reporting;
        this.metrics = metrics;
        this.limits = limits;
        this.demo = demo;
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
        return begin(settings, clock).finish();
    }

    /**
     * Begins {@link #boot}: the database opens and migrates on a thread of its own (on a first
     * start the longest step) while this one reads the configuration and gets what needs no
     * database ready. {@link Booting#finish} builds the rest.
     *
     * @throws ConfigException when the configuration is invalid (all its errors); the database
     *     is closed again first, once any migration under way has finished
     */
    public static Booting begin(SporSettings settings, Clock clock) throws ConfigException, IOException {
        CompletableFuture<Database> opening = Database.openInBackground(settings.dataDir(), settings.dbUrl(),
                settings.dbUser(), settings.dbPassword());
        try {
            ScriptAssets scripts = ScriptAssets.fromClasspath();
            LiveConfig config = settings.configFile() == null
                    ? LiveConfig.fixed(ConfigLoader.loadDemo())
                    : LiveConfig.watching(settings.configFile());
            return new Booting(settings, clock, opening, scripts, config);
        } catch (ConfigException | IOException | RuntimeException e) {
            closeWhenOpened(opening);
            throw e;
        }
    }

    /** Closes the database once opened: a migration under way is never cut short. */
    private static void closeWhenOpened(CompletableFuture<Database> opening) {
        opening.handle((database, failure) -> database).thenAccept(SporApp::closeIfOpen).join();
    }

    /**
     * A start under way: the configuration read, the database opening. Not thread-safe: one
     * thread calls {@link #finish}, once.
     */
    public static final class Booting {
        private final SporSettings settings;
        private final Clock clock;
        private final CompletableFuture<Database> opening;
        private final ScriptAssets scripts;
        private final LiveConfig config;

        private Booting(SporSettings settings, Clock clock, CompletableFuture<Database> opening, ScriptAssets scripts,
                LiveConfig config) {
            this.settings = settings;
            this.clock = clock;
            this.opening = opening;
            this.scripts = scripts;
            this.config = config;
        }

        /** Gives the start up: closes what it opened, once a migration under way has finished. */
        public void abandon() {
            config.close();
            closeWhenOpened(opening);
        }

        /**
         * Waits for the database, then builds the services on it. On failure nothing is left open.
         *
         * @throws dev.spor.storage.StorageException when the database cannot be opened
         */
        public SporApp finish() throws IOException {
            Database database;
            try {
                database = joined(opening);
            } catch (RuntimeException e) {
                config.close();
                throw e;
            }
            try {
                return build(settings, clock, scripts, config, database);
            } catch (RuntimeException | IOException e) {
                config.close();
                database.close();
                throw e;
            }
        }
    }

    /** Every service on the open database; the caller closes what it gave if this throws. */
    private static SporApp build(SporSettings settings, Clock clock, ScriptAssets scripts, LiveConfig config,
            Database database) throws IOException {
        SecureRandom random = new SecureRandom();
        ApiKeys keys = new ApiKeys(database.dataSource(), clock, random);
        Optional<String> generated = keys.ensureAdminKey(settings.adminKey());
        FileStore files = new FileStore(database.dataSource(), clock);
        if (settings.configFile() == null) {
            seedDemoFile(files, DEMO_FILE);
        }
        Consent consent = Consent.create(config, database.dataSource(), clock, random);
        Identity identity = Identity.start(config, database.dataSource(), new Secrets(database.dataSource(), random),
                consent.filter(), clock);
        String where = database.description();
        LOG.info(() -> "config " + config.get().source() + ": " + config.get().sites().size() + " site(s); database: "
                + where);
        Reporting reporting = Reporting.start(config, database.dataSource(), clock);
        // every feature's part of the site owner's API, asked in this order
        ApiServlet api = new ApiServlet(config, keys, List.of(new AdminApi(keys), identity.api(),
                new FilesApi(files, FileStore.DEFAULT_MAX_BYTES), reporting.api()));
        Metrics metrics = Metrics.create(keys, consent);
        return new SporApp(config, database, scripts, consent, files, identity, api, reporting, metrics,
                new LimitFilter(config, consent.filter()::clientAddress, clock), settings.configFile() == null,
                generated);
    }

    /** The value of a finished future, or the unchecked exception it failed with. */
    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void closeIfOpen(Database database) {
        if (database != null) {
            database.close();
        }
    }

    /** Registers Spor's filters and servlets; call while the context is being initialized. */
    public void register(ServletContext context) {
        EnumSet<DispatcherType> requests = EnumSet.of(DispatcherType.REQUEST);
        FilterRegistration.Dynamic statuses = context.addFilter("spor-metrics", metrics.filter());
        statuses.addMappingForUrlPatterns(requests, false, "/*");
        statuses.setAsyncSupported(true);
        FilterRegistration.Dynamic safety = context.addFilter("spor-safety", new SafetyFilter(consent.filter()::isHttps));
        safety.addMappingForUrlPatterns(requests, false, "/*");
        safety.setAsyncSupported(true);
        FilterRegistration.Dynamic limited = context.addFilter("spor-limits", limits);
        limited.addMappingForUrlPatterns(requests, true, "/*");
        limited.setAsyncSupported(true);
        FilterRegistration.Dynamic tag = context.addFilter("spor-tag", new TagFilter(config, scripts));
        tag.addMappingForUrlPatterns(requests, true, "/*");
        tag.setAsyncSupported(true);
        FilterRegistration.Dynamic cookies = context.addFilter("spor-consent", consent.filter());
        cookies.addMappingForUrlPatterns(requests, true, "/*");
        cookies.setAsyncSupported(true);
        FilterRegistration.Dynamic identities = context.addFilter("spor-identity", identity.filter());
        identities.addMappingForUrlPatterns(requests, true, "/*");
        identities.setAsyncSupported(true);
        FilterRegistration.Dynamic console = context.addFilter("spor-console", new ConsoleHeaders());
        console.addMappingForUrlPatterns(requests, true, "/console/*");
        console.setAsyncSupported(true);
        context.addServlet("spor-health", new HealthServlet(database)).addMapping("/healthz");
        context.addServlet("spor-console", ConsoleAssets.fromClasspath()).addMapping("/console/assets/*");
        context.addServlet("spor-files", new FileServlet(files)).addMapping("/files/*");
        context.addServlet("spor-api", api).addMapping("/api/v1/*");
        context.addServlet("spor-metrics", metrics.servlet()).addMapping("/metrics");
        if (demo) {
            context.addServlet("spor-demo-mail", identity.demoEmailLink("demo", "/demo/offer.html")).addMapping("/demo/mail");
        }
        // not needed to serve: off the start's path
        metrics.buildInBackground();
    }

    /** The demo's file, stored unless a file of that name exists (an operator's is never replaced). */
    private static void seedDemoFile(FileStore files, String name) throws IOException {
        try (InputStream content = SporApp.class.getResourceAsStream("/dev/spor/demo/" + name)) {
            if (content == null) {
                throw new IllegalStateException("demo file " + name + " is missing from the classpath");
            }
            files.putIfAbsent(name, null, content, FileStore.DEFAULT_MAX_BYTES)
                    .ifPresent(stored -> LOG.info(() -> "demo file stored: /files/" + stored.name()));
        }
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

    /** The hosted files served at {@code /files/{name}}. */
    public FileStore files() {
        return files;
    }

    /** Contacts, form submissions, identifies and email links. */
    public Identity identity() {
        return identity;
    }

    @Override
    public void close() {
        reporting.close();
        identity.close();
        consent.close();
        config.close();
        metrics.close();
        database.close();
    }
}
