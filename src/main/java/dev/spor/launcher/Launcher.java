package dev.spor.launcher;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.spor.config.ConfigException;
import dev.spor.server.SporApp;
import dev.spor.storage.StorageException;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The standalone server: Spor on embedded Jetty. The only class that knows Jetty; everything
 * it serves is registered by {@link SporApp}, exactly as in a servlet container.
 */
public final class Launcher {
    private static final Logger LOG = Logger.getLogger(Launcher.class.getName());
    private static final long STOP_TIMEOUT_MILLIS = 10_000;
    private static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
    /**
     * Test hook: while set, a start lets the booted app in only once this counts down, so a test
     * sees the 503 of a start however fast the database opens.
     */
    static volatile CountDownLatch holdStarting;

    private Launcher() {
    }

    public static void main(String[] args) throws InterruptedException {
        Started started = start(args, System.getenv(), System.out, System.err);
        if (started.server() == null) {
            System.exit(started.exitCode());
        }
        started.server().join();
    }

    /**
     * The outcome of {@link #start}.
     *
     * @param server the running server, or null when it did not start
     * @param exitCode the process exit code when it did not start
     */
    record Started(Server server, int exitCode) {
    }

    /** Starts Spor from a command line; on failure prints why, in one line unless debugging. */
    static Started start(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args, env);
        } catch (Options.HelpRequested e) {
            out.println(Options.USAGE);
            return new Started(null, 0);
        } catch (Options.UsageException e) {
            err.println("spor: " + e.getMessage());
            err.println(Options.USAGE);
            return new Started(null, 2);
        }
        LogSetup.configure(options.debug());
        return serve(options, webRoot(), out, err);
    }

    /**
     * Boots the app while the server already listens: until the app is let in, every request
     * is answered 503 (see {@link Gate}). A first start migrates the database for about a
     * second; meanwhile Jetty starts and warms up, so the app serves as soon as it is booted.
     */
    private static Started serve(Options options, Path webRoot, PrintStream out, PrintStream err) {
        SporApp.Booting booting;
        try {
            booting = SporApp.begin(options.settings(), Clock.systemUTC());
        } catch (ConfigException | StorageException | IOException | IllegalStateException e) {
            return fail(err, options, e.getMessage(), e);
        }
        Gate gate = new Gate();
        Server server = newServer(gate, options.port());
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            booting.abandon();
            String reason = isBindFailure(e) ? "port " + options.port() + " is already in use" : "cannot start: " + e;
            return fail(err, options, reason, e);
        }
        SporApp app;
        try {
            app = booting.finish();
        } catch (StorageException | IOException | IllegalStateException e) {
            stopQuietly(server);
            return fail(err, options, e.getMessage(), e);
        }
        closeWithServer(server, app);
        try {
            CountDownLatch hold = holdStarting;
            if (hold != null) {
                hold.await();
            }
            gate.open(newContext(app, webRoot));
        } catch (Exception e) {
            stopQuietly(server);
            return fail(err, options, "cannot start: " + e, e);
        }
        sayWhenStopped(server, err);
        announce(out, app, port(server), options.settings().configFile() == null);
        return new Started(server, 0);
    }

    private static void sayWhenStopped(Server server, PrintStream err) {
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopped(LifeCycle event) {
                // JUL is already shut down when SIGTERM's hooks run: say it directly
                err.println("spor: stopped, requests in flight finished and the database closed");
            }
        });
    }

    private static Started fail(PrintStream err, Options options, String message, Exception e) {
        err.println("spor: " + message);
        if (options.debug()) {
            e.printStackTrace(err);
        }
        return new Started(null, 1);
    }

    /**
     * An unstarted server on {@code port} (0 for any free one) serving {@code app} and the
     * static files under {@code webRoot}. Stopping it (or SIGTERM) lets requests in flight
     * finish, then closes the app.
     */
    public static Server newServer(SporApp app, int port, Path webRoot) {
        Server server = newServer(newContext(app, webRoot), port);
        closeWithServer(server, app);
        return server;
    }

    private static Server newServer(Handler handler, int port) {
        skipJettysMBeanServer();
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // No per-connection cache of header values: a connection from a proxy or a load balancer
        // carries many visitors, each with its own Cookie, Referer and Content-Length, so the
        // cache filled, was cleared and refilled on nearly every request (a fifth of the CPU
        // samples at 5,000 beacons/s). Jetty's static cache of common fields still applies.
        http.setHeaderCacheSize(0);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(handler));
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);
        server.setStopAtShutdown(true);
        return server;
    }

    /** Spor's context: the app's filters and servlets, and the static files under {@code webRoot}. */
    private static ServletContextHandler newContext(SporApp app, Path webRoot) {
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.setBaseResourceAsPath(webRoot);
        context.setWelcomeFiles(new String[] {"index.html"});
        context.setProtectedTargets(new String[] {"/WEB-INF", "/META-INF", "/dev"});
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        context.setErrorHandler(errors);
        context.addEventListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                app.register(event.getServletContext());
            }
        });
        ServletHolder files = new ServletHolder("default", DefaultServlet.class);
        files.setInitParameter("dirAllowed", "false");
        files.setInitParameter("etags", "true");
        context.addServlet(files, "/");
        return context;
    }

    /** Requests in flight finish first: the server closes the app once it stopped. */
    private static void closeWithServer(Server server, SporApp app) {
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopped(LifeCycle event) {
                app.close();
            }
        });
    }

    /**
     * Answers every request 503 until {@link #open} lets the app's context in behind it, so the
     * server can listen while the app boots. Health checks see 503, as they do whenever the
     * database cannot be reached; nothing of Spor's runs before the app is booted.
     */
    private static final class Gate extends Handler.Wrapper {
        private static final String STARTING = "{\"status\":\"unavailable\",\"reason\":\"starting\"}";
        private volatile boolean open;

        Gate() {
            super(true); // the context comes in while the server runs
        }

        /** Starts {@code context} and hands every request to it from now on. */
        void open(Handler context) throws Exception {
            setHandler(context); // managed: it stops with the server
            context.start();
            open = true;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (open) {
                return super.handle(request, response, callback);
            }
            response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            Content.Sink.write(response, true, STARTING, callback);
            return true;
        }
    }

    /**
     * Jetty's thread pool pads its queue to the cache line, and to learn whether references are
     * compressed it starts the platform MBean server, which costs a fifth of a second at every
     * start and serves nothing here. Asking the HotSpot bean directly gives the same answer.
     */
    private static void skipJettysMBeanServer() {
        if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) != null) {
            return;
        }
        int cacheLineBytes = Integer.getInteger("org.eclipse.jetty.util.cacheLineBytes", 64);
        boolean compressed;
        try {
            compressed = Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("UseCompressedOops").getValue());
        } catch (RuntimeException e) {
            return; // not HotSpot: Jetty finds out for itself
        }
        System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, String.valueOf(cacheLineBytes / (compressed ? 4 : 8)));
    }

    /** The port a started server listens on. */
    public static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Static files: the unpacked WAR (set by the boot class), else the source tree's webapp/. */
    static Path webRoot() {
        String configured = System.getProperty("spor.webRoot");
        Path root = configured != null ? Path.of(configured) : Path.of("webapp");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("static files not found at " + root.toAbsolutePath());
        }
        return root;
    }

    private static void announce(PrintStream out, SporApp app, int port, boolean demo) {
        String base = "http://localhost:" + port + "/";
        out.println("Spor listening on " + base);
        if (demo) {
            out.println("  demo site: " + base + "demo/  (built-in demo config; pass --config FILE for your sites)");
        }
        out.println("  console:   " + base + "console/  (sign in with the admin API key)");
        out.println("  health:    " + base + "healthz");
        app.generatedAdminKey().ifPresent(key -> {
            out.println("  admin API key, generated on this first start and shown only once - store it now:");
            out.println("    " + key);
        });
        out.flush();
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (isBindFailure(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(Level.FINE, "stopping after a failed start", e);
        }
    }
}
