package io.kardia.core.client.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the client-side rate limit (watches excepted) and retries requests the server asked
 * to repeat later: any 429 (the server did not process it), and a GET answered 5xx with a
 * {@code Retry-After} header. Waits as long as {@code Retry-After} says (1 s when absent), at
 * most {@code maxRetries} times.
 */
final class RequestPolicyInterceptor implements Interceptor {
    private static final Logger LOG = LoggerFactory.getLogger(RequestPolicyInterceptor.class);
    private static final long MAX_RETRY_AFTER_SECONDS = 60;

    private final TokenBucket limiter;
    private final int maxRetries;
    private final TokenBucket.Sleeper sleeper;

    RequestPolicyInterceptor(TokenBucket limiter, int maxRetries, TokenBucket.Sleeper sleeper) {
        this.limiter = limiter;
        this.maxRetries = maxRetries;
        this.sleeper = sleeper;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        boolean watch = request.tag(WatchRequest.class) != null;
        for (int attempt = 0; ; attempt++) {
            if (limiter != null && !watch) {
                long[] waited = new long[1];
                await(() -> waited[0] = limiter.acquire());
                if (waited[0] >= TimeUnit.SECONDS.toNanos(1)) {
                    // as client-go does: long client-side waits explain slow controllers
                    LOG.info("waited {} ms due to client-side throttling before {} {}", waited[0] / 1_000_000,
                            request.method(), request.url().encodedPath());
                }
            }
            Response response = chain.proceed(request);
            if (attempt >= maxRetries || !retryable(request, response)) {
                return response;
            }
            long delaySeconds = retryAfterSeconds(response.header("Retry-After"));
            LOG.debug("{} {} answered {}; retrying in {} s (attempt {} of {})", request.method(), request.url().encodedPath(),
                    response.code(), delaySeconds, attempt + 1, maxRetries);
            response.close();
            if (delaySeconds > 0) {
                await(() -> sleeper.sleepNanos(TimeUnit.SECONDS.toNanos(delaySeconds)));
            }
        }
    }

    private static boolean retryable(Request request, Response response) {
        int code = response.code();
        return code == 429 || (code >= 500 && response.header("Retry-After") != null && request.method().equals("GET"));
    }

    static long retryAfterSeconds(String header) {
        if (header == null) {
            return 1;
        }
        try {
            return Math.max(0, Math.min(MAX_RETRY_AFTER_SECONDS, Long.parseLong(header.strip())));
        } catch (NumberFormatException e) {
            return 1; // an HTTP-date: kube-apiserver never sends one
        }
    }

    private interface Wait {
        void run() throws InterruptedException;
    }

    private static void await(Wait wait) throws InterruptedIOException {
        try {
            wait.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the client-side rate limit");
        }
    }
}
