package io.kardia.core.client.http;

import io.kardia.core.config.ClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link MockApiTest} for watch streams: bodies the test feeds chunk by chunk ({@link #stream()}),
 * a thread to read a watch on while the test writes, and a client whose watch reads time out
 * one second after the server's timeout.
 */
abstract class MockWatchApiTest extends MockApiTest {
    final List<StreamingBody> bodies = new ArrayList<>();
    final ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor();

    @Override
    ClientConfig.Builder config() {
        return ClientConfig.builder(server.url("/").toString()).bearerToken("t").noRateLimit()
                .watchReadMargin(Duration.ofSeconds(1));
    }

    /** Runs before {@link MockApiTest}'s: the streams end before the server closes. */
    @AfterEach
    void releaseStreams() {
        bodies.forEach(StreamingBody::release);
        reader.shutdownNow();
    }

    /** The server's next response: a chunked body the test feeds. */
    StreamingBody stream() {
        StreamingBody body = new StreamingBody();
        bodies.add(body);
        server.enqueue(body.response());
        return body;
    }

    <T> T within(Future<T> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS); // a guard against hanging, not a performance assertion
    }
}
