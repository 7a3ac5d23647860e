package dev.spor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built {@code target/spor.war} started as {@code java -jar} in its own process (path from
 * the system property {@code spor.war}, set by the build for integration tests), with its
 * output collected; {@link #close()} kills it.
 */
public final class SporProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Spor listening on http://localhost:(\\d+)/");

    public final Process process;
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();
    private final Thread errReader;

    public SporProcess(Path dir, String... args) throws IOException {
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
    public Matcher awaitOut(Pattern pattern) throws InterruptedException {
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

    /** The port it listens on, once it does. */
    public int awaitPort() throws InterruptedException {
        return Integer.parseInt(awaitOut(LISTENING).group(1));
    }

    public String out() {
        synchronized (out) {
            return out.toString();
        }
    }

    public String err() {
        synchronized (err) {
            return err.toString();
        }
    }

    /** Waits for the process to end; its exit code. */
    public int awaitExit() throws Exception {
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("process ended").isTrue();
        errReader.join(5_000);
        return process.exitValue();
    }

    /** Kills it at once (SIGKILL): no shutdown hook runs. */
    @Override
    public void close() {
        process.destroyForcibly();
    }
}
