package dev.spor.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.server.SporSettings;
import dev.spor.testing.RunningSpor;
import dev.spor.testing.TestDatabases;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many consenting browsers sending page views at once to the real server, some resending: every
 * beacon acknowledged with 204 is in the database exactly once. Prints the figures.
 */
class CollectionConcurrencyTest {
    private static final String CONFIG = """
            { "limits": { "perAddressPerSecond": 1000000, "perSitePerSecond": 1000000 },
                  "sites": [ { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org",
              "hosts": ["t.example.org"], "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }""";

    @TempDir
    Path dir;

    @Test
    void parallelBeacons_onH2_everyAcknowledgedOneIsStoredExactlyOnce() throws Exception {
        Path config = Files.writeString(dir.resolve("spor.json"), CONFIG);
        try (RunningSpor spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"), null, null, null, "k"))) {
            run(spor, "H2", 50, 200);
        }
    }

    @Test
    void parallelBeacons_onPostgres_everyAcknowledgedOneIsStoredExactlyOnce() throws Exception {
        Path config = Files.writeString(dir.resolve("spor.json"), CONFIG);
        String schema = TestDatabases.newSchema();
        try (RunningSpor spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"), TestDatabases.urlOf(schema),
                TestDatabases.PG_USER, TestDatabases.PG_PASSWORD, "k"))) {
            run(spor, "PostgreSQL", 10, 100);
        } finally {
            TestDatabases.dropSchema(schema);
        }
    }

    /** Batch sizes as the writer reports them in its FINE log, while a run lasts. */
    private static final class Batches extends Handler {
        final AtomicLong batches = new AtomicLong();
        final AtomicLong beacons = new AtomicLong();
        final AtomicLong micros = new AtomicLong();

        @Override
        public void publish(LogRecord record) {
            if (record.getMessage().startsWith("wrote a batch") && record.getParameters() != null) {
                batches.incrementAndGet();
                beacons.addAndGet(((Number) record.getParameters()[0]).longValue());
                micros.addAndGet(((Number) record.getParameters()[1]).longValue());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static void run(RunningSpor spor, String database, int threads, int perThread) throws Exception {
        List<TestBrowser> browsers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            browsers.add(new TestBrowser(spor.port(), "shop", "example.org").accept());
        }
        Set<String> sent = ConcurrentHashMap.newKeySet();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong requests = new AtomicLong();
        Logger writerLog = Logger.getLogger(PageViewWriter.class.getName());
        Level level = writerLog.getLevel();
        Batches batches = new Batches();
        writerLog.addHandler(batches);
        writerLog.setLevel(Level.FINE);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ExecutorService copies = Executors.newFixedThreadPool(threads / 10 + 1);
        long started = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                TestBrowser browser = browsers.get(t);
                boolean resends = t % 10 == 0; // every tenth browser resends, as a retrying tracker would
                String prefix = "conc-" + t + "-";
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String eventId = prefix + i + "-" + Long.toHexString(System.nanoTime());
                        String path = "/page/" + i;
                        sent.add(eventId);
                        Future<HttpResponse<String>> copy = resends && i % 10 == 0
                                ? copies.submit(() -> browser.pageView(eventId, path)) : null; // at the same time
                        List<HttpResponse<String>> responses = new ArrayList<>(List.of(browser.pageView(eventId, path)));
                        if (copy != null) {
                            responses.add(copy.get());
                        }
                        if (resends && i % 10 == 5) {
                            responses.add(browser.pageView(eventId, path)); // after the first was answered
                        }
                        for (HttpResponse<String> response : responses) {
                            requests.incrementAndGet();
                            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
                            if (response.statusCode() == 204) {
                                acknowledged.add(eventId);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            copies.shutdownNow();
            writerLog.removeHandler(batches);
            writerLog.setLevel(level);
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        Map<String, Integer> stored = storedCounts(spor);
        long rows = stored.values().stream().mapToLong(Integer::longValue).sum();
        System.out.printf("%s: %d browsers x %d beacons, %d requests (resends included) in %.2f s = %.0f requests/s;"
                + " statuses %s; %d acknowledged, %d rows stored; %d batches, mean %.1f beacons per batch,"
                + " mean %.2f ms per batch write%n",
                database, threads, perThread, requests.get(), seconds, requests.get() / seconds, statuses, acknowledged.size(),
                rows, batches.batches.get(), batches.beacons.get() / (double) Math.max(1, batches.batches.get()),
                batches.micros.get() / 1000.0 / Math.max(1, batches.batches.get()));
        assertThat(statuses.keySet()).as("statuses").containsOnly(204);
        assertThat(acknowledged).hasSize(threads * perThread);
        assertThat(stored.keySet()).as("stored ids were all sent").isSubsetOf(sent).containsAll(acknowledged);
        assertThat(stored.values()).as("each stored once").containsOnly(1);
        assertThat(batches.beacons.get() / (double) batches.batches.get()).as("mean batch size").isGreaterThan(1.0);
    }

    private static Map<String, Integer> storedCounts(RunningSpor spor) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection c = spor.app().database().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT event_id, COUNT(*) FROM page_views"
                        + " WHERE site = 'shop' AND event_id LIKE 'conc-%' GROUP BY event_id");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                counts.put(r.getString(1), r.getInt(2));
            }
        }
        return counts;
    }
}
