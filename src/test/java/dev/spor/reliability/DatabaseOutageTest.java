package dev.spor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.server.SporSettings;
import dev.spor.testing.Http;
import dev.spor.testing.HttpVisitor;
import dev.spor.testing.RunningSpor;
import dev.spor.testing.TcpProxy;
import dev.spor.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL goes away for 10 s under load (a proxy between Spor and the database is cut):
 * Spor answers 503 with Retry-After, never a 204 it cannot keep; /healthz says unhealthy, then
 * healthy again within 5 s of the database's return; the beacons the load retries (as the
 * tracker's queue does, same event id) all arrive, and nothing acknowledged is missing or
 * stored twice. Prints its figures.
 */
class DatabaseOutageTest {
    private static final String SITE = "https://www.example.org";
    private static final int THREADS = 4;

    @TempDir
    Path dir;

    @Test
    void outage_10s_503WithRetryAfter_healthRecoversWithin5s_nothingAcknowledgedLost() throws Exception {
        String schema = TestDatabases.newSchema();
        int pgPort = URI.create(TestDatabases.PG_URL.substring("jdbc:".length())).getPort();
        Path config = Files.writeString(dir.resolve("spor.json"), """
                { "limits": { "perAddressPerSecond": 1000000, "perSitePerSecond": 1000000 },
                  "sites": [ { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org",
                  "hosts": ["t.example.org"], "countAutomation": true,
                  "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }""");
        Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger withoutRetryAfter = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ids = new AtomicLong();
        AtomicLong cutAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong restoredAt = new AtomicLong(Long.MAX_VALUE);
        AtomicInteger duringOutage = new AtomicInteger();
        try (TcpProxy proxy = TcpProxy.start(pgPort);
                RunningSpor spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"),
                        TestDatabases.urlOf(schema).replace(":" + pgPort + "/", ":" + proxy.port() + "/"),
                        TestDatabases.PG_USER, TestDatabases.PG_PASSWORD, "k"))) {
            ExecutorService load = Executors.newFixedThreadPool(THREADS);
            for (int t = 0; t < THREADS; t++) {
                HttpVisitor browser = new HttpVisitor(spor.port(), "t.example.org", SITE, "/s/shop");
                assertThat(browser.accept(SITE + "/", "outage-accept-" + t).statusCode()).isEqualTo(200);
                load.submit(() -> {
                    while (running.get()) {
                        String id = "outage-" + ids.incrementAndGet();
                        // the tracker's queue: the same event id again until it is acknowledged
                        for (int attempt = 0; attempt < 200; attempt++) {
                            long sent = System.nanoTime();
                            HttpResponse<String> answer = browser.pageView(SITE + "/p", id, null);
                            if (answer.statusCode() == 204) {
                                acknowledged.put(id, true);
                                if (sent > cutAt.get() && System.nanoTime() < restoredAt.get()) {
                                    duringOutage.incrementAndGet(); // asked and answered while the database was away
                                }
                                break;
                            }
                            if (answer.statusCode() == 503) {
                                unavailable.incrementAndGet();
                                if (answer.headers().firstValue("Retry-After").isEmpty()) {
                                    withoutRetryAfter.incrementAndGet();
                                }
                            }
                            Thread.sleep(200);
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(2_000);
            int beforeOutage = acknowledged.size();
            proxy.cut();
            cutAt.set(System.nanoTime());
            boolean unhealthySeen = false;
            while (System.nanoTime() - cutAt.get() < TimeUnit.SECONDS.toNanos(10)) {
                unhealthySeen |= Http.get(spor.port(), "/healthz", null).statusCode() == 503;
                Thread.sleep(250);
            }
            restoredAt.set(System.nanoTime());
            proxy.restore();
            long restored = System.nanoTime();
            while (Http.get(spor.port(), "/healthz", null).statusCode() != 200
                    && System.nanoTime() - restored < TimeUnit.SECONDS.toNanos(30)) {
                Thread.sleep(100);
            }
            double healthyAfter = (System.nanoTime() - restored) / 1e9;
            Thread.sleep(3_000);
            running.set(false);
            load.shutdown();
            assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            Set<String> stored = new HashSet<>();
            long rows;
            try (Connection c = TestDatabases.connect(TestDatabases.urlOf(schema)); Statement s = c.createStatement()) {
                try (ResultSet r = s.executeQuery("SELECT event_id FROM page_views WHERE event_id LIKE 'outage-%'")) {
                    while (r.next()) {
                        stored.add(r.getString(1));
                    }
                }
                try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM page_views WHERE event_id LIKE 'outage-%'")) {
                    r.next();
                    rows = r.getLong(1);
                }
            }
            Set<String> missing = new HashSet<>(acknowledged.keySet());
            missing.removeAll(stored);
            System.out.printf("outage: acknowledged %,d (%d while the database was away), 503 answers %,d (without"
                    + " Retry-After: %d), healthy %.1f s after the database returned, acknowledged but missing %d,"
                    + " duplicate rows %d%n", acknowledged.size(), duringOutage.get(), unavailable.get(), withoutRetryAfter.get(),
                    healthyAfter, missing.size(), rows - stored.size());
            assertThat(unhealthySeen).as("/healthz 503 during the outage").isTrue();
            assertThat(unavailable.get()).isPositive();
            assertThat(withoutRetryAfter.get()).isZero();
            assertThat(duringOutage.get()).as("no 204 to a beacon sent while the database is away").isZero();
            assertThat(healthyAfter).isLessThanOrEqualTo(5.0);
            assertThat(missing).isEmpty();
            assertThat(rows).isEqualTo(stored.size());
            assertThat(acknowledged.size()).isGreaterThan(beforeOutage);
        } finally {
            TestDatabases.dropSchema(schema);
        }
    }
}
