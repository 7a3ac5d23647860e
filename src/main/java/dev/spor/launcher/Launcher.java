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
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The standalone server: Spor on embedded Jetty. The only class that knows Jetty; everything
 * it serves is registered by {@link SporApp}, exactly as in a servlet container.
 */
public final class Launcher {
    private static final Logger LOG = Logger.getLogger(Launcher.class.getName());
    private static final long STOP_TIMEOUT_MILLIS = 10_000;
    private static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

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
        SporApp app;
        try {
            app = SporApp.boot(options.settings());
        } catch (ConfigException | StorageException | IOException | IllegalStateException e) {
            return fail(err, options, e.getMessage(), e);
        }
        Server server = newServer(app, options.port(), webRoot());
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopped(LifeCycle event) {
                // JUL is already shut down when SIGTERM's hooks run: say it directly
                err.println("spor: stopped, requests in flight finished and the database closed");
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            String reason = isBindFailure(e) ? "port " + options.port() + " is already in use" : "cannot start: " + e;
            return fail(err, options, reason, e);
        }
        announce(out, app, port(server), options.settings().configFile() == null);
        return new Started(server, 0);
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
        skipJettysMBeanServer();
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setPort(port);
        server.addConnector(connector);

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

        server.setHandler(new GracefulHandler(context));
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);
        server.setStopAtShutdown(true);
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopped(LifeCycle event) {
                app.close();
            }
        });
        return server;
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
