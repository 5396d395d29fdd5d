package io.kardia.store;

import io.kardia.core.client.KubeClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract suite over the in-process transport, one store for the whole class. */
class InProcessContractTest extends KubeClientContractTest {
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

    @Override
    protected void compactHistory() {
        store.compact();
    }
}
