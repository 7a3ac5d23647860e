package dev.spor.server;

import dev.spor.config.ConfigException;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.io.IOException;
import java.util.logging.Logger;

/**
 * Entry point of the WAR in a servlet container (declared in {@code WEB-INF/web.xml}).
 * Settings come from the context's init parameters ({@code spor.config}, {@code spor.data},
 * {@code spor.db-url}, ...), then system properties of the same names, then environment
 * variables ({@code SPOR_CONFIG}, ...). A failure stops the webapp from starting.
 */
public final class SporListener implements ServletContextListener {
    private static final Logger LOG = Logger.getLogger(SporListener.class.getName());
    private SporApp app;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        SporSettings settings = SporSettings.from(SporSettings.inContainer(context::getInitParameter));
        try {
            app = SporApp.boot(settings);
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("Spor cannot start: " + e.getMessage(), e);
        }
        app.generatedAdminKey().ifPresent(key ->
                LOG.warning("generated the admin API key (shown once, store it now): " + key));
        app.register(context);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (app != null) {
            app.close();
        }
    }
}
