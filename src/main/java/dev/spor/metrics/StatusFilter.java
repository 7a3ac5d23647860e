package dev.spor.metrics;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every request by the class of its final status (1xx to 5xx); an asynchronous request
 * (collection answers once its batch committed) is counted when it completes. A request whose
 * handling throws is counted as 5xx, the answer the safety filter gives it. Thread-safe.
 */
final class StatusFilter extends HttpFilter {
    private final transient LongAdder[] byClass;

    StatusFilter(LongAdder[] byClass) {
        this.byClass = byClass.clone();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean thrown = true;
        try {
            chain.doFilter(request, response);
            thrown = false;
        } finally {
            if (!thrown && request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new Completion(response));
            } else {
                count(thrown ? 500 : response.getStatus());
            }
        }
    }

    private void count(int status) {
        int index = status / 100 - 1;
        if (index >= 0 && index < byClass.length) {
            byClass[index].increment();
        }
    }

    private final class Completion implements AsyncListener {
        private final HttpServletResponse response;

        Completion(HttpServletResponse response) {
            this.response = response;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            count(response.getStatus());
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows
        }

        @Override
        public void onError(AsyncEvent event) {
            // onComplete follows
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
