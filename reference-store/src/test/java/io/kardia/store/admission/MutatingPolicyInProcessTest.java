package io.kardia.store.admission;

import io.kardia.core.client.KubeClient;
import io.kardia.store.ReferenceStore;

/** MutatingAdmissionPolicy through the in-process client. */
class MutatingPolicyInProcessTest extends MutatingPolicyContract {
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
