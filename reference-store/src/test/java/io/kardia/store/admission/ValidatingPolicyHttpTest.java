package io.kardia.store.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** ValidatingAdmissionPolicy over HTTP; a Warn binding's failures arrive as Warning headers. */
class ValidatingPolicyHttpTest extends ValidatingPolicyContract {
    @Override
    ContractTransport transport() {
        return ContractTransport.HTTP;
    }

    @Test
    void aWarnBindingsFailureIsAWarningHeader() throws Exception {
        policy(NO_FORBIDDEN_KEY);
        binding("warn-forbidden", "no-forbidden-key", "  validationActions: [Warn]\n");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(opened.server().url() + "/api/v1/namespaces/default/configmaps"))
                .header("Authorization", "Bearer " + opened.server().token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"w\"},"
                        + "\"data\":{\"forbidden\":\"x\"}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().allValues("Warning")).containsExactly("299 - \"Validation failed for ValidatingAdmissionPolicy "
                + "'no-forbidden-key' with binding 'warn-forbidden': the key 'forbidden' is not allowed\"");
    }
}
