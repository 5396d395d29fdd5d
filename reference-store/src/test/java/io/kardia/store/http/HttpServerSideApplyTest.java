package io.kardia.store.http;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.store.ReferenceStore;
import io.kardia.store.ServerSideApplyContractTest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Server-side apply over HTTP: core's {@link HttpKubeClient} against a live {@link ApiServer}. */
class HttpServerSideApplyTest extends ServerSideApplyContractTest {
    private static final String TOKEN = BearerTokenAuthenticator.newToken();
    private static ReferenceStore store;
    private static ApiServer server;

    @BeforeAll
    static void start() throws Exception {
        store = ReferenceStore.inMemory();
        server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @org.junit.jupiter.api.Test
    void anApplyThatCreatesAnswers201AndOneThatUpdates200() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String body = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: created}\ndata: {a: \"1\"}\n";
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url()
                        + "/api/v1/namespaces/" + ns + "/configmaps/created?fieldManager=raw"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/apply-patch+yaml")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
        org.assertj.core.api.Assertions.assertThat(http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(201);
        org.assertj.core.api.Assertions.assertThat(http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(200);
    }

    @Override
    protected KubeClient newClient() {
        return HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN).noRateLimit().build());
    }
}
