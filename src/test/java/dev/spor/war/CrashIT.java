package dev.spor.war;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.storage.Database;
import dev.spor.testing.HttpVisitor;
import dev.spor.testing.SporProcess;
import dev.spor.testing.TestDatabases;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} under load: every page view that Spor acknowledged with 204 before it died
 * is in the database after a restart on the same data, on H2 and on PostgreSQL; and the same
 * for a graceful stop (SIGTERM) under load. Prints acknowledged, stored and missing.
 */
@TestMethodOrder(MethodOrderer.MethodName.class) // H2 before PostgreSQL: the order that once lost the driver
class CrashIT {
    private static final String SITE = "https://www.example.org";
    private static final int THREADS = 8;

    @TempDir
    Path dir;

    @Test
    void killMinus9UnderLoad_h2_nothingAcknowledgedIsLost() throws Exception {
        Set<String> acknowledged = loadThenKill(new String[0], true);
        Set<String> stored;
        try (Database database = TestDatabases.h2(dir.resolve("data"))) {
            stored = eventIds(database);
        }
        report("H2", acknowledged, stored);
    }

    @Test
    void killMinus9UnderLoad_postgres_nothingAcknowledgedIsLost() throws Exception {
        String schema = TestDatabases.newSchema();
        try {
            Set<String> acknowledged = loadThenKill(new String[] {"--db-url", TestDatabases.urlOf(schema), "--db-user",
                TestDatabases.PG_USER}, true);
            Set<String> stored;
            try (Database database = TestDatabases.postgres(schema)) {
                stored = eventIds(database);
            }
            report("PostgreSQL", acknowledged, stored);
        } finally {
            TestDatabases.dropSchema(schema);
        }
    }

    @Test
    void sigtermUnderLoad_h2_drainsInFlightBatches_nothingAcknowledgedIsLost() throws Exception {
        Set<String> acknowledged = loadThenKill(new String[0], false);
        Set<String> stored;
        try (Database database = TestDatabases.h2(dir.resolve("data"))) {
            stored = eventIds(database);
        }
        report("H2, SIGTERM", acknowledged, stored);
    }

    private static void report(String where, Set<String> acknowledged, Set<String> stored) {
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(stored);
        System.out.printf("crash (%s): acknowledged %,d, stored %,d, acknowledged but missing %d%n", where,
                acknowledged.size(), stored.size(), missing.size());
        assertThat(acknowledged).hasSizeGreaterThan(100);
        assertThat(missing).isEmpty();
    }

    /**
     * Starts Spor, loads it from several threads, stops it mid-load (SIGKILL when {@code kill},
     * else SIGTERM), restarts it on the same data.
     */
    private Set<String> loadThenKill(String[] database, boolean kill) throws Exception {
        Path config = dir.resolve("spor.json");
        Files.writeString(config, """
                { "limits": { "perAddressPerSecond": 1000000, "perSitePerSecond": 1000000 },
                  "sites": [ { "key": "shop", "domains": ["www.example.org"], "cookieDomain": "example.org",
                  "hosts": ["t.example.org"], "countAutomation": true,
                  "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }""");
        List<String> args = new ArrayList<>(List.of("--port", "0", "--config", config.toString(), "--data",
                dir.resolve("data").toString()));
        args.addAll(List.of(database));
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        try (SporProcess spor = new SporProcess(dir, args.toArray(String[]::new))) {
            int port = spor.awaitPort();
            ExecutorService load = Executors.newFixedThreadPool(THREADS);
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                HttpVisitor browser = new HttpVisitor(port, "t.example.org", SITE, "/s/shop");
                assertThat(browser.accept(SITE + "/", "accept-" + thread + "-" + System.nanoTime()).statusCode()).isEqualTo(200);
                load.submit(() -> {
                    while (running.get()) {
                        String id = "crash-" + thread + "-" + sent.incrementAndGet();
                        try {
                            HttpResponse<String> answer = browser.pageView(SITE + "/p/" + id, id, null);
                            if (answer.statusCode() == 204) {
                                acknowledged.add(id);
                            }
                        } catch (Exception e) {
                            // the server died mid-request: not acknowledged
                        }
                    }
                    return null;
                });
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (acknowledged.size() < 2_000 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            if (kill) {
                spor.process.destroyForcibly(); // SIGKILL: no shutdown hook, no drain
            } else {
                spor.process.toHandle().destroy(); // SIGTERM: requests in flight finish, batches drain
            }
            assertThat(spor.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            running.set(false);
            load.shutdown();
            assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        try (SporProcess again = new SporProcess(dir, args.toArray(String[]::new))) {
            again.awaitPort(); // starts on the data it left
            again.process.toHandle().destroy();
            again.awaitExit();
        }
        return acknowledged;
    }

    private static Set<String> eventIds(Database database) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT event_id FROM page_views")) {
            while (r.next()) {
                ids.add(r.getString(1));
            }
        }
        return ids;
    }
}
