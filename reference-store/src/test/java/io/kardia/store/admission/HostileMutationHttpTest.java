package io.kardia.store.admission;

import io.kardia.core.client.KubeClient;
import io.kardia.store.ReferenceStore;
import io.kardia.store.http.LoopbackApiServer;

/** Hostile mutations over HTTP. */
class HostileMutationHttpTest extends HostileMutationContract {
    private LoopbackApiServer server;

    @Override
    KubeClient newClient() {
        server = LoopbackApiServer.serve(ReferenceStore.inMemory());
        return server.newClient();
    }

    @Override
    void closeStore() {
        server.close();
    }
}
