package io.kardia.store.admission;

import io.kardia.core.client.KubeClient;
import io.kardia.store.ReferenceStore;

/** Hostile mutations through the in-process client. */
class HostileMutationInProcessTest extends HostileMutationContract {
    private ReferenceStore store;

    @Override
    KubeClient newClient() {
        store = ReferenceStore.inMemory();
        return store.client();
    }

    @Override
    void closeStore() {
        store.close();
    }
}
