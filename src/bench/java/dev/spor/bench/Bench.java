package dev.spor.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * One benchmark run, every figure measured on this machine in this run: the null collector
 * (the ceiling), Spor standalone on H2, on PostgreSQL, on H2 with a 128 MB heap, driven by
 * {@link LoadGen} in a process of its own; then the consent-state and script endpoints, the
 * open-loop latency runs (the null collector's, as the floor, then Spor's on H2 and on
 * PostgreSQL), the tag's sizes and the cold start. Prints a table. Run by
 * {@code src/bench/run}; settings come from the environment ({@code BENCH_SECONDS},
 * {@code BENCH_WARMUP}, {@code BENCH_CONNECTIONS}, {@code BENCH_JFR=1}, {@code BENCH_ONLY=h2,get,open,h2open,pg,pgopen,heap,cold}).
 */
public final class Bench {
    private static final String CONFIG = """
            { "limits": { "perAddressPerSecond": 10000000, "perSitePerSecond": 10000000 },
              "sites": [ { "key": "shop", "name": "Bench shop", "domains": ["www.example.org"],
              "cookieDomain": "example.org", "hosts": ["t.example.org"],
              "policies": [ { "id": "default", "mode": "opt-in" } ] } ] }""";
    private static final String PG_URL = env("SPOR_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String PG_USER = env("SPOR_TEST_PG_USER", "postgres");
    /** The null collector answers a GET with as many bytes as Spor's consent answer for the bench site. */
    private static final int STATE_ANSWER_BYTES = 1000;
    private static final List<String> SERVER_JVM = List.of("-Xms64m", "-Xmx512m", "-XX:+UseG1GC");
    /** The null collector's GET: visitors with any cookie, none new. */
    private static final List<String> NULL_GET = List.of("--cookies", "fake", "--new", "0");
    /** The open loop: 5,000 beacons a second, sent on time whatever the answers (latency from when each was due). */
    private static final List<String> OPEN_LOOP = List.of("--rate", "5000", "--connections", "64");
    /** The same against the null collector, whose visitors need no real consent cookie. */
    private static final List<String> OPEN_LOOP_FAKE_COOKIES = List.of("--rate", "5000", "--connections", "64",
            "--cookies", "fake");

    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final String classpath = System.getProperty("java.class.path");
    private final Path out;
    private final double seconds = Double.parseDouble(env("BENCH_SECONDS", "10"));
    /**
     * Warm-up before the first window on a fresh server JVM: Spor's JIT is busy for most of a
     * minute under this load on two cores (C2 took 75 % of a core 30 s in, 21 % at 55 s, under
     * 5 % after 60 s), and a window inside that measures the compiler, not the server.
     */
    private final double warmup = Double.parseDouble(env("BENCH_WARMUP", "60"));
    /** Warm-up before a later window on a JVM already warmed by an earlier load. */
    private final double warmupWarm = Double.parseDouble(env("BENCH_WARMUP_WARM", "15"));
    private final int connections = Integer.parseInt(env("BENCH_CONNECTIONS", "32"));
    private final boolean jfr = !env("BENCH_JFR", "").isEmpty();
    private final Set<String> only = new HashSet<>(Arrays.asList(env("BENCH_ONLY", "").split(",")));
    private final List<String[]> table = new ArrayList<>();
    private Proc ceiling;
    private int nullRuns;
    /** Beacons per second of the last null-collector window. */
    private double lastCeiling;
    private final List<String> notes = new ArrayList<>();
    /** Data directories of the runs (gigabytes of H2 each), deleted when the bench ends. */
    private final List<Path> dataDirs = new ArrayList<>();

    private Bench(Path out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("target", "bench", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(out);
        Bench bench = new Bench(out);
        try {
            bench.run();
        } finally {
            bench.deleteDataDirs();
        }
    }

    private Path dataDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        dataDirs.add(dir);
        return dir;
    }

    private void deleteDataDirs() throws IOException {
        for (Path dir : dataDirs) {
            if (Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    private boolean wanted(String part) {
        return only.contains("") || only.contains(part);
    }

    /** The open loop on {@code database} ("h2" or "pg"): part "open" is both, "h2open" or "pgopen" one. */
    private boolean wantedOpen(String database) {
        return wanted("open") || only.contains(database + "open");
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        System.out.printf(Locale.ROOT, "spor bench: %d connections, %.0f s warm-up on a fresh JVM (%.0f s on a warm one)"
                + " + %.0f s window each; %d cores; server JVMs %s; logs in %s%n", connections, warmup, warmupWarm, seconds,
                Runtime.getRuntime().availableProcessors(), String.join(" ", SERVER_JVM), out);
        try (Proc ceiling = startNull()) {
            this.ceiling = ceiling;
            Map<String, String> nullGet = load(ceiling, "state", "nullget", NULL_GET);
            row("null collector: GET -> 200 (" + STATE_ANSWER_BYTES + " B)", nullGet, "-", "1.00", "ceiling");
            if (wantedOpen("h2") || wantedOpen("pg")) {
                Map<String, String> nullOpen = load(ceiling, "pageviews", "nullopen", OPEN_LOOP_FAKE_COOKIES);
                row("null collector: open loop 5,000 beacons/s", nullOpen, "-", "-", "latency floor");
            }
            lastCeiling = nullViews();
            if (wanted("h2") || wanted("get") || wantedOpen("h2")) {
                sporH2(rps(nullGet));
            }
            if (wanted("pg") || wantedOpen("pg")) {
                sporPostgres();
            }
            if (wanted("heap")) {
                sporH2Capped();
            }
        }
        if (wanted("cold")) {
            coldStart();
        }
        tagSizes();
        print((System.nanoTime() - started) / 1e9);
    }

    /** One window on the null collector; its beacons per second. */
    private double nullViews() throws Exception {
        nullRuns++;
        Map<String, String> views = load(ceiling, "pageviews", "null" + nullRuns, List.of("--cookies", "fake"));
        row("null collector #" + nullRuns + ": POST beacon -> 204", views, "-", "1.00", "ceiling");
        return rps(views);
    }

    /**
     * The ceiling for the Spor run just done: the mean of the null windows before and after it,
     * so that a change of the machine's load during the run counts half on either side.
     */
    private double ceilingAround() throws Exception {
        double after = nullViews();
        double mean = (lastCeiling + after) / 2;
        lastCeiling = after;
        return mean;
    }

    private void sporH2(double ceilingGet) throws Exception {
        Path dir = dataDir("spor-bench-h2");
        List<String> jvm = new ArrayList<>(SERVER_JVM);
        if (jfr) {
            jvm.add("-XX:FlightRecorderOptions=stackdepth=256");
            jvm.add("-XX:StartFlightRecording=filename=" + out.resolve("spor-h2.jfr").toAbsolutePath() + ",settings=profile");
        }
        Map<String, String> views;
        Map<String, String> state = null;
        Map<String, String> s200 = null;
        Map<String, String> s304 = null;
        Map<String, String> open = null;
        try (Proc spor = startSpor("spor-h2", jvm, dir, List.of())) {
            views = load(spor, "pageviews", "h2", List.of());
            if (wanted("get")) {
                state = load(spor, "state", "h2state", List.of("--new", "0", "--returning", "200"));
                s200 = load(spor, "script200", "s200", List.of("--cookies", "none"));
                s304 = load(spor, "script304", "s304", List.of("--cookies", "none"));
            }
            if (wantedOpen("h2")) {
                open = load(spor, "pageviews", "h2open", OPEN_LOOP);
            }
        }
        gcNote("spor-h2");
        String stored = storedH2(dir, "h2", views);
        double ceilingRps = ceilingAround();
        row("Spor H2: POST beacon -> 204, stored", views, stored, ratio(durable(views, stored), ceilingRps), ">= 0.50");
        if (state != null) {
            // the GET ceiling too is the mean of a window before and one after
            Map<String, String> nullGetAfter = load(ceiling, "state", "nullget2", NULL_GET);
            row("null collector #2: GET -> 200 (" + STATE_ANSWER_BYTES + " B)", nullGetAfter, "-", "1.00", "ceiling");
            double getCeiling = (ceilingGet + rps(nullGetAfter)) / 2;
            row("Spor H2: GET <endpoint>/state?url=", state, "-", ratio(rps(state), getCeiling), ">= 0.70");
            row("Spor: GET <script> 200 (gzip)", s200, "-", ratio(rps(s200), getCeiling), "(vs null GET)");
            row("Spor: GET <script> 304 (If-None-Match)", s304, "-", ratio(rps(s304), getCeiling), "(vs null GET)");
        }
        if (open != null) {
            row("Spor H2: open loop 5,000 beacons/s", open, storedH2(dir, "h2open", open), "-", "p99 <= 10 ms");
        }
    }

    private void sporPostgres() throws Exception {
        String schema = "spor_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        sql(PG_URL, "CREATE SCHEMA " + schema);
        String url = PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try {
            Path dir = dataDir("spor-bench-pg");
            List<String> jvm = new ArrayList<>(SERVER_JVM);
            if (jfr) {
                jvm.add("-XX:StartFlightRecording=filename=" + out.resolve("spor-pg.jfr").toAbsolutePath()
                        + ",settings=profile");
            }
            Map<String, String> views;
            Map<String, String> open = null;
            try (Proc spor = startSpor("spor-pg", jvm, dir, List.of("--db-url", url, "--db-user", PG_USER))) {
                views = load(spor, "pageviews", "pg", List.of());
                if (wantedOpen("pg")) {
                    open = load(spor, "pageviews", "pgopen", OPEN_LOOP);
                }
            }
            gcNote("spor-pg");
            String stored;
            String openStored = null;
            try (Connection c = DriverManager.getConnection(url, PG_USER, env("SPOR_TEST_PG_PASSWORD", ""))) {
                stored = stored(c, "pg", views);
                if (open != null) {
                    openStored = stored(c, "pgopen", open);
                }
            }
            double ceilingRps = ceilingAround();
            row("Spor PostgreSQL: POST beacon -> 204, stored", views, stored,
                    ratio(durable(views, stored), ceilingRps), ">= 0.35");
            if (open != null) {
                row("Spor PostgreSQL: open loop 5,000 beacons/s", open, openStored, "-", "p99 <= 10 ms");
            }
        } finally {
            sql(PG_URL, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private void sporH2Capped() throws Exception {
        Path dir = dataDir("spor-bench-heap");
        List<String> jvm = new ArrayList<>(SERVER_JVM);
        jvm.set(1, "-Xmx128m");
        Map<String, String> views;
        try (Proc spor = startSpor("spor-h2-128m", jvm, dir, List.of())) {
            views = load(spor, "pageviews", "heap", List.of());
        }
        gcNote("spor-h2-128m");
        String stored = storedH2(dir, "heap", views);
        double ceilingRps = ceilingAround();
        row("Spor H2 -Xmx128m: POST beacon -> 204, stored", views, stored,
                ratio(durable(views, stored), ceilingRps), ">= 0.50");
    }

    /** {@code java -jar target/spor.war} with a fresh data directory, to the first 200 on /healthz. */
    private void coldStart() throws Exception {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path dir = dataDir("spor-bench-cold");
            Path config = Files.writeString(dir.resolve("spor.json"), CONFIG);
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(SERVER_JVM);
            command.addAll(List.of("-jar", "target/spor.war", "--port", String.valueOf(port), "--config",
                    config.toString(), "--data", dir.resolve("data").toString()));
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.resolve("cold-" + i + ".log").toFile()).start();
            p.getOutputStream().close();
            try {
                awaitHealthy(port, p, 30);
                times.add((System.nanoTime() - start) / 1e6);
            } finally {
                stop(p);
            }
        }
        times.sort(null);
        table.add(new String[] {"cold start: java -jar target/spor.war -> /healthz 200",
            String.format(Locale.ROOT, "%.0f / %.0f / %.0f ms", times.get(0), times.get(1), times.get(2)), "", "", "",
            "", "", "<= 2000 ms"});
        notes.add("cold start: three starts with a fresh H2 directory each (WAR already unpacked), min / median / max");
    }

    private void tagSizes() throws IOException {
        Path js = Path.of("target", "classes", "dev", "spor", "tag", "js");
        StringBuilder line = new StringBuilder();
        for (String name : List.of("spor.js", "collect.js", "forms.js", "banner.js")) {
            Path file = js.resolve(name);
            if (Files.exists(file)) {
                byte[] bytes = Files.readAllBytes(file);
                line.append(String.format(Locale.ROOT, "%s %d B min, %d B gzip; ", name, bytes.length, gzip(bytes)));
            }
        }
        Path snippet = js.resolve("snippet.js");
        long snippetBytes = Files.exists(snippet) ? Files.size(snippet) : -1;
        line.append("snippet ").append(snippetBytes).append(" B");
        notes.add("tag sizes (gzip -9 of target/classes/dev/spor/tag/js): " + line
                + "  [targets: tracker <= 2.2 KB gzip, banner <= 5 KB gzip, snippet <= 500 B]");
    }

    private static int gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buffer) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(bytes);
        }
        return buffer.size();
    }

    // --- load ---

    /** Runs the load generator in its own process and returns its RESULT fields. */
    private Map<String, String> load(Proc server, String mode, String prefix, List<String> extra) throws Exception {
        double warm = server.loads.getAndIncrement() == 0 ? warmup : warmupWarm;
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", classpath, LoadGen.class.getName(),
                "--port", String.valueOf(server.port), "--mode", mode, "--prefix", prefix, "--connections",
                String.valueOf(connections), "--warmup", String.valueOf(warm), "--duration", String.valueOf(
                        mode.startsWith("pageviews") || mode.equals("pageviews") ? seconds : Math.max(3, seconds / 2)),
                "--new", "3000", "--returning", "500", "--acks", out.resolve(prefix + ".acks").toString()));
        command.addAll(extra);
        System.out.println("  load " + prefix + ": " + mode + " " + String.join(" ", extra) + " (warm-up " + warm + " s)");
        Process p = new ProcessBuilder(command).redirectError(out.resolve(prefix + ".load.err").toFile()).start();
        p.getOutputStream().close();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("load generator failed (" + prefix + "); see " + out.resolve(prefix
                    + ".load.err") + "\n" + text);
        }
        for (String line : text.split("\n")) {
            if (line.startsWith("RESULT ")) {
                Map<String, String> result = new HashMap<>();
                for (String field : line.substring(7).trim().split(" ")) {
                    int eq = field.indexOf('=');
                    result.put(field.substring(0, eq), field.substring(eq + 1));
                }
                result.put("prefix", prefix);
                System.out.println("    " + line);
                return result;
            }
        }
        throw new IllegalStateException("load generator printed no RESULT: " + text);
    }

    private static double rps(Map<String, String> result) {
        return Double.parseDouble(result.get("rps")) * (1 - errorShare(result));
    }

    private static double errorShare(Map<String, String> result) {
        double requests = Double.parseDouble(result.get("requests"));
        return requests == 0 ? 1 : Double.parseDouble(result.get("errors")) / requests;
    }

    /** Acknowledged page views per second in the window, times the share of acknowledged ones found stored. */
    private static double durable(Map<String, String> result, String stored) {
        String[] parts = stored.split("/");
        double share = Double.parseDouble(parts[1]) == 0 ? 0 : Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
        return rps(result) * share;
    }

    private static String ratio(double value, double ceiling) {
        return String.format(Locale.ROOT, "%.2f", value / ceiling);
    }

    // --- servers ---

    private Proc startNull() throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(SERVER_JVM);
        command.addAll(List.of("-cp", classpath, NullCollector.class.getName(), String.valueOf(port),
                String.valueOf(STATE_ANSWER_BYTES)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolve("null.log").toFile()).start();
        p.getOutputStream().close();
        awaitStatus(port, p, "/", 200, 30);
        return new Proc(p, port);
    }

    private Proc startSpor(String name, List<String> jvm, Path dir, List<String> extra) throws Exception {
        Path config = Files.writeString(dir.resolve("spor.json"), CONFIG);
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvm);
        command.add("-Xlog:gc:file=" + out.resolve(name + "-gc.log").toAbsolutePath() + ":uptime");
        command.addAll(List.of("-jar", "target/spor.war", "--port", String.valueOf(port), "--config", config.toString(),
                "--data", dir.resolve("data").toString()));
        command.addAll(extra);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolve(name + ".log").toFile());
        builder.environment().put("SPOR_ADMIN_KEY", "bench-admin-key-of-no-value-elsewhere");
        Process p = builder.start();
        p.getOutputStream().close();
        awaitHealthy(port, p, 60);
        System.out.println("  " + name + " up on port " + port);
        return new Proc(p, port);
    }

    private static void awaitHealthy(int port, Process p, int seconds) throws Exception {
        awaitStatus(port, p, "/healthz", 200, seconds);
    }

    private static void awaitStatus(int port, Process p, String path, int status, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("server exited with " + p.exitValue() + " before serving");
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                        .openConnection();
                c.setConnectTimeout(200);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == status) {
                    try (InputStream in = c.getInputStream()) {
                        in.readAllBytes();
                    }
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("server on port " + port + " not serving " + path + " within " + seconds + " s");
    }

    /** A server process; {@code loads} counts the loads run on it, so only the first gets the long warm-up. */
    private record Proc(Process process, int port, AtomicInteger loads) implements AutoCloseable {
        Proc(Process process, int port) {
            this(process, port, new AtomicInteger());
        }

        @Override
        public void close() throws InterruptedException {
            stop(process);
        }
    }

    /**
     * The GC pauses of a Spor run (its -Xlog:gc file, warm-up included): how many, their total
     * and longest, and the most heap in use after a collection.
     */
    private void gcNote(String name) throws IOException {
        Path log = out.resolve(name + "-gc.log");
        if (!Files.exists(log)) {
            return;
        }
        Pattern pause = Pattern.compile("Pause .*?(\\d+)M->(\\d+)M\\((\\d+)M\\) ([0-9.]+)ms");
        int pauses = 0;
        double total = 0;
        double longest = 0;
        int live = 0;
        int committed = 0;
        for (String line : Files.readAllLines(log)) {
            Matcher m = pause.matcher(line);
            if (m.find()) {
                double ms = Double.parseDouble(m.group(4));
                pauses++;
                total += ms;
                longest = Math.max(longest, ms);
                live = Math.max(live, Integer.parseInt(m.group(2)));
                committed = Math.max(committed, Integer.parseInt(m.group(3)));
            }
        }
        notes.add(String.format(Locale.ROOT, "%s GC (whole run): %d pauses, %.0f ms in all, longest %.1f ms; "
                + "at most %d MB in use after a collection, %d MB committed", name, pauses, total, longest, live,
                committed));
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    // --- the database check ---

    /** After Spor stopped: how many of the acknowledged event ids are in its H2 database. */
    private String storedH2(Path dir, String prefix, Map<String, String> result) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("data").resolve("spor") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
                + ";DEFAULT_NULL_ORDERING=HIGH";
        Path file = dir.resolve("data").resolve("spor.mv.db");
        if (Files.exists(file)) {
            notes.add(String.format(Locale.ROOT, "H2 file after the %s run: %,d MB", prefix, Files.size(file) >> 20));
        }
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            return stored(c, prefix, result);
        }
    }

    private String stored(Connection c, String prefix, Map<String, String> result) throws IOException, SQLException {
        Set<String> found = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT event_id FROM page_views WHERE site = 'shop' AND event_id LIKE ?")) {
            s.setString(1, "%-" + prefix + "-%"); // ids are time first, then the prefix
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    found.add(r.getString(1));
                }
            }
        }
        List<String> acked = Files.readAllLines(out.resolve(prefix + ".acks"));
        long present = acked.stream().filter(found::contains).count();
        result.put("stored", String.valueOf(present));
        return present + "/" + acked.size();
    }

    private static void sql(String url, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, PG_USER, env("SPOR_TEST_PG_PASSWORD", ""));
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    // --- the table ---

    private void row(String what, Map<String, String> r, String stored, String ratio, String target) {
        table.add(cells(what, r, stored, ratio, target));
        if (!"0".equals(r.get("rate"))) {
            // an open loop's latency counts from when a request was due; it is sent late when
            // every connection still waits for an answer (a stall of the server) or when the
            // generator's thread waited for a core: near 0 on the null collector
            notes.add(String.format(Locale.ROOT, "%s: p99 of how late requests were sent %s ms (all connections"
                    + " waiting on the server, or the load generator waiting for a core; part of the p99)", what,
                    ms(r.get("latep99us"))));
        }
    }

    private static String[] cells(String what, Map<String, String> r, String stored, String ratio, String target) {
        return new String[] {what, r.get("rps"), ms(r.get("p50us")), ms(r.get("p99us")), r.get("errors"),
            stored, ratio, target};
    }

    private static String ms(String micros) {
        return String.format(Locale.ROOT, "%.2f", Long.parseLong(micros) / 1000.0);
    }

    private void print(double took) {
        String[] head = {"figure", "req/s", "p50 ms", "p99 ms", "errors", "stored/acked", "ratio", "target"};
        int[] width = new int[head.length];
        List<String[]> all = new ArrayList<>();
        all.add(head);
        all.addAll(table);
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i] == null ? 0 : row[i].length());
            }
        }
        System.out.println();
        for (String[] row : all) {
            StringBuilder line = new StringBuilder("| ");
            for (int i = 0; i < row.length; i++) {
                String cell = row[i] == null ? "" : row[i];
                line.append(i == 0 ? pad(cell, width[i], false) : pad(cell, width[i], true)).append(" | ");
            }
            System.out.println(line.toString().stripTrailing());
            if (row == head) {
                StringBuilder rule = new StringBuilder("|");
                for (int w : width) {
                    rule.append("-".repeat(w + 2)).append("|");
                }
                System.out.println(rule);
            }
        }
        System.out.println();
        notes.add("ratio: durable page views/s (204s in the window x share of them found in the database after Spor"
                + " stopped) / the mean of the null-collector windows just before and just after that Spor run;"
                + " GET rows against the mean of the null collector's GET windows before and after the Spor H2 run");
        notes.forEach(n -> System.out.println("  " + n));
        System.out.printf(Locale.ROOT, "  run took %.0f s; logs, acks%s in %s%n", took, jfr ? " and JFR recordings" : "",
                out);
    }

    private static String pad(String s, int width, boolean right) {
        String spaces = " ".repeat(Math.max(0, width - s.length()));
        return right ? spaces + s : s + spaces;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
