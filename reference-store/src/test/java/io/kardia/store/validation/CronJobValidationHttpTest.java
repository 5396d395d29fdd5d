package io.kardia.store.validation;

import io.kardia.core.client.KubeClient;
import io.kardia.store.ReferenceStore;
import io.kardia.store.http.LoopbackApiServer;

/** CronJob schedule and time zone validation over HTTP: core's HTTP client against a live ApiServer. */
class CronJobValidationHttpTest extends CronJobValidationContract {
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
