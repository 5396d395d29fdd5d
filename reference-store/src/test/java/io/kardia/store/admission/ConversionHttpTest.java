package io.kardia.store.admission;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.store.ReferenceStore;
import io.kardia.store.http.ApiServer;
import io.kardia.store.http.BearerTokenAuthenticator;

/** CRD conversion over HTTP. */
class ConversionHttpTest extends ConversionContract {
    private static final String TOKEN = BearerTokenAuthenticator.newToken();
    private ApiServer server;
    private ReferenceStore store;

    @Override
    KubeClient newClient() {
        store = ReferenceStore.inMemory();
        try {
            server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN).noRateLimit().build());
    }

    @Override
    void closeStore() {
        server.close();
        store.close();
    }
}
