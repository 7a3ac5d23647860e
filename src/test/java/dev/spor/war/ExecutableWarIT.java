package dev.spor.war;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.spor.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built {@code target/spor.war} run as {@code java -jar}, as a newcomer or operator would. */
class ExecutableWarIT {
    private static final Pattern LISTENING = Pattern.compile("Spor listening on http://localhost:(\\d+)/");

    @TempDir
    Path dir;

    /** A started {@code java -jar spor.war} with its output collected. */
    private static final class Spor implements AutoCloseable {
        final Process process;
        final StringBuilder out = new StringBuilder();
        final StringBuilder err = new StringBuilder();
        final Thread errReader;

        Spor(Path dir, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", System.getProperty("spor.war")));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("SPOR_"));
            process = builder.start();
            new Thread(() -> copy(process.getInputStream(), out)).start();
            errReader = new Thread(() -> copy(process.getErrorStream(), err));
            errReader.start();
        }

        private static void copy(InputStream stream, StringBuilder into) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    synchronized (into) {
                        into.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        /** Waits until standard output matches, and returns the match. */
        Matcher awaitOut(Pattern pattern) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < end) {
                Matcher m = pattern.matcher(out());
                if (m.find()) {
                    return m;
                }
                if (!process.isAlive() && !pattern.matcher(out()).find()) {
                    break;
                }
                Thread.sleep(20);
            }
            throw new AssertionError("stdout never matched " + pattern + "; stdout: " + out() + " stderr: " + err());
        }

        int awaitPort() throws InterruptedException {
            return Integer.parseInt(awaitOut(LISTENING).group(1));
        }

        String out() {
            synchronized (out) {
                return out.toString();
            }
        }

        String err() {
            synchronized (err) {
                return err.toString();
            }
        }

        int awaitExit() throws Exception {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("process ended").isTrue();
            errReader.join(5_000);
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static HttpResponse<String> get(int port, String path, String host) throws Exception {
        return Http.getText(port, path, host);
    }

    @Test
    void javaJar_demo_servesScriptOnBothAliasesAnd404ForUnknownHost_thenStopsOnSigterm() throws Exception {
        try (Spor spor = new Spor(dir, "--port", "0")) {
            int port = spor.awaitPort();

            HttpResponse<String> first = get(port, "/sa/s/demo.js", "localhost:" + port);
            HttpResponse<String> second = get(port, "/sb/s/demo.js", "localhost");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(second.body()).isEqualTo(first.body()).contains("\"site\":\"demo\"");
            assertThat(get(port, "/sa/s/demo.js", "unknown.example.com").statusCode()).isEqualTo(404);
            assertThat(get(port, "/healthz", null).body()).isEqualTo("{\"status\":\"ok\"}");
            HttpResponse<String> demo = get(port, "/demo/", "localhost");
            assertThat(demo.statusCode()).isEqualTo(200);
            assertThat(demo.body()).contains("<!-- spor-snippet -->");
            assertThat(get(port, "/WEB-INF/web.xml", null).statusCode()).isEqualTo(404);
            spor.awaitOut(Pattern.compile("\\n    spor_[A-Za-z0-9_-]{43}\\n"));
            assertThat(Files.isDirectory(dir.resolve("spor-data"))).as("default data directory created").isTrue();

            spor.process.toHandle().destroy(); // SIGTERM, keeping our ends of its output pipes open

            assertThat(spor.awaitExit()).isEqualTo(143);
            assertThat(spor.err()).contains("spor: stopped").doesNotContain("\tat ");
        }
    }

    @Test
    void javaJar_badConfig_listsErrorsExits1WithoutStackTrace() throws Exception {
        Path config = dir.resolve("spor.json");
        Files.writeString(config, "{ \"sites\": [ { \"key\": \"x\", \"hosts\": [\"t.example.org\"] } ] }");

        try (Spor spor = new Spor(dir, "--port", "0", "--config", config.toString())) {
            assertThat(spor.awaitExit()).isEqualTo(1);
            assertThat(spor.err())
                    .contains(config + ": sites[0].cookieDomain: is required")
                    .contains(config + ": sites[0].domains: at least one domain is required")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void javaJar_portInUse_oneLineExit1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0); Spor spor = new Spor(dir, "--port", String.valueOf(taken.getLocalPort()))) {
            assertThat(spor.awaitExit()).isEqualTo(1);
            assertThat(spor.err()).contains("spor: port " + taken.getLocalPort() + " is already in use").doesNotContain("\tat ");
        }
    }

    @Test
    void javaJar_unreachableDatabase_oneLineExit1() throws Exception {
        try (Spor spor = new Spor(dir, "--port", "0", "--db-url", "jdbc:postgresql://127.0.0.1:1/test")) {
            assertThat(spor.awaitExit()).isEqualTo(1);
            assertThat(spor.err().strip()).startsWith("spor: cannot reach the database").doesNotContain("\tat ");
        }
    }
}
