package dev.spor.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Outermost filter: an unexpected failure becomes a JSON 500 with an error id, logged with the
 * request's method and path (never its query, cookies or address), so no client ever sees a
 * stack trace in any container.
 */
final class SafetyFilter extends HttpFilter {
    private static final Logger LOG = Logger.getLogger(SafetyFilter.class.getName());

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            LOG.log(Level.SEVERE, "request failed [error " + id + "] " + request.getMethod() + " " + request.getRequestURI(), e);
            if (!response.isCommitted()) {
                response.reset();
                JsonResponses.send(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
                        "{\"error\":\"internal_error\",\"errorId\":\"" + id + "\"}");
            }
        }
    }
}
