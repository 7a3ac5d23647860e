package dev.spor.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The ceiling: a bare Jetty 12 ee10 servlet, set up as Spor's launcher sets up its server,
 * that reads a POST's body and answers 204, and answers a GET with a fixed JSON body of the
 * size of Spor's consent answer ({@code args[1]} bytes). Nothing else.
 */
public final class NullCollector {
    private NullCollector() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        byte[] answer = json(args.length > 1 ? Integer.parseInt(args[1]) : 600);
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setHeaderCacheSize(0); // as Spor's: a load of many visitors per connection only churns the cache
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                try (InputStream in = request.getInputStream()) {
                    in.readAllBytes();
                }
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            }

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("application/json");
                response.setContentLength(answer.length);
                response.getOutputStream().write(answer);
            }
        }), "/*");
        server.setHandler(context);
        server.start();
        System.out.println("null collector listening on " + connector.getLocalPort());
        server.join();
    }

    private static byte[] json(int size) {
        StringBuilder s = new StringBuilder("{\"pad\":\"");
        while (s.length() < size - 2) {
            s.append('x');
        }
        return s.append("\"}").toString().getBytes(StandardCharsets.US_ASCII);
    }
}
