package io.kardia.store.admission;

import io.kardia.core.client.KubeClient;
import io.kardia.store.ReferenceStore;
import io.kardia.store.http.LoopbackApiServer;

/** Admission webhooks over HTTP. */
class WebhookHttpTest extends WebhookContract {
    private LoopbackApiServer server;

    @Override
    KubeClient newClient() {
        store = ReferenceStore.inMemory();
        server = LoopbackApiServer.serve(store);
        return server.newClient();
    }

    @Override
    String writer() {
        return io.kardia.store.auth.ApiSecurity.ADMIN_USER;
    }

    @Override
    void closeStore() {
        server.close();
    }
}
