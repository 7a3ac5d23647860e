package dev.spor.metrics;

import dev.spor.admin.ApiKeys;
import dev.spor.consent.Consent;
import dev.spor.tracking.PageViewWriter;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Spor's operational figures at {@code /metrics} (Prometheus text format, Micrometer): HTTP
 * requests by status class, collection (beacons stored, failed, refused; batch sizes, commit
 * latency, queue depth), consent decisions by action, Caffeine cache statistics, and the JVM's
 * own. One registry per running app, so two apps in one JVM (tests) keep their figures apart.
 * No figure carries a site, a path or anything about a visitor.
 *
 * <p>Micrometer is not needed to serve, and loading it is a good part of a start: the registry
 * is made by {@link #buildInBackground} or by the first scrape, whichever comes first. Requests
 * and batches before that are counted all the same. Thread-safe.
 */
public final class Metrics implements AutoCloseable {
    /** Batches remembered until the registry exists; a start takes well under a second. */
    private static final int MAX_EARLY_BATCHES = 10_000;

    private final ApiKeys keys;
    private final Consent consent;
    /** Requests answered, by status class 1xx to 5xx. */
    private final LongAdder[] requests = new LongAdder[5];
    private final FutureTask<Registry> building = new FutureTask<>(this::build);
    /** Guards {@code early}, {@code closed} and the hand-over to {@code registry}. */
    private final Object handOver = new Object();
    /** Batches written before the registry existed: beacons and nanoseconds of each. */
    private final List<long[]> early = new ArrayList<>();
    private boolean closed;
    private volatile Registry registry;

    private Metrics(ApiKeys keys, Consent consent) {
        this.keys = keys;
        this.consent = consent;
        Arrays.setAll(requests, i -> new LongAdder());
        consent.writer().observe(this::batchWritten);
    }

    /**
     * The figures of a running app; cheap, since Micrometer is not loaded yet.
     *
     * @param keys the API keys; {@code /metrics} takes the same bearer key as the API
     */
    public static Metrics create(ApiKeys keys, Consent consent) {
        return new Metrics(keys, consent);
    }

    /** Makes the registry on a thread of its own; call once the app is about to serve. */
    public void buildInBackground() {
        Thread thread = new Thread(building, "spor-metrics-registry");
        thread.setDaemon(true);
        thread.start();
    }

    /** The filter counting every request by status class; map it first, on {@code /*}. */
    public Filter filter() {
        return new StatusFilter(requests);
    }

    /** The servlet answering {@code GET /metrics} to a bearer API key. */
    public HttpServlet servlet() {
        return new MetricsServlet(this::scrape, keys);
    }

    /** Every figure in the Prometheus text format; makes the registry first if need be. */
    private String scrape() {
        building.run(); // returns at once when the registry is made, or being made, already
        try {
            return building.get().registry.scrape();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the metrics registry was made", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the metrics registry could not be made", e.getCause());
        }
    }

    private Registry build() {
        Registry made = new Registry(requests, consent);
        synchronized (handOver) {
            if (closed) {
                made.close();
                throw new IllegalStateException("the metrics are closed");
            }
            early.forEach(batch -> made.batchWritten((int) batch[0], batch[1]));
            early.clear();
            registry = made;
        }
        return made;
    }

    /** On the writer thread: must be quick, so it never waits for the registry to be made. */
    private void batchWritten(int beacons, long nanos) {
        Registry made = registry;
        if (made == null) {
            synchronized (handOver) {
                made = registry;
                if (made == null) {
                    if (early.size() < MAX_EARLY_BATCHES) {
                        early.add(new long[] {beacons, nanos});
                    }
                    return;
                }
            }
        }
        made.batchWritten(beacons, nanos);
    }

    @Override
    public void close() {
        Registry made;
        synchronized (handOver) {
            closed = true;
            made = registry;
        }
        if (made != null) {
            made.close();
        }
    }

    /** The Micrometer registry with every figure bound. */
    private static final class Registry implements AutoCloseable {
        private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        private final JvmGcMetrics gc = new JvmGcMetrics();
        private final DistributionSummary batchSizes;
        private final Timer commits;

        Registry(LongAdder[] requests, Consent consent) {
            for (int i = 0; i < requests.length; i++) {
                FunctionCounter.builder("spor.http.requests", requests[i], LongAdder::sum)
                        .description("HTTP requests answered, by status class").tag("status", (i + 1) + "xx")
                        .register(registry);
            }
            bindCollection(consent.writer());
            batchSizes = DistributionSummary.builder("spor.collection.batch.size").baseUnit("beacons")
                    .description("beacons per batch (one transaction)").serviceLevelObjectives(1, 10, 50, 100, 250, 500)
                    .register(registry);
            commits = Timer.builder("spor.collection.batch.commit")
                    .description("time from taking a batch to its commit").publishPercentileHistogram().register(registry);
            bindConsent(consent);
            consent.caches().forEach((name, cache) -> CaffeineCacheMetrics.monitor(registry, cache, name));
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            gc.bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
        }

        void batchWritten(int beacons, long nanos) {
            batchSizes.record(beacons);
            commits.record(nanos, TimeUnit.NANOSECONDS);
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
        }

        private void bindConsent(Consent consent) {
            for (String action : Consent.actions()) {
                FunctionCounter.builder("spor.consent.decisions", consent, c -> c.decisionsLogged(action))
                        .description("consent decisions appended to the consent log").tag("action", action).register(registry);
            }
        }

        @Override
        public void close() {
            gc.close();
            registry.close();
        }
    }
}
