package dev.spor.tracking;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The answer to an accepted beacon, sent once its rows are committed: the request goes async
 * so that no container thread waits on the database.
 * <ul>
 *   <li>204: stored (new, or already there under its event id);
 *   <li>503 {@code {"error":"busy"}}, {@code Retry-After: 1}: the writer's queue is full;
 *   <li>503 {@code {"error":"storage_unavailable"}}, {@code Retry-After: 5}: the database
 *       cannot be reached;
 *   <li>503 {@code {"error":"timeout"}}, {@code Retry-After: 1}: not committed within 10 s
 *       (it may still be: a retry with the same event id is then stored once);
 *   <li>500 {@code {"error":"storage_failed"}}: the database refused this beacon (the writer
 *       logged why).
 * </ul>
 * Never a stack trace. Stateless.
 */
public final class Acknowledgement {
    /** How long a beacon may wait for its commit before the answer is 503. */
    static final long TIMEOUT_MILLIS = 10_000;
    private static final Logger LOG = Logger.getLogger(Acknowledgement.class.getName());

    private Acknowledgement() {
    }

    /** Hands one beacon's rows to the writer and answers the request when they are committed (or not). */
    public static void whenCommitted(PageViewWriter writer, List<Row> rows, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        if (!request.isAsyncSupported()) {
            waitFor(writer, rows, response); // e.g. a site owner's web.xml without <async-supported>
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(TIMEOUT_MILLIS);
        AtomicBoolean answered = new AtomicBoolean();
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
                finish(async, answered, new TimeoutException());
            }

            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onError(AsyncEvent event) {
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        writer.submit(rows).whenComplete((stored, failure) -> answerOnContainerThread(async, answered, failure));
    }

    /**
     * The commit completes the futures on the writer's thread: the answer is written on a
     * container thread instead, so that the writer goes on to the next batch at once rather
     * than writing every response of this one first.
     */
    private static void answerOnContainerThread(AsyncContext async, AtomicBoolean answered, Throwable failure) {
        if (answered.get()) {
            return;
        }
        try {
            async.start(() -> finish(async, answered, failure));
        } catch (IllegalStateException | RejectedExecutionException e) {
            finish(async, answered, failure); // timed out or completed meanwhile, or no thread to be had
        }
    }

    private static void waitFor(PageViewWriter writer, List<Row> rows, HttpServletResponse response) throws IOException {
        Throwable failure = null;
        try {
            writer.submit(rows).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (TimeoutException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        }
        answer(response, failure);
    }

    /** Answers once: the first of the commit and the timeout wins. */
    private static void finish(AsyncContext async, AtomicBoolean answered, Throwable failure) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        try {
            answer((HttpServletResponse) async.getResponse(), failure);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "answering a beacon failed (client gone?)", e);
        } finally {
            async.complete();
        }
    }

    private static void answer(HttpServletResponse response, Throwable failure) throws IOException {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause == null) {
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } else if (cause instanceof PageViewWriter.Refused) {
            error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "busy", "1");
        } else if (cause instanceof PageViewWriter.Unavailable) {
            error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "storage_unavailable", "5");
        } else if (cause instanceof TimeoutException || cause instanceof InterruptedException) {
            error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "timeout", "1");
        } else {
            error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "storage_failed", null);
        }
    }

    private static void error(HttpServletResponse response, int status, String reason, String retryAfter) throws IOException {
        byte[] body = ("{\"error\":\"" + reason + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        if (retryAfter != null) {
            response.setHeader("Retry-After", retryAfter);
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
