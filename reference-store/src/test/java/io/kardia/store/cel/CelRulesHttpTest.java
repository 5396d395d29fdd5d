package io.kardia.store.cel;

import io.kardia.core.client.KubeClient;
import io.kardia.store.ReferenceStore;
import io.kardia.store.http.LoopbackApiServer;

/** CEL validation rules over HTTP: core's HTTP client against a live ApiServer. */
class CelRulesHttpTest extends CelRulesContract {
    private ReferenceStore store;
    private LoopbackApiServer server;

    @Override
    KubeClient newClient() {
        store = ReferenceStore.inMemory();
        server = LoopbackApiServer.serve(store);
        return server.newClient();
    }

    @Override
    void closeStore() {
        server.close();
    }
}
