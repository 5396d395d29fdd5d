package io.kardia.store.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.store.ReferenceStore;
import io.kardia.store.http.ApiServer;
import io.kardia.store.http.BearerTokenAuthenticator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** ValidatingAdmissionPolicy over HTTP; a Warn binding's failures arrive as Warning headers. */
class ValidatingPolicyHttpTest extends ValidatingPolicyContract {
    private static final String TOKEN = BearerTokenAuthenticator.newToken();
    private ReferenceStore store;
    private ApiServer server;

    @Override
    KubeClient newClient() {
        store = ReferenceStore.inMemory();
        try {
            server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN).noRateLimit().build());
    }

    @Override
    String writer() {
        return io.kardia.store.auth.ApiSecurity.ADMIN_USER;
    }

    @Override
    void closeStore() {
        server.close();
        store.close();
    }

    @Test
    void aWarnBindingsFailureIsAWarningHeader() throws Exception {
        policy(NO_FORBIDDEN_KEY);
        binding("warn-forbidden", "no-forbidden-key", "  validationActions: [Warn]\n");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/namespaces/default/configmaps"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"w\"},"
                        + "\"data\":{\"forbidden\":\"x\"}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().allValues("Warning")).containsExactly("299 - \"Validation failed for ValidatingAdmissionPolicy "
                + "'no-forbidden-key' with binding 'warn-forbidden': the key 'forbidden' is not allowed\"");
    }
}
