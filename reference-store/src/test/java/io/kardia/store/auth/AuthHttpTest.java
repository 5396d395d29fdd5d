package io.kardia.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import io.kardia.store.ReferenceStore;
import io.kardia.store.http.ApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Authentication and authorization on the wire: every verb is authorized, and the review APIs answer. */
class AuthHttpTest {
    private static final String ADMIN = "admin-token-0123456789abcdef";
    private static final String ALICE = "alice-token-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ReferenceStore store;
    private ApiServer server;

    private void start(ApiSecurity.AuthorizationMode mode) throws Exception {
        store = ReferenceStore.inMemory();
        server = ApiServer.start(store, "127.0.0.1", 0, null, ApiSecurity.adminTokenOnly(ADMIN)
                .withTokenFile(StaticTokens.of(Map.of(ALICE, UserInfo.of("alice", "1001", List.of("dev")))))
                .withAuthorization(mode));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private record Answer(int code, JsonNode body) {
    }

    private Answer send(String token, String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().startsWith("{") ? Json.tree(r.body().getBytes()) : null);
    }

    @Test
    void aRequestWithoutOrWithAnUnknownTokenIs401() throws Exception {
        start(ApiSecurity.AuthorizationMode.RBAC);
        for (String token : new String[] {null, "wrong-token-0123456789abcdef"}) {
            Answer a = send(token, "GET", "/api/v1/namespaces/default/pods", null, null);
            assertThat(a.code()).isEqualTo(401);
            assertThat(a.body().path("reason").asText()).isEqualTo("Unauthorized");
            assertThat(a.body().path("message").asText()).isEqualTo("Unauthorized");
        }
        assertThat(send(null, "GET", "/healthz", null, null).code()).as("probes stay open").isEqualTo(200);
    }

    @Test
    void everyVerbIsAuthorizedWithKubesWording() throws Exception {
        start(ApiSecurity.AuthorizationMode.RBAC);
        Map<String, String[]> cases = Map.of(
                "watch", new String[] {"GET", "/api/v1/namespaces/default/pods?watch=true", null},
                "patch", new String[] {"PATCH", "/api/v1/namespaces/default/pods/p", "{}"},
                "deletecollection", new String[] {"DELETE", "/api/v1/namespaces/default/pods", null},
                "update", new String[] {"PUT", "/api/v1/namespaces/default/pods/p/status", "{}"},
                "create", new String[] {"POST", "/api/v1/namespaces/default/serviceaccounts/robot/token", "{}"},
                "list", new String[] {"GET", "/apis/apps/v1/deployments", null});
        for (var c : cases.entrySet()) {
            String[] req = c.getValue();
            Answer a = send(ALICE, req[0], req[1], req[2] == null ? null : "application/merge-patch+json", req[2]);
            assertThat(a.code()).as(c.getKey()).isEqualTo(403);
            assertThat(a.body().path("message").asText()).as(c.getKey()).contains("cannot " + c.getKey() + " resource");
        }
        assertThat(send(ALICE, "PUT", "/api/v1/namespaces/default/pods/p/status", "application/json", "{}").body()
                .path("message").asText()).isEqualTo("pods \"p\" is forbidden: User \"alice\" cannot update resource "
                + "\"pods/status\" in API group \"\" in the namespace \"default\"");
        assertThat(send(ALICE, "GET", "/apis/apps/v1/deployments", null, null).body().path("message").asText())
                .isEqualTo("deployments.apps is forbidden: User \"alice\" cannot list resource \"deployments\" in API group "
                        + "\"apps\" at the cluster scope");
        assertThat(send(ALICE, "GET", "/apis", null, null).code()).as("discovery: system:discovery").isEqualTo(200);
    }

    @Test
    void withoutAuthorizationEveryAuthenticatedUserMayDoEverything() throws Exception {
        start(ApiSecurity.AuthorizationMode.ALWAYS_ALLOW);
        assertThat(send(ALICE, "GET", "/api/v1/namespaces/default/pods", null, null).code()).isEqualTo(200);
        Answer review = send(ALICE, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "application/json", """
                {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
                 "spec":{"resourceAttributes":{"verb":"delete","resource":"nodes"}}}""");
        assertThat(review.code()).isEqualTo(201);
        assertThat(review.body().path("status").path("allowed").asBoolean()).isTrue();
        Answer rules = send(ALICE, "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", "application/json",
                "{\"spec\":{\"namespace\":\"default\"}}");
        assertThat(rules.body().path("status").path("resourceRules").get(0).path("verbs").get(0).asText()).isEqualTo("*");
    }

    @Test
    void theReviewApisAnswer() throws Exception {
        start(ApiSecurity.AuthorizationMode.RBAC);
        Answer who = send(ALICE, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", "application/json",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
        assertThat(who.code()).isEqualTo(201);
        assertThat(who.body().path("status").path("userInfo").path("username").asText()).isEqualTo("alice");
        assertThat(who.body().path("status").path("userInfo").path("uid").asText()).isEqualTo("1001");
        assertThat(who.body().path("status").path("userInfo").path("groups").toString())
                .isEqualTo("[\"dev\",\"system:authenticated\"]");

        Answer denied = send(ALICE, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "application/json",
                "{\"spec\":{\"resourceAttributes\":{\"verb\":\"list\",\"resource\":\"pods\",\"namespace\":\"default\"}}}");
        assertThat(denied.body().path("status").path("allowed").asBoolean()).isFalse();
        Answer invalid = send(ALICE, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "application/json",
                "{\"spec\":{}}");
        assertThat(invalid.code()).isEqualTo(422);
        assertThat(invalid.body().path("message").asText()).contains("exactly one of nonResourceAttributes or resourceAttributes");

        assertThat(send(ALICE, "POST", "/apis/authentication.k8s.io/v1/tokenreviews", "application/json",
                "{\"spec\":{\"token\":\"x\"}}").code()).as("alice may not review tokens").isEqualTo(403);
        Answer review = send(ADMIN, "POST", "/apis/authentication.k8s.io/v1/tokenreviews", "application/json",
                "{\"spec\":{\"token\":\"" + ALICE + "\"}}");
        assertThat(review.body().path("status").path("authenticated").asBoolean()).isTrue();
        assertThat(review.body().path("status").path("user").path("username").asText()).isEqualTo("alice");
        assertThat(review.body().toString()).doesNotContain(ALICE);
        Answer bad = send(ADMIN, "POST", "/apis/authentication.k8s.io/v1/tokenreviews", "application/json",
                "{\"spec\":{\"token\":\"nope\"}}");
        assertThat(bad.body().path("status").path("authenticated").asBoolean()).isFalse();

        // authorization comes first (alice may not list them), then the method (they are create-only)
        assertThat(send(ALICE, "GET", "/apis/authentication.k8s.io/v1/selfsubjectreviews", null, null).code()).isEqualTo(403);
        assertThat(send(ADMIN, "GET", "/apis/authentication.k8s.io/v1/selfsubjectreviews", null, null).code()).isEqualTo(405);
    }

    @Test
    void aTokenRequestOverJsonReturnsATokenThatAuthenticates() throws Exception {
        start(ApiSecurity.AuthorizationMode.RBAC);
        AuthFixtures.serviceAccount(store, "default", "robot");
        Answer issued = send(ADMIN, "POST", "/api/v1/namespaces/default/serviceaccounts/robot/token", "application/json",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{\"expirationSeconds\":1200}}");
        assertThat(issued.code()).isEqualTo(201);
        assertThat(issued.body().path("kind").asText()).isEqualTo("TokenRequest");
        assertThat(issued.body().path("spec").path("expirationSeconds").asLong()).isEqualTo(1200);
        String token = issued.body().path("status").path("token").asText();
        Answer who = send(token, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", "application/json", "{}");
        assertThat(who.body().path("status").path("userInfo").path("username").asText())
                .isEqualTo("system:serviceaccount:default:robot");
        assertThat(send(ADMIN, "POST", "/api/v1/namespaces/default/serviceaccounts/ghost/token", "application/json", "{}").code())
                .isEqualTo(404);
    }
}
