package dev.spor.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import dev.spor.admin.ApiKeys;
import dev.spor.consent.Consent;
import dev.spor.tracking.PageViewWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.concurrent.TimeUnit;

/**
 * Spor's operational figures at {@code /metrics} (Prometheus text format, Micrometer): HTTP
 * requests by status class, collection (beacons stored, failed, refused; batch sizes, commit
 * latency, queue depth), consent decisions by action, Caffeine cache statistics, and the JVM's
 * own. One registry per running app, so two apps in one JVM (tests) keep their figures apart.
 * No figure carries a site, a path or anything about a visitor. Thread-safe.
 */
public final class Metrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ApiKeys keys;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private Metrics(ApiKeys keys) {
        this.keys = keys;
    }

    /**
     * The figures of a running app.
     *
     * @param keys the API keys; {@code /metrics} takes the same bearer key as the API
     */
    public static Metrics create(ApiKeys keys, Consent consent) {
        Metrics metrics = new Metrics(keys);
        metrics.bindCollection(consent.writer());
        metrics.bindConsent(consent);
        consent.caches().forEach(metrics::bindCache);
        new JvmMemoryMetrics().bindTo(metrics.registry);
        new JvmThreadMetrics().bindTo(metrics.registry);
        metrics.gc.bindTo(metrics.registry);
        new ProcessorMetrics().bindTo(metrics.registry);
        new UptimeMetrics().bindTo(metrics.registry);
        return metrics;
    }

    private void bindCollection(PageViewWriter writer) {
        FunctionCounter.builder("spor.beacons.stored", writer, PageViewWriter::beacons)
                .description("beacons (page views, events) committed to the database").register(registry);
        FunctionCounter.builder("spor.beacons.failed", writer, PageViewWriter::failed)
                .description("beacons that could not be stored (bad row or database unavailable)").register(registry);
        FunctionCounter.builder("spor.beacons.refused", writer, PageViewWriter::refused)
                .description("beacons refused with 503 because the queue was full or the writer closed").register(registry);
        FunctionCounter.builder("spor.collection.rows.stored", writer, PageViewWriter::rows)
                .description("rows committed (a beacon with an identify is two)").register(registry);
        Gauge.builder("spor.collection.queue.depth", writer, PageViewWriter::queueDepth)
                .description("beacons waiting for the writer").register(registry);
        Gauge.builder("spor.collection.queue.capacity", writer, PageViewWriter::capacity)
                .description("beacons that may wait at most").register(registry);
        DistributionSummary sizes = DistributionSummary.builder("spor.collection.batch.size").baseUnit("beacons")
                .description("beacons per batch (one transaction)").serviceLevelObjectives(1, 10, 50, 100, 250, 500)
                .register(registry);
        Timer commits = Timer.builder("spor.collection.batch.commit")
                .description("time from taking a batch to its commit").publishPercentileHistogram().register(registry);
        writer.observe((beacons, nanos) -> {
            sizes.record(beacons);
            commits.record(nanos, TimeUnit.NANOSECONDS);
        });
    }

    private void bindConsent(Consent consent) {
        for (String action : Consent.actions()) {
            FunctionCounter.builder("spor.consent.decisions", consent, c -> c.decisionsLogged(action))
                    .description("consent decisions appended to the consent log").tag("action", action).register(registry);
        }
    }

    private void bindCache(String name, Cache<?, ?> cache) {
        CaffeineCacheMetrics.monitor(registry, cache, name);
    }

    /** The filter counting every request by status class; map it first, on {@code /*}. */
    public Filter filter() {
        Counter[] byClass = new Counter[5];
        for (int i = 0; i < byClass.length; i++) {
            byClass[i] = Counter.builder("spor.http.requests").description("HTTP requests answered, by status class")
                    .tag("status", (i + 1) + "xx").register(registry);
        }
        return new StatusFilter(byClass);
    }

    /** The servlet answering {@code GET /metrics} to a bearer API key. */
    public HttpServlet servlet() {
        return new MetricsServlet(registry, keys);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
