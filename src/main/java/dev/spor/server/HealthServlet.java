package dev.spor.server;

import dev.spor.storage.Database;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /healthz}: 200 when the database answers, 503 otherwise. */
final class HealthServlet extends HttpServlet {
    private final transient Database database;

    HealthServlet(Database database) {
        this.database = database;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (database.isReachable()) {
            JsonResponses.send(response, HttpServletResponse.SC_OK, "{\"status\":\"ok\"}");
        } else {
            JsonResponses.send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "{\"status\":\"unavailable\",\"reason\":\"database unreachable\"}");
        }
    }
}
