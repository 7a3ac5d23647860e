package dev.spor.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.storage.Database;
import dev.spor.testing.TestDatabases;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site owner's own Java web app with Spor's consent filter in front of its pages: page views
 * of consenting visitors are stored with no script at all, and nothing for the others.
 */
class ServerSidePageViewTest {
    @TempDir
    Path dir;

    /** The site owner's pages. */
    static final class Pages extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/html;charset=utf-8");
            response.getWriter().write("<!doctype html><title>Shop</title><p>Hello</p>");
        }
    }

    @Test
    void ownWebApp_consentingVisitorsPages_storedServerSide_othersNot() throws Exception {
        Path config = dir.resolve("spor.json");
        Files.writeString(config, """
                { "sites": [ { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org",
                  "hosts": ["www.example.org/_sp"], "serverSidePageViews": true,
                  "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }""");
        Server server = new Server(0);
        ServletContextHandler app = new ServletContextHandler();
        app.setContextPath("/");
        app.addServlet(new ServletHolder(new Pages()), "/*");
        FilterHolder spor = new FilterHolder(ConsentFilter.class);
        spor.setInitParameter("spor.config", config.toString());
        spor.setInitParameter("spor.data", dir.resolve("data").toString());
        app.addFilter(spor, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(app);
        server.start();
        try {
            ConsentHttpTest.Visitor accepting = new ConsentHttpTest.Visitor(((ServerConnector) server.getConnectors()[0])
                    .getLocalPort());
            ConsentHttpTest.Visitor anonymous = new ConsentHttpTest.Visitor(accepting.port);

            assertThat(accepting.send("POST", "/_sp/s/shop/state", """
                    {"action":"accept-all","url":"https://www.example.org/","eventId":"evt-server-side-1"}""").statusCode())
                    .isEqualTo(200);
            assertThat(accepting.send("GET", "/products", null).body()).contains("Hello");
            assertThat(accepting.send("GET", "/cart", null).statusCode()).isEqualTo(200);
            assertThat(anonymous.send("GET", "/products", null).body()).contains("Hello");
            assertThat(anonymous.setCookies).isEmpty();
        } finally {
            server.stop();
        }

        try (Database db = TestDatabases.h2(dir.resolve("data")); Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT path FROM page_views ORDER BY viewed_at, id")) {
            StringBuilder paths = new StringBuilder();
            while (r.next()) {
                paths.append(r.getString(1)).append(' ');
            }
            assertThat(paths.toString().trim()).isEqualTo("/ /products /cart");
        }
    }
}
