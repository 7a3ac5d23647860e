package dev.spor.war;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import dev.spor.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built WAR, unchanged, deployed into a plain Jetty 12 ee10 servlet container. */
class WarDeploymentIT {

    @TempDir
    Path dir;

    private static HttpResponse<String> get(int port, String path, String host) throws Exception {
        return Http.getText(port, path, host);
    }

    @Test
    void war_inJettyWebAppContext_servesScriptDemoAndHealth() throws Exception {
        Server server = new Server(0);
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(System.getProperty("spor.war"));
        webapp.setTempDirectory(dir.resolve("jetty-tmp").toFile());
        webapp.setInitParameter("spor.data", dir.resolve("data").toString());
        webapp.setInitParameter("spor.admin-key", "war-test-key");
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        server.start();
        try {
            int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();

            HttpResponse<String> script = get(port, "/sa/s/demo.js", "localhost");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.body()).contains("\"site\":\"demo\"");
            assertThat(get(port, "/sb/s/demo.js", "localhost").body()).isEqualTo(script.body());
            assertThat(get(port, "/sa/s/demo.js", "elsewhere.example.com").statusCode()).isEqualTo(404);
            assertThat(get(port, "/healthz", null).body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(get(port, "/demo/index.html", "localhost").body()).contains("<!-- spor-snippet -->");
        } finally {
            server.stop();
        }
    }
}
