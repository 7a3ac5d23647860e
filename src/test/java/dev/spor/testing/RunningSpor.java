package dev.spor.testing;

import dev.spor.launcher.Launcher;
import dev.spor.server.SporApp;
import dev.spor.server.SporSettings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;

/**
 * The real standalone server, started in-process on a free port, for tests that talk to it
 * over real HTTP. Needs the system property {@code jdk.httpclient.allowRestrictedHeaders=host}
 * (set by the build) to send other Host headers.
 */
public final class RunningSpor implements AutoCloseable {
    private final Server server;
    private final SporApp app;

    private RunningSpor(Server server, SporApp app) {
        this.server = server;
        this.app = app;
    }

    /** The demo configuration with its embedded database in {@code dataDir}. */
    public static RunningSpor demo(Path dataDir) throws Exception {
        return start(new SporSettings(null, dataDir, null, null, null, "test-admin-key"));
    }

    /** The server with the project's static files (webapp/). */
    public static RunningSpor start(SporSettings settings) throws Exception {
        return start(settings, Path.of(System.getProperty("spor.webRoot", "webapp")));
    }

    /** The server with static files from {@code webRoot} (test pages). */
    public static RunningSpor start(SporSettings settings, Path webRoot) throws Exception {
        return start(settings, webRoot, java.time.Clock.systemUTC());
    }

    /** The server on a clock of the test's (see {@link MutableClock}). */
    public static RunningSpor start(SporSettings settings, Path webRoot, java.time.Clock clock) throws Exception {
        SporApp app = SporApp.boot(settings, clock);
        Server server = Launcher.newServer(app, 0, webRoot);
        server.start();
        return new RunningSpor(server, app);
    }

    public SporApp app() {
        return app;
    }

    public int port() {
        return Launcher.port(server);
    }

    public String url(String path) {
        return "http://localhost:" + port() + path;
    }

    /** GET over real HTTP with the given Host header (null for the default) and extra headers. */
    public HttpResponse<byte[]> get(String path, String host, String... headers) throws Exception {
        return Http.get(port(), path, host, headers);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
