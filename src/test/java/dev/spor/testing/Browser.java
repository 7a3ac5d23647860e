package dev.spor.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium, driven over Selenium's ChromeDriver, for tests of what happens in a
 * browser. Uses the system's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}
 * (Debian packages {@code chromium} and {@code chromium-driver}) and never downloads a driver
 * or a browser: when they are missing, starting fails, so a test that needs a browser fails
 * rather than skips.
 *
 * <p>Host names under {@code spor.test} resolve to 127.0.0.1, so a page at
 * {@code http://www.spor.test:<port>/} reaches a {@link RunningSpor} and script aliases such as
 * {@code t.spor.test} are distinct origins on the same server. Each instance has a fresh,
 * empty profile, deleted on {@link #close()}. Not thread-safe: one test thread at a time.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final int STATE_TEXT_LIMIT = 2_000;

    private final Path profile;
    private final ChromeDriver driver;

    private Browser(Path profile, ChromeDriver driver) {
        this.profile = profile;
        this.driver = driver;
    }

    /** Starts headless Chromium with a fresh profile. */
    public static Browser start() throws IOException {
        for (Path binary : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(binary + " is missing: apt-get install -y chromium chromium-driver");
            }
        }
        // Selenium looks no further (no Selenium Manager, no download) when both paths are given.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        Path profile = Files.createTempDirectory("spor-chromium-");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--no-first-run",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--user-data-dir=" + profile,
                        "--host-resolver-rules=MAP *.spor.test 127.0.0.1");
        // DevTools network events, read back through the driver by requests()
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(15));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(15));
            return new Browser(profile, driver);
        } catch (WebDriverException e) {
            deleteRecursively(profile);
            throw e;
        }
    }

    /** The underlying driver, for what this class does not wrap. */
    public WebDriver driver() {
        return driver;
    }

    /** Runs a Chrome DevTools Protocol command (network headers, cookies) and returns its result. */
    public Map<String, Object> cdp(String command, Map<String, Object> parameters) {
        return driver.executeCdpCommand(command, parameters);
    }

    /**
     * Every cookie in the browser's jar, read through the driver (HttpOnly ones included), each
     * as DevTools gives it: name, value, domain, path, httpOnly, secure, sameSite, expires.
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> cookies() {
        return (List<Map<String, Object>>) cdp("Network.getAllCookies", Map.of()).get("cookies");
    }

    /** Empties the cookie jar and drops any extra request headers: a new visitor. */
    public void forget() {
        cdp("Network.enable", Map.of());
        cdp("Network.clearBrowserCookies", Map.of());
        cdp("Network.setExtraHTTPHeaders", Map.of("headers", Map.of()));
    }

    /** Adds headers to every request the browser makes (as a proxy in front of Spor would). */
    public void sendHeaders(Map<String, String> headers) {
        cdp("Network.enable", Map.of());
        cdp("Network.setExtraHTTPHeaders", Map.of("headers", headers));
    }

    /** Navigates to {@code url} and waits until the page has loaded. */
    public Browser open(String url) {
        driver.get(url);
        return this;
    }

    /**
     * Every request the browser sent since the last call (method and URL, from DevTools'
     * {@code Network.requestWillBeSent} events in the driver's performance log), including
     * {@code sendBeacon} and {@code keepalive} requests that outlive their page.
     */
    public List<String> requests() {
        List<String> sent = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            String message = entry.getMessage();
            if (!message.contains("\"Network.requestWillBeSent\"")) {
                continue;
            }
            Matcher url = REQUEST_URL.matcher(message);
            Matcher method = REQUEST_METHOD.matcher(message);
            if (url.find() && method.find()) {
                sent.add(method.group(1) + " " + url.group(1));
            }
        }
        return sent;
    }

    private static final Pattern REQUEST_URL = Pattern.compile("\"request\":\\{.*?\"url\":\"([^\"]*)\"");
    private static final Pattern REQUEST_METHOD = Pattern.compile("\"method\":\"(GET|POST|PUT|DELETE|HEAD|OPTIONS)\"");

    /** Runs statements (a library's source, say) in the current page. */
    public void run(String script) {
        driver.executeScript(script);
    }

    /** The value of a JavaScript expression in the current page (as Selenium converts it). */
    public Object eval(String expression) {
        return driver.executeScript("return (" + expression + ");");
    }

    /**
     * Waits until a JavaScript expression in the current page is truthy, polling it. An
     * expression that throws counts as not yet true (the page may still be loading).
     *
     * @throws AssertionError after {@code timeout}, with the expression, its last value or error,
     *     and the page's URL, title, ready state and text
     */
    public void waitFor(String expression, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        while (true) {
            try {
                Object value = driver.executeScript("var v = (" + expression + "); return [!!v, String(v)];");
                List<?> result = (List<?>) value;
                if (Boolean.TRUE.equals(result.get(0))) {
                    return;
                }
                last = "value " + result.get(1);
            } catch (JavascriptException e) {
                last = "error " + e.getRawMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toMillis() + " ms for `" + expression
                        + "` to be true; last " + last + "\n" + pageState());
            }
            sleep(POLL_INTERVAL);
        }
    }

    /** The current page's URL, title, ready state, script sources and text, for failure messages. */
    public String pageState() {
        try {
            Object state = ((JavascriptExecutor) driver).executeScript(
                    "return 'url: ' + location.href + '\\ntitle: ' + document.title"
                            + " + '\\nreadyState: ' + document.readyState"
                            + " + '\\nscripts: ' + Array.prototype.map.call(document.scripts,"
                            + "     function (s) { return s.src || '(inline)'; }).join(', ')"
                            + " + '\\ntext: ' + (document.body ? document.body.innerText : '(no body)');");
            String text = String.valueOf(state);
            return text.length() > STATE_TEXT_LIMIT ? text.substring(0, STATE_TEXT_LIMIT) + "…" : text;
        } catch (WebDriverException e) {
            return "page state unavailable: " + e.getMessage();
        }
    }

    /** Quits the browser and deletes its profile. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteRecursively(profile);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete browser profile " + dir, e);
        }
    }
}
