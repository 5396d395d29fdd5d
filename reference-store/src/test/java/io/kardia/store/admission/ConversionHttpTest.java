package io.kardia.store.admission;

import io.kardia.core.client.KubeClient;
import io.kardia.store.ReferenceStore;
import io.kardia.store.http.LoopbackApiServer;

/** CRD conversion over HTTP. */
class ConversionHttpTest extends ConversionContract {
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
