package io.kardia.store.http;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.store.ReferenceStore;
import io.kardia.store.ServerSideApplyContractTest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Server-side apply over HTTP: core's {@link HttpKubeClient} against a live {@link ApiServer}. */
class HttpServerSideApplyTest extends ServerSideApplyContractTest {
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
        return HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN).noRateLimit().build());
    }
}
