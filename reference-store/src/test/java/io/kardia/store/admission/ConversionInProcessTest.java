package io.kardia.store.admission;

import io.kardia.core.client.KubeClient;
import io.kardia.store.ReferenceStore;

/** CRD conversion through the in-process client. */
class ConversionInProcessTest extends ConversionContract {
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
