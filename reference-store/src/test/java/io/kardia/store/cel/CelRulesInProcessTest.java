package io.kardia.store.cel;

import io.kardia.core.client.KubeClient;
import io.kardia.store.ReferenceStore;

/** CEL validation rules through the in-process client. */
class CelRulesInProcessTest extends CelRulesContract {
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
