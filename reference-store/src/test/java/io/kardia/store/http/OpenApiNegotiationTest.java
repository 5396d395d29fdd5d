package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import io.kardia.store.ReferenceStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /openapi/v2} is served as JSON only: an Accept that allows no JSON is answered 406, as kube-apiserver does. */
class OpenApiNegotiationTest {
    private static LoopbackApiServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = LoopbackApiServer.serve(ReferenceStore.inMemory());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theGnosticProtobufFormIsNotAcceptableWithAStatusNamingJson() throws Exception {
        HttpResponse<String> refused = get(OpenApi.V2_PROTOBUF_REQUEST);
        assertThat(refused.statusCode()).isEqualTo(406);
        JsonNode status = Json.tree(refused.body().getBytes(StandardCharsets.UTF_8));
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("reason").asText()).isEqualTo("NotAcceptable");
        assertThat(status.path("message").asText()).contains("application/json only", OpenApi.V2_PROTOBUF_REQUEST);
        assertThat(get("application/yaml").statusCode()).isEqualTo(406);
    }

    @Test
    void anAcceptThatAllowsJsonGetsTheDocument() throws Exception {
        for (String accept : List.of("application/json", OpenApi.V2_PROTOBUF_REQUEST + ", application/json;q=0.9", "*/*",
                "application/*")) {
            HttpResponse<String> ok = get(accept);
            assertThat(ok.statusCode()).as(accept).isEqualTo(200);
            JsonNode doc = Json.tree(ok.body().getBytes(StandardCharsets.UTF_8));
            assertThat(doc.path("swagger").asText()).isEqualTo("2.0");
            assertThat(doc.path("definitions").has("io.k8s.api.apps.v1.Deployment")).isTrue();
        }
        HttpResponse<String> noAccept = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/openapi/v2"))
                .header("Authorization", "Bearer " + server.token()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noAccept.statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> get(String accept) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/openapi/v2")).header("Accept", accept)
                .header("Authorization", "Bearer " + server.token()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
