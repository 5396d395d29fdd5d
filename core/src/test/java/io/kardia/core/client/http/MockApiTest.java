package io.kardia.core.client.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.config.ClientConfig;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A {@link MockWebServer} playing kube-apiserver and an {@link HttpKubeClient} configured by
 * {@link #config()} against it: started before each test, closed after. A test may replace
 * {@link #client} with one of another configuration; the last one is closed.
 */
abstract class MockApiTest {
    MockWebServer server;
    HttpKubeClient client;

    /** The client's configuration, pointed at {@link #server}. */
    abstract ClientConfig.Builder config();

    @BeforeEach
    void startServerAndClient() throws Exception {
        server = new MockWebServer();
        server.start();
        client = HttpKubeClient.create(config().build());
    }

    @AfterEach
    void stopClientAndServer() {
        client.close();
        server.close();
    }

    /** The next request the server received. */
    RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("request reached the server").isNotNull();
        return r;
    }
}
