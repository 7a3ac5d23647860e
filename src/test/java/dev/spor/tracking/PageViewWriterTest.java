package dev.spor.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spor.storage.Database;
import dev.spor.storage.StorageException;
import dev.spor.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group-commit writer against the real embedded database. */
class PageViewWriterTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:15:30Z");

    @TempDir
    Path dir;
    private Database database;
    private PageViewWriter writer;

    @BeforeEach
    void open() {
        database = TestDatabases.h2(dir);
    }

    @AfterEach
    void close() {
        if (writer != null) {
            writer.release();
            writer.close();
        }
        database.close();
    }

    private static List<Row> view(String eventId) {
        return view(eventId, "https://www.example.org/" + eventId, "visitor-1");
    }

    private static List<Row> view(String eventId, String url, String visitor) {
        return List.of(new PageView("shop", eventId, visitor, url, "/" + eventId, null, null, "SE", NOW, null, "firefox", false));
    }

    private long count(String table) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Holds the writer with one beacon in hand: it takes nothing more until released. */
    private CompletableFuture<Void> holdWithOne(String eventId) {
        writer.hold();
        CompletableFuture<Void> first = writer.submit(view(eventId));
        while (writer.queueDepth() > 0) {
            Thread.onSpinWait();
        }
        return first;
    }

    private static void awaitAll(List<CompletableFuture<Void>> futures) throws Exception {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    }

    @Test
    void submit_manyWaiting_areWrittenInFewBatches() throws Exception {
        writer = PageViewWriter.start(database.dataSource(), 10_000, 500, Duration.ofMillis(2));
        List<CompletableFuture<Void>> futures = new ArrayList<>(List.of(holdWithOne("load-held")));
        for (int i = 1; i < 1000; i++) {
            futures.add(writer.submit(view("load-" + i, "https://www.example.org/", "visitor-" + i % 8)));
        }

        writer.release();
        awaitAll(futures);

        assertThat(writer.beacons()).isEqualTo(1000);
        assertThat(writer.rows()).isEqualTo(1000);
        assertThat(writer.batches()).as("the held one with 499 more, then the other 500").isEqualTo(2);
        assertThat(writer.lastBatchSize()).isEqualTo(500);
        assertThat(writer.queueDepth()).isZero();
        assertThat(count("page_views")).isEqualTo(1000);
        assertThat(count("visitors")).as("visitors are created with their first beacon").isEqualTo(8);
    }

    /**
     * On PostgreSQL the foreign key fails the batch and the one-by-one retry stores the visitor
     * again; H2's page views have no such key, and its deferred visitor index (a round every
     * second) creates the visitor again.
     */
    @Test
    void submit_visitorErasedAfterItWasStored_nextBeaconStoresItAgain() throws Exception {
        writer = PageViewWriter.start(database.dataSource());
        writer.submit(view("erased-1", "https://www.example.org/a", "visitor-gone")).get(10, TimeUnit.SECONDS);
        writer.submit(view("kept-1", "https://www.example.org/a", "visitor-kept")).get(10, TimeUnit.SECONDS);
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            // as an erasure does, maybe on another node
            s.executeUpdate("DELETE FROM page_views WHERE visitor_id = 'visitor-gone'");
            s.executeUpdate("DELETE FROM visitors WHERE id = 'visitor-gone'");
        }

        writer.submit(view("erased-2", "https://www.example.org/b", "visitor-gone")).get(10, TimeUnit.SECONDS);
        writer.submit(view("kept-2", "https://www.example.org/b", "visitor-kept")).get(10, TimeUnit.SECONDS);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count("visitors") < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(count("visitors")).isEqualTo(2);
        assertThat(count("page_views")).as("erased-1 went with its visitor").isEqualTo(3);
        assertThat(writer.failed()).isZero();
    }

    @Test
    void submit_concurrentSenders_shareCommits() throws Exception {
        writer = PageViewWriter.start(database.dataSource());
        List<CompletableFuture<Void>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            Thread sender = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    futures.add(writer.submit(view("t" + thread + "-beacon-" + i)));
                }
            });
            sender.start();
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        awaitAll(futures);

        System.out.printf("writer, 8 senders x 500 beacons: %d batches, mean %.1f beacons per batch%n", writer.batches(),
                writer.beacons() / (double) writer.batches());
        assertThat(count("page_views")).isEqualTo(4000);
        assertThat(writer.batches()).as("commits are shared").isLessThan(4000);
    }

    @Test
    void submit_queueFull_isRefusedAtOnce() throws Exception {
        writer = PageViewWriter.start(database.dataSource(), 5, 500, Duration.ZERO);
        List<CompletableFuture<Void>> accepted = new ArrayList<>(List.of(holdWithOne("full-held")));
        CompletableFuture<Void> refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            CompletableFuture<Void> future = writer.submit(view("full-" + i));
            if (future.isCompletedExceptionally()) {
                refused = future;
            } else {
                accepted.add(future);
            }
        }

        assertThat(refused).isNotNull();
        assertThat(accepted).as("the one the writer holds, and a full queue").hasSize(1 + 5);
        assertThat(writer.queueDepth()).isEqualTo(5);
        assertThat(writer.refused()).isEqualTo(1);
        assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PageViewWriter.Refused.class).hasMessageContaining("queue full");
        assertThat(accepted).noneMatch(CompletableFuture::isDone);

        writer.release();
        awaitAll(accepted);
        assertThat(count("page_views")).isEqualTo(accepted.size());
    }

    @Test
    void close_writesEverythingQueued_thenRefuses() throws Exception {
        writer = PageViewWriter.start(database.dataSource(), 10_000, 50, Duration.ofMillis(2));
        List<CompletableFuture<Void>> futures = new ArrayList<>(List.of(holdWithOne("drain-held")));
        for (int i = 1; i < 300; i++) {
            futures.add(writer.submit(view("drain-" + i)));
        }
        Thread closing = new Thread(writer::close);
        closing.start();
        while (closing.getState() != Thread.State.WAITING) {
            Thread.onSpinWait(); // until close() waits for the writer, which waits for release()
        }
        int queued = writer.queueDepth();

        writer.release();
        closing.join(20_000);

        assertThat(closing.isAlive()).isFalse();
        assertThat(queued).as("queued when close() began").isEqualTo(299);
        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(count("page_views")).isEqualTo(300);
        assertThatThrownBy(() -> writer.submit(view("after-close-1")).get()).cause()
                .isInstanceOf(PageViewWriter.Refused.class).hasMessageContaining("closed");
    }

    @Test
    void batchWithABadRow_onlyThatBeaconFails() throws Exception {
        badRowFailsAlone();
    }

    @Test
    void batchWithABadRow_onPostgresWithRewrittenBatches_onlyThatBeaconFails() throws Exception {
        database.close();
        String schema = TestDatabases.newSchema();
        database = TestDatabases.postgres(schema);
        try {
            badRowFailsAlone();
        } finally {
            writer.close();
            database.close();
            TestDatabases.dropSchema(schema);
        }
    }

    private void badRowFailsAlone() throws Exception {
        writer = PageViewWriter.start(database.dataSource());
        List<CompletableFuture<Void>> good = new ArrayList<>(List.of(holdWithOne("good-held")));
        for (int i = 0; i < 20; i++) {
            good.add(writer.submit(view("good-a-" + i)));
        }
        CompletableFuture<Void> bad = writer.submit(view("bad-one", "https://www.example.org/" + "x".repeat(3000),
                "secret-cookie-value"));
        for (int i = 0; i < 20; i++) {
            good.add(writer.submit(view("good-b-" + i)));
        }
        List<String> logged = java.util.Collections.synchronizedList(new ArrayList<>());
        Logger log = Logger.getLogger(PageViewWriter.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            writer.release();
            awaitAll(good);
            assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(StorageException.class)
                    .hasMessageContaining("bad-one");
        } finally {
            log.removeHandler(capture);
        }

        assertThat(logged).as("the failure is logged").anyMatch(m -> m.contains("bad-one"))
                .as("without the rows' values").noneMatch(m -> m.contains("xxx") || m.contains("secret-cookie-value"));
        assertThat(writer.batches()).as("one batch, retried beacon by beacon").isEqualTo(1);
        assertThat(count("page_views")).isEqualTo(41);
        assertThat(writer.failed()).isEqualTo(1);
        assertThat(writer.beacons()).isEqualTo(41);
    }

    @Test
    void beaconWithIdentify_isWrittenWhole_orNotAtAll() throws Exception {
        writer = PageViewWriter.start(database.dataSource());
        Receipt receipt = new Receipt("shop", "visitor-1", "/thanks", null, NOW, "firefox", false);
        Beacon good = new Beacon("with-identify-1", "https://www.example.org/thanks", null, null, null, false,
                new Identify("ada@example.com", null, null));
        Beacon bad = new Beacon("with-identify-2", "https://www.example.org/thanks", null, null, null, false,
                new Identify("x".repeat(2100) + "@example.com", null, null)); // too long for its column

        writer.submit(good.rows(receipt)).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> writer.submit(bad.rows(receipt)).get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(StorageException.class);

        assertThat(count("page_views")).isEqualTo(1);
        assertThat(count("events")).isEqualTo(1);
        assertThat(writer.rows()).isEqualTo(2);
    }

    @Test
    void submit_databaseUnreachable_failsAsUnavailable() throws Exception {
        writer = PageViewWriter.start(database.dataSource());
        database.close();

        assertThatThrownBy(() -> writer.submit(view("unreachable-1")).get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(PageViewWriter.Unavailable.class);
        assertThat(writer.failed()).isEqualTo(1);
    }

    @Test
    void start_badSettings_areRefusedByName() {
        assertThatThrownBy(() -> PageViewWriter.start(database.dataSource(), 0, 500, Duration.ZERO))
                .hasMessage("capacity must be at least 1, not 0");
        assertThatThrownBy(() -> PageViewWriter.start(database.dataSource(), 10, 0, Duration.ZERO))
                .hasMessage("maxBatch must be at least 1, not 0");
        assertThatThrownBy(() -> PageViewWriter.start(database.dataSource(), 10, 10, Duration.ofSeconds(-1)))
                .hasMessage("maxWait must be between 0 and 1 s, not PT-1S");
    }
}
