package io.kardia.store;

import io.kardia.core.client.KubeClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Server-side apply through the in-process transport. */
class InProcessServerSideApplyTest extends ServerSideApplyContractTest {
    private static ReferenceStore store;

    @BeforeAll
    static void open() {
        store = ReferenceStore.inMemory();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Override
    protected KubeClient newClient() {
        return store.client();
    }
}
