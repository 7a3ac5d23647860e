package dev.spor.reporting;

import dev.spor.admin.ApiEndpoints;
import dev.spor.config.LiveConfig;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Builds the reporting feature for the composition root: page-view and consent reports, the
 * consent log, and the retention job (started here, stopped by {@link #close()}), with their
 * part of the site owner's API ({@link #api()}).
 */
public final class Reporting implements AutoCloseable {
    private final ReportsApi api;
    private final Retention retention;

    private Reporting(ReportsApi api, Retention retention) {
        this.api = api;
        this.retention = retention;
    }

    /** Wires the feature and schedules the retention job (first run a minute after start, then daily). */
    public static Reporting start(LiveConfig config, DataSource dataSource, Clock clock) {
        Retention retention = new Retention(config, dataSource, clock);
        ReportsApi api = new ReportsApi(new PageViewReport(dataSource), new ConsentReport(dataSource),
                new ConsentLogRows(dataSource), retention, clock);
        retention.start();
        return new Reporting(api, retention);
    }

    /** The reports, consent log and retention part of the API. */
    public ApiEndpoints api() {
        return api;
    }

    /** Stops the retention job (a run cut short is finished at the next). */
    @Override
    public void close() {
        retention.close();
    }
}
