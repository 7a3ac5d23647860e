package dev.spor.war;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import dev.spor.testing.Http;
import dev.spor.testing.SporProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built {@code target/spor.war} run as {@code java -jar}, as a newcomer or operator would. */
class ExecutableWarIT {

    @TempDir
    Path dir;

    private static HttpResponse<String> get(int port, String path, String host) throws Exception {
        return Http.getText(port, path, host);
    }

    @Test
    void javaJar_demo_servesScriptOnBothAliasesAnd404ForUnknownHost_thenStopsOnSigterm() throws Exception {
        try (SporProcess spor = new SporProcess(dir, "--port", "0")) {
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

        try (SporProcess spor = new SporProcess(dir, "--port", "0", "--config", config.toString())) {
            assertThat(spor.awaitExit()).isEqualTo(1);
            assertThat(spor.err())
                    .contains(config + ": sites[0].cookieDomain: is required")
                    .contains(config + ": sites[0].domains: at least one domain is required")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void javaJar_portInUse_oneLineExit1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0);
                SporProcess spor = new SporProcess(dir, "--port", String.valueOf(taken.getLocalPort()))) {
            assertThat(spor.awaitExit()).isEqualTo(1);
            assertThat(spor.err()).contains("spor: port " + taken.getLocalPort() + " is already in use").doesNotContain("\tat ");
        }
    }

    @Test
    void javaJar_unreachableDatabase_oneLineExit1() throws Exception {
        try (SporProcess spor = new SporProcess(dir, "--port", "0", "--db-url", "jdbc:postgresql://127.0.0.1:1/test")) {
            assertThat(spor.awaitExit()).isEqualTo(1);
            assertThat(spor.err().strip()).startsWith("spor: cannot reach the database").doesNotContain("\tat ");
        }
    }
}
