package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.StoredObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The HTTP dialect of {@link ApiServer}, request by request, with raw HTTP so every header and
 * byte is under the test's control. After each refused request the store must be unchanged.
 */
class ApiServerTest {
    private static final String TOKEN = BearerTokenAuthenticator.newToken();
    private static ReferenceStore store;
    private static ApiServer server;
    private static RawHttp http;

    private String ns;

    @BeforeAll
    static void start() throws IOException {
        store = ReferenceStore.inMemory(StoreOptions.defaults().withBookmarkInterval(Duration.ofMillis(100)));
        server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null);
        http = new RawHttp("127.0.0.1", server.port(), TOKEN);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @BeforeEach
    void namespace() throws IOException {
        ns = "t-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(http.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + ns + "\"}}").code()).isEqualTo(201);
    }

    // ------------------------------------------------------------------ fixtures

    private String pods() {
        return "/api/v1/namespaces/" + ns + "/pods";
    }

    private String configMaps() {
        return "/api/v1/namespaces/" + ns + "/configmaps";
    }

    private String deployments() {
        return "/apis/apps/v1/namespaces/" + ns + "/deployments";
    }

    private String configMap(String name) {
        return """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","namespace":"%s","labels":{"app":"demo"}},
                 "data":{"k":"v"}}""".formatted(name, ns);
    }

    private String pod(String name) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"app","image":"nginx:1"}]}}""".formatted(name);
    }

    private String deployment(String name, int replicas) {
        return """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"web"}},
                   "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1"}]}}}}"""
                .formatted(name, replicas);
    }

    private static JsonNode json(RawHttp.Response r) {
        return Json.tree(r.body());
    }

    private static JsonNode created(RawHttp.Response r) {
        assertThat(r.code()).as(r.text()).isEqualTo(201);
        return json(r);
    }

    /** Asserts an error response is a Kubernetes Status with this code and reason. */
    private static JsonNode assertStatus(RawHttp.Response r, int code, String reason) {
        assertThat(r.code()).as(r.text()).isEqualTo(code);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode s = json(r);
        assertThat(s.path("kind").asText()).isEqualTo("Status");
        assertThat(s.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(s.path("status").asText()).isEqualTo("Failure");
        assertThat(s.path("code").asInt()).isEqualTo(code);
        assertThat(s.path("reason").asText()).isEqualTo(reason);
        assertThat(s.path("message").asText()).isNotBlank();
        return s;
    }

    /** Runs a refused request and checks that it wrote nothing. */
    private static JsonNode refused(ThrowingRequest request, int code, String reason) throws IOException {
        long before = store.currentRevision();
        JsonNode status = assertStatus(request.send(), code, reason);
        assertThat(store.currentRevision()).as("store revision after a refused request").isEqualTo(before);
        assertThat(get("/healthz").code()).isEqualTo(200);
        return status;
    }

    @FunctionalInterface
    interface ThrowingRequest {
        RawHttp.Response send() throws IOException;
    }

    private static RawHttp.Response get(String target) throws IOException {
        return http.get(target);
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static JsonNode resource(JsonNode list, String name) {
        for (JsonNode r : list.path("resources")) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no resource " + name + " in " + list);
    }

    // ------------------------------------------------------------------ authentication

    @Nested
    class Authentication {
        @Test
        void missingTokenIsUnauthorized() throws IOException {
            refused(() -> http.request("GET", "/api/v1/namespaces").noAuth().send(), 401, "Unauthorized");
            refused(() -> http.request("POST", configMaps()).noAuth().contentType("application/json")
                    .body(configMap("x")).send(), 401, "Unauthorized");
        }

        @Test
        void wrongTokenIsUnauthorized() throws IOException {
            refused(() -> http.request("GET", "/api").noAuth().header("Authorization", "Bearer " + TOKEN + "x").send(),
                    401, "Unauthorized");
            refused(() -> http.request("GET", "/api").noAuth().header("Authorization", "Basic " + TOKEN).send(),
                    401, "Unauthorized");
            JsonNode s = refused(() -> http.request("DELETE", configMaps() + "/x").noAuth()
                    .header("Authorization", "Bearer wrong-token-wrong-token").send(), 401, "Unauthorized");
            assertThat(s.toString()).doesNotContain(TOKEN);
        }

        @Test
        void healthProbesNeedNoToken() throws IOException {
            for (String probe : List.of("/healthz", "/livez", "/readyz")) {
                RawHttp.Response r = http.request("GET", probe).noAuth().send();
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.text()).isEqualTo("ok");
                assertThat(r.header("Content-Type")).startsWith("text/plain");
            }
        }
    }

    // ------------------------------------------------------------------ discovery

    @Nested
    class DiscoveryDocuments {
        @Test
        void version() throws IOException {
            JsonNode v = json(get("/version"));
            assertThat(v.path("major").asText()).isEqualTo("1");
            assertThat(v.path("minor").asText()).isEqualTo(Discovery.KUBE_MINOR);
            assertThat(v.path("gitVersion").asText()).startsWith("v1.");
        }

        @Test
        void coreGroup() throws IOException {
            JsonNode api = json(get("/api"));
            assertThat(api.path("kind").asText()).isEqualTo("APIVersions");
            assertThat(texts(api.path("versions"))).containsExactly("v1");

            JsonNode v1 = json(get("/api/v1"));
            assertThat(v1.path("kind").asText()).isEqualTo("APIResourceList");
            assertThat(v1.path("groupVersion").asText()).isEqualTo("v1");
            JsonNode podsRes = resource(v1, "pods");
            assertThat(podsRes.path("namespaced").asBoolean()).isTrue();
            assertThat(podsRes.path("kind").asText()).isEqualTo("Pod");
            assertThat(texts(podsRes.path("shortNames"))).containsExactly("po");
            assertThat(texts(podsRes.path("verbs"))).contains("create", "delete", "get", "list", "patch", "update", "watch");
            assertThat(texts(resource(v1, "pods/status").path("verbs"))).containsExactlyInAnyOrder("get", "patch", "update");
            assertThat(texts(resource(v1, "pods/binding").path("verbs"))).containsExactly("create");
            assertThat(resource(v1, "nodes").path("namespaced").asBoolean()).isFalse();
            assertThat(texts(resource(v1, "nodes").path("shortNames"))).containsExactly("no");
            assertThat(texts(resource(v1, "namespaces").path("shortNames"))).containsExactly("ns");
        }

        @Test
        void namedGroups() throws IOException {
            JsonNode apis = json(get("/apis"));
            assertThat(apis.path("kind").asText()).isEqualTo("APIGroupList");
            JsonNode apps = StreamSupport.stream(apis.path("groups").spliterator(), false)
                    .filter(g -> g.path("name").asText().equals("apps")).findFirst().orElseThrow();
            assertThat(apps.path("preferredVersion").path("groupVersion").asText()).isEqualTo("apps/v1");

            JsonNode group = json(get("/apis/apps"));
            assertThat(group.path("kind").asText()).isEqualTo("APIGroup");

            JsonNode appsV1 = json(get("/apis/apps/v1"));
            assertThat(appsV1.path("groupVersion").asText()).isEqualTo("apps/v1");
            assertThat(texts(resource(appsV1, "deployments").path("shortNames"))).containsExactly("deploy");
            assertThat(texts(resource(appsV1, "replicasets").path("shortNames"))).containsExactly("rs");
            JsonNode scale = resource(appsV1, "deployments/scale");
            assertThat(scale.path("group").asText()).isEqualTo("autoscaling");
            assertThat(scale.path("kind").asText()).isEqualTo("Scale");
            assertThat(texts(resource(appsV1, "deployments").path("categories"))).containsExactly("all");
        }

        @Test
        void aggregatedDiscoveryListsEveryGroupsResourcesInOneDocument() throws IOException {
            String accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
            RawHttp.Response apis = http.request("GET", "/apis").header("Accept", accept).send();
            assertThat(apis.header("Content-Type")).isEqualTo(Discovery.AGGREGATED);
            JsonNode doc = json(apis);
            assertThat(doc.path("kind").asText()).isEqualTo("APIGroupDiscoveryList");
            JsonNode apps = StreamSupport.stream(doc.path("items").spliterator(), false)
                    .filter(g -> g.path("metadata").path("name").asText().equals("apps")).findFirst().orElseThrow();
            JsonNode sts = StreamSupport.stream(apps.path("versions").get(0).path("resources").spliterator(), false)
                    .filter(r -> r.path("resource").asText().equals("statefulsets")).findFirst().orElseThrow();
            assertThat(sts.path("scope").asText()).isEqualTo("Namespaced");
            assertThat(sts.path("responseKind").path("kind").asText()).isEqualTo("StatefulSet");
            assertThat(texts(sts.path("shortNames"))).containsExactly("sts");
            assertThat(texts(sts.path("categories"))).containsExactly("all");
            assertThat(StreamSupport.stream(sts.path("subresources").spliterator(), false).map(r -> r.path("subresource").asText()))
                    .containsExactly("scale", "status");
            JsonNode core = json(http.request("GET", "/api").header("Accept", accept).send());
            assertThat(core.path("items").get(0).path("metadata").path("name").asText()).isEmpty();
            assertThat(core.path("items").get(0).path("versions").get(0).path("resources").findValuesAsText("resource"))
                    .contains("pods", "services", "serviceaccounts", "persistentvolumeclaims");
            // clients that do not ask for it get the legacy document
            assertThat(json(get("/apis")).path("kind").asText()).isEqualTo("APIGroupList");
        }

        @Test
        void unknownGroupsAndVersionsAreNotFound() throws IOException {
            refused(() -> get("/apis/nope.example.com"), 404, "NotFound");
            refused(() -> get("/apis/apps/v2"), 404, "NotFound");
            refused(() -> get("/api/v2"), 404, "NotFound");
        }
    }

    // ------------------------------------------------------------------ paths

    @Nested
    class Paths {
        @Test
        void unknownPathsAndResourcesAreNotFound() throws IOException {
            refused(() -> get("/nope"), 404, "NotFound");
            refused(() -> get("/api/v1/widgets"), 404, "NotFound");
            refused(() -> get("/apis/example.com/v1/widgets"), 404, "NotFound");
            refused(() -> get(pods() + "/a/nonsense"), 404, "NotFound");
            refused(() -> get(pods() + "/a/status/extra"), 404, "NotFound");
            refused(() -> http.post("/api/v1/namespaces/" + ns + "/widgets", configMap("x")), 404, "NotFound");
        }

        @Test
        void missingObjectIsNotFoundWithDetails() throws IOException {
            JsonNode s = refused(() -> get(pods() + "/ghost"), 404, "NotFound");
            assertThat(s.path("message").asText()).isEqualTo("pods \"ghost\" not found");
            assertThat(s.path("details").path("name").asText()).isEqualTo("ghost");
            assertThat(s.path("details").path("kind").asText()).isEqualTo("pods");
        }

        @Test
        void clusterScopedKindsHaveNoNamespacePath() throws IOException {
            refused(() -> get("/api/v1/namespaces/" + ns + "/nodes"), 404, "NotFound");
            refused(() -> http.post("/api/v1/namespaces/" + ns + "/nodes",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n1\"}}"), 404, "NotFound");
        }

        @Test
        void namespacedObjectsNeedTheirNamespaceInThePath() throws IOException {
            created(http.post(pods(), pod("a")));
            refused(() -> get("/api/v1/pods/a"), 404, "NotFound");
            refused(() -> http.post("/api/v1/pods", pod("b")), 405, "MethodNotAllowed");
            refused(() -> http.delete("/api/v1/pods"), 405, "MethodNotAllowed");
            // the all-namespaces collection lists
            assertThat(json(get("/api/v1/pods")).path("items").size()).isGreaterThanOrEqualTo(1);
        }

        @Test
        void unsupportedMethodIsMethodNotAllowed() throws IOException {
            refused(() -> http.put(configMaps(), configMap("x")), 405, "MethodNotAllowed");
            refused(() -> http.request("TRACE", configMaps()).send(), 405, "MethodNotAllowed");
        }

        @Test
        void writeIntoMissingNamespaceIsNotFound() throws IOException {
            JsonNode s = refused(() -> http.post("/api/v1/namespaces/nope-" + ns + "/configmaps", configMap("a")
                    .replace("\"namespace\":\"" + ns + "\",", "")), 404, "NotFound");
            assertThat(s.path("message").asText()).isEqualTo("namespaces \"nope-" + ns + "\" not found");
        }
    }

    // ------------------------------------------------------------------ bodies

    @Nested
    class Bodies {
        private byte[] huge() {
            StringBuilder b = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\"");
            b.append("x".repeat(HttpIo.MAX_BODY_BYTES));
            return b.append("\"}}").toString().getBytes(StandardCharsets.UTF_8);
        }

        @Test
        void bodyOverThreeMebibytesIsTooLargeWithDeclaredLength() throws IOException {
            refused(() -> http.request("POST", configMaps()).contentType("application/json").body(huge()).send(),
                    413, "RequestEntityTooLarge");
        }

        @Test
        void bodyOverThreeMebibytesIsTooLargeWithoutDeclaredLength() throws IOException {
            refused(() -> http.request("POST", configMaps()).contentType("application/json").body(huge()).chunked().send(),
                    413, "RequestEntityTooLarge");
            refused(() -> http.request("PATCH", configMaps() + "/x").contentType("application/merge-patch+json")
                    .body(huge()).chunked().send(), 413, "RequestEntityTooLarge");
        }

        @Test
        void chunkedBodyWithinTheLimitIsAccepted() throws IOException {
            created(http.request("POST", configMaps()).contentType("application/json").body(configMap("c")).chunked().send());
        }

        @Test
        void brokenJsonIsBadRequest() throws IOException {
            String ok = configMap("a");
            refused(() -> http.post(configMaps(), ok.substring(0, ok.length() / 2)), 400, "BadRequest");
            refused(() -> http.post(configMaps(), "{\"apiVersion\":\"v1\",,}"), 400, "BadRequest");
            refused(() -> http.post(configMaps(), "[1,2,3]"), 400, "BadRequest");
            refused(() -> http.post(configMaps(), "\"just a string\""), 400, "BadRequest");
            refused(() -> http.request("POST", configMaps()).contentType("application/json").body(new byte[0]).send(),
                    400, "BadRequest");
            refused(() -> http.request("POST", configMaps()).contentType("application/json")
                    .body(new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'}).send(), 400, "BadRequest");
        }

        @Test
        void deeplyNestedJsonIsBadRequest() throws IOException {
            String deep = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"deep\"},\"x\":"
                    + "[".repeat(100_000) + "]".repeat(100_000) + "}";
            refused(() -> http.post(configMaps(), deep), 400, "BadRequest");
            String deepObjects = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"deep\"},\"x\":"
                    + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000) + "}";
            refused(() -> http.post(configMaps(), deepObjects), 400, "BadRequest");
            refused(() -> http.patch(configMaps() + "/deep", "application/merge-patch+json",
                    "{\"data\":" + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000) + "}"), 400, "BadRequest");
        }

        @Test
        void yamlAliasBombIsBadRequest() throws IOException {
            String bomb = """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: bomb}
                    a: &a ["x","x","x","x","x","x","x","x","x"]
                    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
                    """;
            refused(() -> http.request("POST", configMaps()).contentType("application/yaml").body(bomb).send(),
                    400, "BadRequest");
        }

        @Test
        void yamlBodyIsAccepted() throws IOException {
            String yaml = """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: from-yaml
                    data:
                      k: v
                    """;
            JsonNode cm = created(http.request("POST", configMaps()).contentType("application/yaml").body(yaml).send());
            assertThat(cm.path("data").path("k").asText()).isEqualTo("v");
        }

        @Test
        void unknownContentTypeIsUnsupportedMediaType() throws IOException {
            refused(() -> http.request("POST", configMaps()).contentType("text/plain").body(configMap("a")).send(),
                    415, "UnsupportedMediaType");
            // protobuf is a known format: a body that is only the k8s\0 prefix is malformed, not unsupported
            refused(() -> http.request("POST", configMaps()).contentType("application/vnd.kubernetes.protobuf")
                    .body(new byte[] {0x6b, 0x38, 0x73, 0}).send(), 400, "BadRequest");
            refused(() -> http.request("POST", configMaps()).contentType("application/cbor")
                    .body(new byte[] {(byte) 0xd9, (byte) 0xd9, (byte) 0xf7}).send(), 415, "UnsupportedMediaType");
            created(http.post(configMaps(), configMap("a")));
            refused(() -> http.patch(configMaps() + "/a", "application/json", "{\"data\":{\"k\":\"w\"}}"),
                    415, "UnsupportedMediaType");
            // server-side apply is served; a protobuf apply body is not a thing
            refused(() -> http.patch(configMaps() + "/a", "application/apply-patch+yaml", "data: {k: w}"),
                    422, "Invalid");
            refused(() -> http.patch(configMaps() + "/a?fieldManager=t", "application/apply-patch+protobuf", "k8s"),
                    415, "UnsupportedMediaType");
        }

        @Test
        void nameMismatchBetweenPathAndBodyIsBadRequest() throws IOException {
            JsonNode cm = created(http.post(configMaps(), configMap("a")));
            String renamed = cm.toString().replace("\"name\":\"a\"", "\"name\":\"b\"");
            JsonNode s = refused(() -> http.put(configMaps() + "/a", renamed), 400, "BadRequest");
            assertThat(s.path("message").asText()).isEqualTo("the name of the object (b) does not match the name on the URL (a)");
            String otherNs = cm.toString().replace("\"namespace\":\"" + ns + "\"", "\"namespace\":\"default\"");
            refused(() -> http.put(configMaps() + "/a", otherNs), 400, "BadRequest");
            refused(() -> http.post(configMaps(), configMap("c").replace("\"namespace\":\"" + ns + "\"",
                    "\"namespace\":\"default\"")), 400, "BadRequest");
        }

        @Test
        void patchCannotRenameOrMoveTheObject() throws IOException {
            created(http.post(configMaps(), configMap("a")));
            refused(() -> http.patch(configMaps() + "/a", "application/merge-patch+json",
                    "{\"metadata\":{\"name\":\"other\"}}"), 400, "BadRequest");
            refused(() -> http.patch(configMaps() + "/a", "application/json-patch+json",
                    "[{\"op\":\"replace\",\"path\":\"/metadata/namespace\",\"value\":\"default\"}]"), 400, "BadRequest");
            refused(() -> http.patch(configMaps() + "/a", "application/merge-patch+json",
                    "{\"kind\":\"Secret\"}"), 400, "BadRequest");
        }

        @Test
        void wrongKindOrApiVersionForThePathIsBadRequest() throws IOException {
            JsonNode s = refused(() -> http.post(pods(), configMap("a")), 400, "BadRequest");
            assertThat(s.path("message").asText()).contains("ConfigMap").contains("Pod");
            refused(() -> http.post(configMaps(), configMap("a").replace("\"apiVersion\":\"v1\"", "\"apiVersion\":\"apps/v1\"")),
                    400, "BadRequest");
            refused(() -> http.post(deployments(), deployment("d", 1).replace("apps/v1", "extensions/v1beta1")),
                    400, "BadRequest");
            created(http.post(configMaps(), configMap("b")));
            JsonNode cm = json(get(configMaps() + "/b"));
            refused(() -> http.put(configMaps() + "/b", cm.toString().replace("\"kind\":\"ConfigMap\"", "\"kind\":\"Secret\"")),
                    400, "BadRequest");
        }

        @Test
        void staleResourceVersionIsConflict() throws IOException {
            JsonNode v1 = created(http.post(configMaps(), configMap("a")));
            assertThat(http.patch(configMaps() + "/a", "application/merge-patch+json", "{\"data\":{\"k\":\"2\"}}").code())
                    .isEqualTo(200);
            JsonNode s = refused(() -> http.put(configMaps() + "/a", v1.toString()), 409, "Conflict");
            assertThat(s.path("message").asText()).contains("the object has been modified");
            String rv = v1.path("metadata").path("resourceVersion").asText();
            refused(() -> http.patch(configMaps() + "/a", "application/merge-patch+json",
                    "{\"metadata\":{\"resourceVersion\":\"" + rv + "\"},\"data\":{\"k\":\"3\"}}"), 409, "Conflict");
            refused(() -> http.delete(configMaps() + "/a", "{\"preconditions\":{\"resourceVersion\":\"" + rv + "\"}}"),
                    409, "Conflict");
        }

        @Test
        void unknownFieldsFollowFieldValidation() throws IOException {
            String unknownTop = configMap("a").replaceFirst("\\{", "{\"bogus\":1,");
            JsonNode s = refused(() -> http.post(configMaps() + "?fieldValidation=Strict", unknownTop), 400, "BadRequest");
            assertThat(s.path("message").asText()).isEqualTo("strict decoding error: unknown field \"bogus\"");
            String unknownMeta = configMap("a").replace("\"metadata\":{", "\"metadata\":{\"nam\":\"typo\",");
            refused(() -> http.post(configMaps() + "?fieldValidation=Strict", unknownMeta), 400, "BadRequest");
            refused(() -> http.post(configMaps() + "?fieldValidation=Loose", configMap("a")), 400, "BadRequest");

            RawHttp.Response warned = http.post(configMaps() + "?fieldValidation=Warn", unknownTop);
            assertThat(warned.code()).isEqualTo(201);
            assertThat(warned.header("Warning")).isEqualTo("299 - \"unknown field \\\"bogus\\\"\"");
            JsonNode strictOk = created(http.post(configMaps() + "?fieldValidation=Strict", configMap("b")));
            refused(() -> http.put(configMaps() + "/b?fieldValidation=Strict",
                    strictOk.toString().replaceFirst("\\{", "{\"extra\":true,")), 400, "BadRequest");
        }

        @Test
        void duplicateCreateIsAlreadyExists() throws IOException {
            created(http.post(configMaps(), configMap("a")));
            refused(() -> http.post(configMaps(), configMap("a")), 409, "AlreadyExists");
        }

        @Test
        void invalidObjectIsUnprocessableWithCauses() throws IOException {
            JsonNode s = refused(() -> http.post(configMaps(), configMap("Not_A_Name")), 422, "Invalid");
            assertThat(s.path("details").path("causes").size()).isPositive();
        }

        @Test
        void invalidQueryParametersAreBadRequest() throws IOException {
            refused(() -> get(configMaps() + "?labelSelector=a%20in%20(b"), 400, "BadRequest");
            refused(() -> get(configMaps() + "?labelSelector=%3D%3Dx"), 400, "BadRequest");
            refused(() -> get(configMaps() + "?fieldSelector=metadata.name"), 400, "BadRequest");
            refused(() -> get(configMaps() + "?watch=1&labelSelector=a%20in%20(b"), 400, "BadRequest");
            refused(() -> get(configMaps() + "?limit=-1"), 400, "BadRequest");
            refused(() -> get(configMaps() + "?limit=lots"), 400, "BadRequest");
            refused(() -> get(configMaps() + "?watch=1&timeoutSeconds=x"), 400, "BadRequest");
            refused(() -> http.post(configMaps() + "?dryRun=Some", configMap("a")), 400, "BadRequest");
            refused(() -> http.delete(configMaps() + "/a?propagationPolicy=Sideways"), 400, "BadRequest");
            refused(() -> get(configMaps() + "?continue=garbage"), 400, "BadRequest");
        }

        @Test
        void badDeleteOptionsBodyIsBadRequest() throws IOException {
            created(http.post(configMaps(), configMap("a")));
            refused(() -> http.delete(configMaps() + "/a", "{\"propagationPolicy\":"), 400, "BadRequest");
            refused(() -> http.delete(configMaps() + "/a", "{\"propagationPolicy\":\"Sideways\"}"), 400, "BadRequest");
            assertThat(get(configMaps() + "/a").code()).isEqualTo(200);
        }
    }

    // ------------------------------------------------------------------ list

    @Nested
    class Lists {
        @Test
        void listCarriesKindRevisionAndPages() throws IOException {
            for (int i = 0; i < 5; i++) {
                created(http.post(configMaps(), configMap("cm-" + i)));
            }
            JsonNode page1 = json(get(configMaps() + "?limit=2"));
            assertThat(page1.path("kind").asText()).isEqualTo("ConfigMapList");
            assertThat(page1.path("apiVersion").asText()).isEqualTo("v1");
            assertThat(page1.path("items")).hasSize(2);
            assertThat(page1.path("metadata").path("remainingItemCount").asLong()).isEqualTo(3);
            String token = page1.path("metadata").path("continue").asText();
            List<String> names = new ArrayList<>();
            page1.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
            String next = token;
            while (!next.isEmpty()) {
                JsonNode page = json(get(configMaps() + "?limit=2&continue=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8)));
                page.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
                next = page.path("metadata").path("continue").asText();
            }
            assertThat(names).containsExactly("cm-0", "cm-1", "cm-2", "cm-3", "cm-4");
        }

        @Test
        void selectorsFilter() throws IOException {
            created(http.post(configMaps(), configMap("a")));
            created(http.post(configMaps(), configMap("b").replace("\"app\":\"demo\"", "\"app\":\"other\"")));
            JsonNode l = json(get(configMaps() + "?labelSelector=app%20in%20(other)"));
            assertThat(l.path("items")).hasSize(1);
            assertThat(l.path("items").get(0).path("metadata").path("name").asText()).isEqualTo("b");
            JsonNode f = json(get(configMaps() + "?fieldSelector=metadata.name%3Da"));
            assertThat(f.path("items")).hasSize(1);
        }
    }

    // ------------------------------------------------------------------ watch

    @Nested
    class Watches {
        @Test
        void watchIsAStreamOfNewlineDelimitedEvents() throws IOException {
            JsonNode a = created(http.post(configMaps(), configMap("a")));
            String rv = a.path("metadata").path("resourceVersion").asText();
            try (RawHttp.Stream w = http.request("GET", configMaps() + "?watch=1&resourceVersion=" + rv).stream()) {
                assertThat(w.code).isEqualTo(200);
                // ended by closing the connection, not chunked (WatchStreamer says why)
                assertThat(w.headers.get("connection")).isEqualToIgnoringCase("close");
                assertThat(w.headers).doesNotContainKey("content-length");
                assertThat(w.headers.get("content-type")).startsWith("application/json");
                assertThat(http.patch(configMaps() + "/a", "application/merge-patch+json", "{\"data\":{\"k\":\"2\"}}").code())
                        .isEqualTo(200);
                created(http.post(configMaps(), configMap("b")));
                assertThat(http.delete(configMaps() + "/a").code()).isEqualTo(200);
                List<String> seen = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    JsonNode e = Json.tree(w.nextLine().getBytes(StandardCharsets.UTF_8));
                    assertThat(e.fieldNames()).toIterable().containsExactly("type", "object");
                    seen.add(e.path("type").asText() + " " + e.path("object").path("metadata").path("name").asText()
                            + " " + e.path("object").path("kind").asText());
                }
                assertThat(seen).containsExactly("MODIFIED a ConfigMap", "ADDED b ConfigMap", "DELETED a ConfigMap");
            }
        }

        @Test
        void watchWithoutRevisionStartsWithSyntheticAdds() throws IOException {
            created(http.post(configMaps(), configMap("a")));
            try (RawHttp.Stream w = http.request("GET", configMaps() + "?watch=true&timeoutSeconds=5").stream()) {
                JsonNode e = Json.tree(w.nextLine().getBytes(StandardCharsets.UTF_8));
                assertThat(e.path("type").asText()).isEqualTo("ADDED");
                assertThat(e.path("object").path("metadata").path("name").asText()).isEqualTo("a");
            }
        }

        @Test
        void compactedRevisionYieldsOneErrorEventWithGone() throws IOException {
            JsonNode a = created(http.post(configMaps(), configMap("a")));
            created(http.post(configMaps(), configMap("b")));
            store.compact();
            String rv = a.path("metadata").path("resourceVersion").asText();
            try (RawHttp.Stream w = http.request("GET", configMaps() + "?watch=1&resourceVersion=" + rv).stream()) {
                assertThat(w.code).isEqualTo(200);
                JsonNode e = Json.tree(w.nextLine().getBytes(StandardCharsets.UTF_8));
                assertThat(e.path("type").asText()).isEqualTo("ERROR");
                assertThat(e.path("object").path("kind").asText()).isEqualTo("Status");
                assertThat(e.path("object").path("code").asInt()).isEqualTo(410);
                assertThat(e.path("object").path("reason").asText()).isEqualTo("Expired");
                assertThat(w.nextLine()).isNull();
            }
        }

        @Test
        void bookmarksOnlyWhenAllowed() throws IOException {
            JsonNode a = created(http.post(configMaps(), configMap("a")));
            String rv = a.path("metadata").path("resourceVersion").asText();
            try (RawHttp.Stream w = http.request("GET", configMaps() + "?watch=1&allowWatchBookmarks=true&resourceVersion=" + rv)
                    .stream()) {
                JsonNode e = Json.tree(w.nextLine().getBytes(StandardCharsets.UTF_8));
                assertThat(e.path("type").asText()).isEqualTo("BOOKMARK");
                assertThat(e.path("object").path("kind").asText()).isEqualTo("ConfigMap");
                assertThat(Long.parseLong(e.path("object").path("metadata").path("resourceVersion").asText()))
                        .isGreaterThanOrEqualTo(Long.parseLong(rv));
            }
            // Without the flag, the 100 ms bookmark timer must not show in a 1 s watch.
            try (RawHttp.Stream w = http.request("GET", configMaps() + "?watch=1&timeoutSeconds=1&resourceVersion=" + rv)
                    .stream()) {
                assertThat(w.nextLine()).isNull();
            }
        }

        @Test
        void timeoutSecondsEndsTheStream() throws IOException {
            // The server ends it (null); a server ignoring timeoutSeconds would hit the client's 30 s read timeout (an exception).
            try (RawHttp.Stream w = http.request("GET", configMaps() + "?watch=1&timeoutSeconds=1").stream()) {
                assertThat(w.code).isEqualTo(200);
                assertThat(w.nextLine()).isNull();
            }
        }

        @Test
        void selectorWatchReportsObjectsLeavingAndEntering() throws IOException {
            JsonNode a = created(http.post(configMaps(), configMap("a")));
            String rv = a.path("metadata").path("resourceVersion").asText();
            try (RawHttp.Stream w = http.request("GET", configMaps() + "?watch=1&labelSelector=app%3Ddemo&resourceVersion=" + rv)
                    .stream()) {
                patchLabel("a", "x");
                patchLabel("a", "demo");
                List<String> seen = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    JsonNode e = Json.tree(w.nextLine().getBytes(StandardCharsets.UTF_8));
                    seen.add(e.path("type").asText() + " " + e.path("object").path("metadata").path("name").asText());
                }
                assertThat(seen).containsExactly("DELETED a", "ADDED a");
            }
        }

        private void patchLabel(String name, String app) throws IOException {
            assertThat(http.patch(configMaps() + "/" + name, "application/merge-patch+json",
                    "{\"metadata\":{\"labels\":{\"app\":\"" + app + "\"}}}").code()).isEqualTo(200);
        }
    }

    // ------------------------------------------------------------------ server-side printing

    @Nested
    class Tables {
        private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

        private List<String> columnNames(JsonNode table) {
            List<String> names = new ArrayList<>();
            table.path("columnDefinitions").forEach(c -> names.add(c.path("name").asText()));
            return names;
        }

        @Test
        void podsListAsTableWithPartialObjectMetadata() throws IOException {
            created(http.post(pods(), pod("p")));
            RawHttp.Response r = http.request("GET", pods()).header("Accept", TABLE).send();
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("application/json;as=Table;v=v1;g=meta.k8s.io");
            JsonNode t = json(r);
            assertThat(t.path("kind").asText()).isEqualTo("Table");
            assertThat(t.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
            assertThat(t.path("metadata").path("resourceVersion").asText()).isNotEmpty();
            assertThat(columnNames(t)).startsWith("Name", "Ready", "Status", "Restarts", "Age").contains("IP", "Node");
            JsonNode row = t.path("rows").get(0);
            assertThat(row.path("cells").get(0).asText()).isEqualTo("p");
            assertThat(row.path("cells").get(1).asText()).isEqualTo("0/1");
            assertThat(row.path("cells").get(2).asText()).isEqualTo("Pending");
            assertThat(row.path("cells").get(3).asText()).isEqualTo("0");
            assertThat(row.path("cells").get(4).asText()).matches("\\d+s");
            assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
            assertThat(row.path("object").path("metadata").path("name").asText()).isEqualTo("p");
            assertThat(row.path("object").has("spec")).isFalse();

            JsonNode full = json(http.request("GET", pods() + "?includeObject=Object").header("Accept", TABLE).send());
            assertThat(full.path("rows").get(0).path("object").path("kind").asText()).isEqualTo("Pod");
            JsonNode none = json(http.request("GET", pods() + "?includeObject=None").header("Accept", TABLE).send());
            assertThat(none.path("rows").get(0).has("object")).isFalse();
            // plain JSON when the client does not ask for a Table
            assertThat(json(get(pods())).path("kind").asText()).isEqualTo("PodList");
        }

        @Test
        void columnsPerKind() throws IOException {
            created(http.post(deployments(), deployment("d", 3)));
            JsonNode d = json(http.request("GET", deployments() + "/d").header("Accept", TABLE).send());
            assertThat(columnNames(d)).startsWith("Name", "Ready", "Up-to-date", "Available", "Age");
            assertThat(d.path("rows").get(0).path("cells").get(1).asText()).isEqualTo("0/3");
            assertThat(d.path("rows").get(0).path("cells").get(7).asText()).isEqualTo("app=web");

            JsonNode rs = json(http.request("GET", "/apis/apps/v1/namespaces/" + ns + "/replicasets").header("Accept", TABLE).send());
            assertThat(columnNames(rs)).startsWith("Name", "Desired", "Current", "Ready", "Age");
            JsonNode namespaces = json(http.request("GET", "/api/v1/namespaces/" + ns).header("Accept", TABLE).send());
            assertThat(columnNames(namespaces)).containsExactly("Name", "Status", "Age");
            assertThat(namespaces.path("rows").get(0).path("cells").get(1).asText()).isEqualTo("Active");
            assertThat(http.post("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n-" + ns
                    + "\",\"labels\":{\"node-role.kubernetes.io/worker\":\"\"}}}").code()).isEqualTo(201);
            JsonNode node = json(http.request("GET", "/api/v1/nodes/n-" + ns).header("Accept", TABLE).send());
            assertThat(columnNames(node)).startsWith("Name", "Status", "Roles", "Age", "Version");
            assertThat(node.path("rows").get(0).path("cells").get(1).asText()).isEqualTo("Unknown");
            assertThat(node.path("rows").get(0).path("cells").get(2).asText()).isEqualTo("worker");
            created(http.post(configMaps(), configMap("c")));
            JsonNode cm = json(http.request("GET", configMaps()).header("Accept", TABLE).send());
            assertThat(columnNames(cm)).containsExactly("Name", "Data", "Age");
        }

        @Test
        void watchAsTableSendsOneRowPerEvent() throws IOException {
            JsonNode a = created(http.post(configMaps(), configMap("a")));
            String rv = a.path("metadata").path("resourceVersion").asText();
            try (RawHttp.Stream w = http.request("GET", configMaps() + "?watch=1&resourceVersion=" + rv)
                    .header("Accept", TABLE).stream()) {
                created(http.post(configMaps(), configMap("b")));
                JsonNode e = Json.tree(w.nextLine().getBytes(StandardCharsets.UTF_8));
                assertThat(e.path("type").asText()).isEqualTo("ADDED");
                assertThat(e.path("object").path("kind").asText()).isEqualTo("Table");
                assertThat(e.path("object").path("rows")).hasSize(1);
                assertThat(e.path("object").path("rows").get(0).path("cells").get(0).asText()).isEqualTo("b");
            }
        }
    }

    // ------------------------------------------------------------------ subresources and writes

    @Nested
    class Subresources {
        @Test
        void statusSubresourceWritesOnlyStatus() throws IOException {
            JsonNode d = created(http.post(deployments(), deployment("d", 2)));
            String withStatus = d.toString().replace("\"replicas\":2", "\"replicas\":9")
                    .replaceFirst("}$", ",\"status\":{\"replicas\":2,\"readyReplicas\":1}}");
            JsonNode afterStatus = json(http.put(deployments() + "/d/status", withStatus));
            assertThat(afterStatus.path("spec").path("replicas").asInt()).isEqualTo(2);
            assertThat(afterStatus.path("status").path("readyReplicas").asInt()).isEqualTo(1);
            assertThat(afterStatus.path("metadata").path("generation").asLong()).isEqualTo(1);

            JsonNode patched = json(http.patch(deployments() + "/d/status", "application/merge-patch+json",
                    "{\"status\":{\"availableReplicas\":1},\"spec\":{\"replicas\":7}}"));
            assertThat(patched.path("status").path("availableReplicas").asInt()).isEqualTo(1);
            assertThat(patched.path("spec").path("replicas").asInt()).isEqualTo(2);

            JsonNode main = json(http.put(deployments() + "/d", patched.toString()
                    .replace("\"availableReplicas\":1", "\"availableReplicas\":5")));
            assertThat(main.path("status").path("availableReplicas").asInt()).isEqualTo(1);
            assertThat(json(get(deployments() + "/d/status")).path("kind").asText()).isEqualTo("Deployment");
        }

        @Test
        void scaleSubresource() throws IOException {
            created(http.post(deployments(), deployment("d", 2)));
            JsonNode scale = json(get(deployments() + "/d/scale"));
            assertThat(scale.path("kind").asText()).isEqualTo("Scale");
            assertThat(scale.path("apiVersion").asText()).isEqualTo("autoscaling/v1");
            assertThat(scale.path("spec").path("replicas").asInt()).isEqualTo(2);
            assertThat(scale.path("status").path("selector").asText()).isEqualTo("app=web");

            JsonNode put = json(http.put(deployments() + "/d/scale",
                    "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"d\"},\"spec\":{\"replicas\":4}}"));
            assertThat(put.path("spec").path("replicas").asInt()).isEqualTo(4);
            assertThat(json(get(deployments() + "/d")).path("spec").path("replicas").asInt()).isEqualTo(4);

            JsonNode patched = json(http.patch(deployments() + "/d/scale", "application/merge-patch+json",
                    "{\"spec\":{\"replicas\":6}}"));
            assertThat(patched.path("spec").path("replicas").asInt()).isEqualTo(6);
            JsonNode d = json(get(deployments() + "/d"));
            assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(6);
            assertThat(d.path("metadata").path("generation").asLong()).isEqualTo(3);

            String staleRv = scale.path("metadata").path("resourceVersion").asText();
            refused(() -> http.put(deployments() + "/d/scale", "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\","
                    + "\"metadata\":{\"name\":\"d\",\"resourceVersion\":\"" + staleRv + "\"},\"spec\":{\"replicas\":1}}"),
                    409, "Conflict");
            refused(() -> http.patch(deployments() + "/d/scale", "application/merge-patch+json",
                    "{\"spec\":{\"replicas\":-1}}"), 422, "Invalid");
            refused(() -> http.put(deployments() + "/d/scale", "{\"spec\":"), 400, "BadRequest");
            refused(() -> http.patch(deployments() + "/d/scale?dryRun=Maybe", "application/merge-patch+json",
                    "{\"spec\":{\"replicas\":2}}"), 400, "BadRequest");
            refused(() -> get(configMaps() + "/a/scale"), 404, "NotFound");
        }

        @Test
        void bindingAssignsTheNodeOnce() throws IOException {
            created(http.post(pods(), pod("p")));
            RawHttp.Response bound = http.post(pods() + "/p/binding",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p\"},\"target\":{\"kind\":\"Node\",\"name\":\"node-1\"}}");
            assertThat(bound.code()).as(bound.text()).isEqualTo(201);
            assertThat(json(bound).path("status").asText()).isEqualTo("Success");
            assertThat(json(get(pods() + "/p")).path("spec").path("nodeName").asText()).isEqualTo("node-1");
            refused(() -> http.post(pods() + "/p/binding",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p\"},\"target\":{\"kind\":\"Node\",\"name\":\"node-2\"}}"),
                    409, "Conflict");
            refused(() -> http.request("GET", pods() + "/p/binding").send(), 405, "MethodNotAllowed");
        }

        @Test
        void dryRunLeavesTheStoreUnchanged() throws IOException {
            created(http.post(configMaps(), configMap("a")));
            byte[] before = storedBytes("a");
            long rev = store.currentRevision();

            RawHttp.Response create = http.post(configMaps() + "?dryRun=All", configMap("b"));
            assertThat(create.code()).isEqualTo(201);
            assertThat(json(create).path("metadata").path("uid").asText()).isNotEmpty();
            RawHttp.Response patch = http.patch(configMaps() + "/a?dryRun=All", "application/merge-patch+json",
                    "{\"data\":{\"k\":\"dry\"}}");
            assertThat(json(patch).path("data").path("k").asText()).isEqualTo("dry");
            JsonNode current = json(get(configMaps() + "/a"));
            assertThat(http.put(configMaps() + "/a?dryRun=All", current.toString().replace("\"k\":\"v\"", "\"k\":\"put\"")).code())
                    .isEqualTo(200);
            assertThat(http.delete(configMaps() + "/a?dryRun=All").code()).isEqualTo(200);
            assertThat(http.delete(configMaps() + "/a", "{\"dryRun\":[\"All\"]}").code()).isEqualTo(200);
            created(http.post(deployments(), deployment("d", 1)));
            long rev2 = store.currentRevision();
            assertThat(http.patch(deployments() + "/d/scale?dryRun=All", "application/merge-patch+json",
                    "{\"spec\":{\"replicas\":3}}").code()).isEqualTo(200);

            assertThat(store.currentRevision()).isEqualTo(rev2);
            assertThat(rev2).isEqualTo(rev + 1);
            assertThat(storedBytes("a")).isEqualTo(before);
            assertThat(get(configMaps() + "/b").code()).isEqualTo(404);
            assertThat(json(get(deployments() + "/d")).path("spec").path("replicas").asInt()).isEqualTo(1);
        }

        private byte[] storedBytes(String name) {
            StoredObject o = store.get(ResourceTypes.CONFIG_MAP, ns, name, null);
            return o.bytes();
        }

        @Test
        void deleteAnswers200WhenGoneAnd202WhileFinalizersHoldIt() throws IOException {
            created(http.post(configMaps(), configMap("plain")));
            RawHttp.Response gone = http.delete(configMaps() + "/plain");
            assertThat(gone.code()).isEqualTo(200);
            assertThat(json(gone).path("metadata").path("name").asText()).isEqualTo("plain");
            assertThat(get(configMaps() + "/plain").code()).isEqualTo(404);

            created(http.post(configMaps(), configMap("held").replace("\"labels\"",
                    "\"finalizers\":[\"example.com/hold\"],\"labels\"")));
            RawHttp.Response pending = http.delete(configMaps() + "/held");
            assertThat(pending.code()).isEqualTo(202);
            JsonNode held = json(get(configMaps() + "/held"));
            assertThat(held.path("metadata").path("deletionTimestamp").asText()).isNotEmpty();

            assertThat(http.patch(configMaps() + "/held", "application/merge-patch+json",
                    "{\"metadata\":{\"finalizers\":null}}").code()).isEqualTo(200);
            assertThat(get(configMaps() + "/held").code()).isEqualTo(404);
            refused(() -> http.delete(configMaps() + "/held"), 404, "NotFound");
        }

        @Test
        void orphanPropagationAddsTheOrphanFinalizer() throws IOException {
            created(http.post(deployments(), deployment("d", 1)));
            RawHttp.Response r = http.delete(deployments() + "/d", "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                    + "\"propagationPolicy\":\"Orphan\"}");
            assertThat(r.code()).isEqualTo(202);
            assertThat(texts(json(get(deployments() + "/d")).path("metadata").path("finalizers"))).contains("orphan");
        }

        @Test
        void deleteCollectionHonoursTheSelector() throws IOException {
            created(http.post(configMaps(), configMap("a")));
            created(http.post(configMaps(), configMap("b").replace("\"app\":\"demo\"", "\"app\":\"keep\"")));
            RawHttp.Response r = http.delete(configMaps() + "?labelSelector=app%3Ddemo");
            assertThat(r.code()).isEqualTo(200);
            assertThat(get(configMaps() + "/a").code()).isEqualTo(404);
            assertThat(get(configMaps() + "/b").code()).isEqualTo(200);
        }
    }
}
