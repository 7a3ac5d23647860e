package dev.spor.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator, run in a process of its own: a fixed number of keep-alive HTTP/1.1
 * connections on plain sockets (one thread each, so the generator costs little next to the
 * server), a warm-up, then a timed window. Closed loop by default (each connection sends its
 * next request when the last is answered); with {@code --rate} open loop, latency counted from
 * when a request was due, so a slow server cannot hide its queueing.
 *
 * <p>Modes: {@code pageviews} ({@code POST <endpoint>/p}), {@code state}
 * ({@code GET <endpoint>/state?url=}), {@code script200} and {@code script304}
 * ({@code GET <script>}, the second with {@code If-None-Match}). Prints one line
 * {@code RESULT key=value ...}; with {@code --acks FILE} writes the event ids answered 204.
 */
public final class LoadGen {
    static final String ALIAS = "t.example.org";
    static final String ORIGIN = "https://www.example.org";
    static final String SITE = "shop";
    static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36";

    private final Map<String, String> opts;
    private final int port;
    private final String mode;
    private final String prefix;
    /** Returning visitors' cookie headers, and new visitors' (each used once, then returning). */
    private final List<String> returning = new ArrayList<>();
    private final List<String> fresh = new ArrayList<>();
    private final AtomicInteger nextFresh = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    private volatile String etag;
    private final AtomicInteger reported = new AtomicInteger();

    private LoadGen(Map<String, String> opts) {
        this.opts = opts;
        this.port = Integer.parseInt(opts.get("port"));
        this.mode = opts.getOrDefault("mode", "pageviews");
        this.prefix = opts.getOrDefault("prefix", "b" + Long.toHexString(System.nanoTime()));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new LoadGen(opts).run();
    }

    private int intOpt(String name, int fallback) {
        return Integer.parseInt(opts.getOrDefault(name, String.valueOf(fallback)));
    }

    private void run() throws Exception {
        int connections = intOpt("connections", 32);
        cookies(connections);
        if (mode.equals("script304")) {
            try (Conn c = new Conn(port)) {
                etag = c.send(request("", 0)).header("etag");
            }
        }
        double warmup = Double.parseDouble(opts.getOrDefault("warmup", "3"));
        double duration = Double.parseDouble(opts.getOrDefault("duration", "10"));
        int rate = intOpt("rate", 0);
        long start = System.nanoTime();
        long windowStart = start + (long) (warmup * 1e9);
        long windowEnd = windowStart + (long) (duration * 1e9);
        AtomicLong ticket = new AtomicLong();
        Worker[] workers = new Worker[connections];
        for (int i = 0; i < connections; i++) {
            workers[i] = new Worker(i, start, windowStart, windowEnd, rate, ticket);
            workers[i].start();
        }
        for (Worker w : workers) {
            w.join();
        }
        report(workers, duration, rate);
    }

    /** Real cookies from accept decisions when {@code --cookies spor}, else look-alikes of the same size. */
    private void cookies(int connections) throws Exception {
        int returningCount = intOpt("returning", 500);
        int freshCount = intOpt("new", 0);
        boolean real = opts.getOrDefault("cookies", "spor").equals("spor");
        if (!real) {
            for (int i = 0; i < returningCount + freshCount; i++) {
                String header = cookieHeader("1." + randomId(86), randomId(22));
                (i < returningCount ? returning : fresh).add(header);
            }
            return;
        }
        int total = returningCount + freshCount;
        String[] headers = new String[total];
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < Math.min(connections, 16); t++) {
            Thread thread = new Thread(() -> {
                try (Conn c = new Conn(port)) {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        headers[i] = accept(c, i);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("getting consent cookies failed: " + e, e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (int i = 0; i < total; i++) {
            if (headers[i] == null) {
                throw new IllegalStateException("no cookies for visitor " + i);
            }
            (i < returningCount ? returning : fresh).add(headers[i]);
        }
    }

    private String accept(Conn c, int i) throws IOException {
        String body = "{\"action\":\"accept-all\",\"url\":\"" + ORIGIN + "/\",\"title\":\"Example shop\",\"eventId\":\""
                + prefix + "-acc-" + String.format(Locale.ROOT, "%08d", i) + "\",\"lang\":\"en\"}";
        Response r = c.send(post("/s/" + SITE + "/state", "", body));
        String consent = r.cookies.get("spor_c_" + SITE);
        String visitor = r.cookies.get("spor_id_" + SITE);
        if (r.status != 200 || consent == null || visitor == null) {
            throw new IOException("accept answered " + r.status + " with cookies " + r.cookies.keySet());
        }
        return cookieHeader(consent, visitor);
    }

    private static String cookieHeader(String consent, String visitor) {
        // a site's page carries cookies of its own next to Spor's
        return "_ga=GA1.2.1234567890.1700000000; cart=3f2a9c; spor_c_" + SITE + "=" + consent + "; spor_id_" + SITE
                + "=" + visitor;
    }

    private static String randomId(int length) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(chars.charAt(ThreadLocalRandom.current().nextInt(chars.length())));
        }
        return s.toString();
    }

    /** The next request of a connection, with a fresh event id for page views. */
    private byte[] request(String eventId, long seq) {
        switch (mode) {
            case "state" -> {
                return get("/s/" + SITE + "/state?url=https%3A%2F%2Fwww.example.org%2Fproducts%2F" + (seq % 500)
                        + "&lang=en", visitorCookies(), "");
            }
            case "script200" -> {
                return get("/s/" + SITE + ".js", null, "Accept-Encoding: gzip, deflate, br\r\n");
            }
            case "script304" -> {
                return get("/s/" + SITE + ".js", null, "Accept-Encoding: gzip, deflate, br\r\nIf-None-Match: " + etag
                        + "\r\n");
            }
            default -> {
                String body = "{\"eventId\":\"" + eventId + "\",\"url\":\"" + ORIGIN + "/products/" + (seq % 500)
                        + "?utm_source=newsletter&utm_medium=email\",\"title\":\"Product " + (seq % 500)
                        + " - Example shop\",\"referrer\":\"https://www.google.com/\",\"clientTime\":"
                        + System.currentTimeMillis() + "}";
                return post("/s/" + SITE + "/p", visitorCookies(), body);
            }
        }
    }

    /**
     * Unique per run, connection and request, 8 to 64 characters, time first as the tracker's
     * are (milliseconds in base 36, then the rest).
     */
    private String eventId(int conn, long seq) {
        return Long.toString(System.currentTimeMillis(), 36) + "-" + prefix + "-" + conn + "-" + seq;
    }

    /** Cookies of a new visitor one time in ten (its first page view), else of a returning one. */
    private String visitorCookies() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (!fresh.isEmpty() && random.nextInt(10) == 0) {
            int i = nextFresh.getAndIncrement();
            if (i < fresh.size()) {
                return fresh.get(i);
            }
        }
        return returning.get(random.nextInt(returning.size()));
    }

    private static byte[] post(String path, String cookies, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + ALIAS + "\r\nUser-Agent: " + UA
                + "\r\nAccept: */*\r\nAccept-Language: en-GB,en;q=0.9\r\nContent-Type: text/plain;charset=UTF-8\r\n"
                + "Origin: " + ORIGIN + "\r\nReferer: " + ORIGIN + "/\r\n"
                + (cookies.isEmpty() ? "" : "Cookie: " + cookies + "\r\n") + "Content-Length: " + content.length
                + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(h, h.length + content.length);
        System.arraycopy(content, 0, all, h.length, content.length);
        return all;
    }

    private static byte[] get(String path, String cookies, String extra) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + ALIAS + "\r\nUser-Agent: " + UA
                + "\r\nAccept: */*\r\nAccept-Language: en-GB,en;q=0.9\r\nOrigin: " + ORIGIN + "\r\nReferer: " + ORIGIN
                + "/\r\n" + (cookies == null ? "" : "Cookie: " + cookies + "\r\n") + extra + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** One connection's loop; latencies of the window in microseconds. */
    private final class Worker extends Thread {
        final int index;
        final long start;
        final long windowStart;
        final long windowEnd;
        final int rate;
        final AtomicLong ticket;
        long[] latencies = new long[1 << 16];
        /** Per request of the window, how late it was sent (open loop: from when it was due), microseconds. */
        long[] lateness = new long[1 << 16];
        int count;
        long errors;
        final Map<Integer, Long> statuses = new HashMap<>();

        Worker(int index, long start, long windowStart, long windowEnd, int rate, AtomicLong ticket) {
            super("load-" + index);
            this.index = index;
            this.start = start;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.rate = rate;
            this.ticket = ticket;
        }

        @Override
        public void run() {
            Conn conn = null;
            long seq = 0;
            while (true) {
                long due;
                if (rate > 0) {
                    due = start + ticket.getAndIncrement() * 1_000_000_000L / rate;
                    if (due >= windowEnd) {
                        break;
                    }
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                } else {
                    due = System.nanoTime();
                    if (due >= windowEnd) {
                        break;
                    }
                }
                String eventId = eventId(index, seq);
                byte[] request = request(eventId, seq++);
                long sent = System.nanoTime();
                int status;
                try {
                    if (conn == null) {
                        conn = new Conn(port);
                    }
                    Response r = conn.send(request);
                    status = r.status;
                    if (r.body != null && reported.getAndIncrement() < 5) {
                        System.err.println("answered " + status + ": " + r.body);
                    }
                    if (r.close) {
                        conn.close();
                        conn = null;
                    }
                } catch (IOException e) {
                    status = -1;
                    if (conn != null) {
                        conn.close();
                    }
                    conn = null;
                }
                long end = System.nanoTime();
                boolean ok = mode.startsWith("script304") ? status == 304
                        : mode.equals("pageviews") ? status == 204 : status == 200;
                if (ok && mode.equals("pageviews")) {
                    acked.add(eventId);
                }
                if (due >= windowStart) {
                    statuses.merge(status, 1L, Long::sum);
                    if (!ok) {
                        errors++;
                    }
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                        lateness = Arrays.copyOf(lateness, count * 2);
                    }
                    lateness[count] = (sent - due) / 1000;
                    latencies[count++] = (end - due) / 1000;
                }
            }
            if (conn != null) {
                conn.close();
            }
        }
    }

    private void report(Worker[] workers, double duration, int rate) throws IOException {
        int total = 0;
        long errors = 0;
        Map<Integer, Long> statuses = new HashMap<>();
        for (Worker w : workers) {
            total += w.count;
            errors += w.errors;
            w.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
        }
        long[] all = new long[total];
        long[] late = new long[total];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, all, at, w.count);
            System.arraycopy(w.lateness, 0, late, at, w.count);
            at += w.count;
        }
        Arrays.sort(all);
        Arrays.sort(late);
        String acks = opts.get("acks");
        if (acks != null) {
            Files.write(Path.of(acks), acked);
        }
        System.out.printf(Locale.ROOT, "RESULT mode=%s requests=%d rps=%.0f p50us=%d p99us=%d maxus=%d latep99us=%d"
                + " errors=%d acked=%d rate=%d statuses=%s%n", mode, total, total / duration, percentile(all, 0.50),
                percentile(all, 0.99), all.length == 0 ? 0 : all[all.length - 1], percentile(late, 0.99), errors, acked.size(), rate,
                statuses.toString().replace(" ", ""));
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** A parsed answer: status, the headers asked about, cookies set, whether the server closes. */
    private static final class Response {
        int status;
        boolean close;
        /** The body of an error answer, else null. */
        String body;
        final Map<String, String> headers = new HashMap<>();
        final Map<String, String> cookies = new HashMap<>();

        String header(String name) {
            return headers.get(name);
        }
    }

    /** One keep-alive HTTP/1.1 connection; bodies are read by Content-Length or chunks, and dropped. */
    private static final class Conn implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] skip = new byte[8192];

        Conn(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(15_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
        }

        Response send(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            Response r = new Response();
            String statusLine = line();
            if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
                throw new IOException("bad status line " + statusLine);
            }
            r.status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> r.close = value.equalsIgnoreCase("close");
                    case "set-cookie" -> {
                        String pair = value.split(";", 2)[0];
                        int eq = pair.indexOf('=');
                        r.cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                    default -> r.headers.put(name, value);
                }
            }
            if (r.status == 204 || r.status == 304) {
                return r;
            }
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                        size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    discard(size);
                    line();
                }
                line();
            } else if (length > 0 && r.status >= 400 && length <= skip.length) {
                r.body = new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
            } else if (length > 0) {
                discard(length);
            }
            return r;
        }

        private void discard(long n) throws IOException {
            while (n > 0) {
                int read = in.read(skip, 0, (int) Math.min(skip.length, n));
                if (read < 0) {
                    throw new IOException("connection closed mid-body");
                }
                n -= read;
            }
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder(64);
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b == '\n') {
                    int len = s.length();
                    return len > 0 && s.charAt(len - 1) == '\r' ? s.substring(0, len - 1) : s.toString();
                }
                s.append((char) b);
            }
            return s.length() == 0 ? null : s.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
