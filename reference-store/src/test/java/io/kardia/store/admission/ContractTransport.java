package io.kardia.store.admission;

import io.kardia.core.client.KubeClient;
import io.kardia.store.ReferenceStore;
import io.kardia.store.auth.ApiSecurity;
import io.kardia.store.http.LoopbackApiServer;

/**
 * The two ways every admission contract reaches a store: in process, or over HTTP on loopback as
 * the admin token's user. Each test {@link #open}s a fresh in-memory store through one of them.
 */
enum ContractTransport {
    IN_PROCESS {
        @Override
        Opened open() {
            ReferenceStore store = ReferenceStore.inMemory();
            return new Opened(store, store.client(), null);
        }
    },
    HTTP {
        @Override
        Opened open() {
            ReferenceStore store = ReferenceStore.inMemory();
            LoopbackApiServer server = LoopbackApiServer.serve(store);
            return new Opened(store, server.newClient(), server);
        }
    };

    abstract Opened open();

    /** One test's store, its client, and the server between them (null in process). */
    record Opened(ReferenceStore store, KubeClient client, LoopbackApiServer server) implements AutoCloseable {

        /** The user a write through {@link #client} is made as: nobody in process, the admin token's user over HTTP. */
        String writer() {
            return server == null ? "" : ApiSecurity.ADMIN_USER;
        }

        /** Closes the server, if any, and the store. */
        @Override
        public void close() {
            if (server != null) {
                server.close(); // and the store
            } else {
                store.close();
            }
        }
    }
}
