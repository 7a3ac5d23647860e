package dev.spor.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.testing.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up of the standalone server from a command line, in-process: a first start, and every bad input. */
class LauncherTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Launcher.Started start(Map<String, String> env, String... args) {
        return Launcher.start(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void start_demoDefaults_servesAndPrintsTheAdminKeyOnFirstStartOnly() throws Exception {
        String data = dir.resolve("data").toString();
        Launcher.Started first = start(Map.of(), "--port", "0", "--data", data);
        assertThat(first.server()).isNotNull();
        int port = Launcher.port(first.server());
        first.server().stop();
        String firstOut = out.toString(StandardCharsets.UTF_8);
        out.reset();

        Launcher.Started second = start(Map.of(), "--port=0", "--data=" + data);
        second.server().stop();

        assertThat(firstOut).contains("Spor listening on http://localhost:" + port + "/").contains("/demo/")
                .containsPattern("\\n    spor_[A-Za-z0-9_-]{43}");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Spor listening on").doesNotContain("spor_");
    }

    @Test
    void start_firstStart_answers503WhileTheDatabaseMigratesThenServes() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        CountDownLatch hold = new CountDownLatch(1);
        Launcher.holdStarting = hold; // however fast the database opens here, the 503 window stays open
        CompletableFuture<Launcher.Started> starting;
        Set<String> answers = new LinkedHashSet<>();
        try {
            starting = CompletableFuture.supplyAsync(
                    () -> start(Map.of(), "--port", String.valueOf(port), "--data", dir.resolve("data").toString()));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!starting.isDone()) {
                try {
                    HttpResponse<String> answer = Http.getText(port, "/healthz", null);
                    answers.add(answer.statusCode() + " " + answer.body());
                } catch (IOException e) {
                    // not listening yet
                }
                if (answers.size() > 0 || System.nanoTime() > deadline) {
                    hold.countDown();
                }
            }
        } finally {
            hold.countDown();
            Launcher.holdStarting = null;
        }
        Launcher.Started started = starting.get();
        try {
            assertThat(answers).contains("503 {\"status\":\"unavailable\",\"reason\":\"starting\"}")
                    .isSubsetOf("503 {\"status\":\"unavailable\",\"reason\":\"starting\"}", "200 {\"status\":\"ok\"}");
            assertThat(Http.getText(port, "/healthz", null).body()).isEqualTo("{\"status\":\"ok\"}");
        } finally {
            started.server().stop();
        }
    }

    @Test
    void start_invalidConfig_printsEveryErrorWithTheFileAndExits1() throws Exception {
        Path config = dir.resolve("bad.json");
        Files.writeString(config, """
                { "sites": [ { "key": "x", "domains": ["example.org"], "cookieDomain": "example.org",
                  "hosts": ["t.example.com"], "policies": [] } ] }""");

        Launcher.Started started = start(Map.of(), "--port", "0", "--config", config.toString(), "--data", dir.toString());

        assertThat(started.server()).isNull();
        assertThat(started.exitCode()).isEqualTo(1);
        assertThat(err())
                .contains(config + ": sites[0].hosts[0]: \"t.example.com\" is not under cookie domain \"example.org\"")
                .contains(config + ": sites[0].policies: a catch-all default policy")
                .doesNotContain("\tat ");
    }

    @Test
    void start_missingConfigFile_saysSo() {
        Launcher.Started started = start(Map.of(), "--config", dir.resolve("nope.json").toString());

        assertThat(started.exitCode()).isEqualTo(1);
        assertThat(err()).contains("nope.json: file not found");
    }

    @Test
    void start_unreachableDatabase_oneClearLineAndExit1() {
        Launcher.Started started = start(Map.of("SPOR_DB_URL", "jdbc:postgresql://127.0.0.1:1/test"), "--port", "0");

        assertThat(started.exitCode()).isEqualTo(1);
        assertThat(err().strip()).startsWith("spor: cannot reach the database (PostgreSQL at jdbc:postgresql://127.0.0.1:1/test)")
                .doesNotContain("\n").doesNotContain("\tat ");
    }

    @Test
    void start_portInUse_oneClearLineAndExit1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Launcher.Started started = start(Map.of(), "--port", String.valueOf(taken.getLocalPort()),
                    "--data", dir.toString());

            assertThat(started.exitCode()).isEqualTo(1);
            assertThat(err()).contains("spor: port " + taken.getLocalPort() + " is already in use").doesNotContain("\tat ");
        }
    }

    @Test
    void start_portInUseWithDebug_showsTheStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            start(Map.of(), "--port", String.valueOf(taken.getLocalPort()), "--data", dir.toString(), "--debug");

            assertThat(err()).contains("already in use").contains("\tat ");
        }
    }

    @Test
    void start_unknownOption_exit2WithUsage() {
        Launcher.Started started = start(Map.of(), "--prot", "8080");

        assertThat(started.exitCode()).isEqualTo(2);
        assertThat(err()).contains("spor: unknown option --prot").contains("usage: java -jar spor.war");
    }

    @Test
    void start_badPort_exit2() {
        assertThat(start(Map.of(), "--port", "http").exitCode()).isEqualTo(2);
        assertThat(err()).contains("port \"http\" is not a number from 0 to 65535");
    }

    @Test
    void start_help_printsUsageAndExits0() {
        assertThat(start(Map.of(), "--help").exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--db-url URL").contains("SPOR_ADMIN_KEY");
    }

    @Test
    void parse_environment_appliesAndCommandLineWins() throws Exception {
        Map<String, String> env = Map.of("SPOR_PORT", "9000", "SPOR_DATA", "/var/spor", "SPOR_CONFIG", "/etc/spor.json",
                "SPOR_DB_URL", "jdbc:postgresql://db/spor", "SPOR_ADMIN_KEY", "secret-key", "SPOR_DEBUG", "true");

        Options fromEnv = Options.parse(new String[0], env);
        Options overridden = Options.parse(new String[] {"--port", "9001", "--data", "/tmp/x"}, env);

        assertThat(fromEnv.port()).isEqualTo(9000);
        assertThat(fromEnv.debug()).isTrue();
        assertThat(fromEnv.settings().dataDir()).isEqualTo(Path.of("/var/spor"));
        assertThat(fromEnv.settings().configFile()).isEqualTo(Path.of("/etc/spor.json"));
        assertThat(fromEnv.settings().dbUrl()).isEqualTo("jdbc:postgresql://db/spor");
        assertThat(fromEnv.settings().adminKey()).isEqualTo("secret-key");
        assertThat(fromEnv.settings().toString()).doesNotContain("secret-key");
        assertThat(overridden.port()).isEqualTo(9001);
        assertThat(overridden.settings().dataDir()).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void parse_noOptions_usesDefaults() throws Exception {
        Options defaults = Options.parse(new String[0], Map.of());

        assertThat(defaults.port()).isEqualTo(8080);
        assertThat(defaults.settings().configFile()).isNull();
        assertThat(defaults.settings().dataDir()).isEqualTo(Path.of("spor-data"));
        assertThat(defaults.settings().dbUrl()).isNull();
        assertThat(defaults.debug()).isFalse();
    }
}
