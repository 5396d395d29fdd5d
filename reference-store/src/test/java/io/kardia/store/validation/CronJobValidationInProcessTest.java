package io.kardia.store.validation;

import io.kardia.core.client.KubeClient;
import io.kardia.store.ReferenceStore;

/** CronJob schedule and time zone validation through the in-process client. */
class CronJobValidationInProcessTest extends CronJobValidationContract {
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
