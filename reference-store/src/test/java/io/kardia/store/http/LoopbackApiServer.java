package io.kardia.store.http;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.store.ReferenceStore;

/**
 * For the HTTP halves of the contract tests and the wire tests: {@code store} served on 127.0.0.1
 * (a free port, plain HTTP, a fresh admin token, protobuf for the built-in kinds) and core's HTTP
 * client for it, without client-side rate limits, or a raw one.
 * {@link #close()} stops the server and closes the store.
 */
public final class LoopbackApiServer implements AutoCloseable {
    private final ReferenceStore store;
    private final ApiServer server;
    private final String token = BearerTokenAuthenticator.newToken();

    private LoopbackApiServer(ReferenceStore store) {
        this.store = store;
        try {
            this.server = ApiServer.start(store, "127.0.0.1", 0, token, null);
        } catch (Exception e) {
            throw new IllegalStateException("could not serve the store on loopback", e);
        }
    }

    public static LoopbackApiServer serve(ReferenceStore store) {
        return new LoopbackApiServer(store);
    }

    public KubeClient newClient() {
        return HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(token).noRateLimit().build());
    }

    /** A client that reads built-in kinds as protobuf. */
    public KubeClient newProtobufClient() {
        return HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(token).noRateLimit().protobuf(true).build());
    }

    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    public ReferenceStore store() {
        return store;
    }

    /** A raw HTTP/1.1 client for the server, with the admin token: for bodies no real client would send. */
    RawHttp rawHttp() {
        return new RawHttp("127.0.0.1", server.port(), token);
    }

    public String token() {
        return token;
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
