package dev.spor.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Strict security headers on everything below {@code /console/}: the console runs only its own
 * script and styles, talks only to its own origin, cannot be framed, and sends no referrer (its
 * hash routes name contacts). Nothing in the console needs {@code 'unsafe-inline'}: no inline
 * script, no style attribute (uPlot styles its elements through the CSSOM, which CSP allows).
 * Thread-safe.
 */
public final class ConsoleHeaders extends HttpFilter {
    /** The console's Content-Security-Policy. */
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        chain.doFilter(request, response);
    }
}
