package io.kardia.store.http;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.store.KubeClientContractTest;
import io.kardia.store.ReferenceStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract over the HTTP transport: core's {@link HttpKubeClient} against a live
 * {@link ApiServer}, so the in-process and HTTP transports cannot drift apart.
 */
class HttpContractTest extends KubeClientContractTest {
    private static final String TOKEN = BearerTokenAuthenticator.newToken();
    private static ReferenceStore store;
    private static ApiServer server;

    @BeforeAll
    static void start() throws Exception {
        store = ReferenceStore.inMemory();
        server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @Override
    protected KubeClient newClient() {
        return HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN).noRateLimit().protobuf(true).build());
    }

    @Override
    protected void compactHistory() {
        store.compact();
    }
}
