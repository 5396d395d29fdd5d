package io.kardia.core.client.http;

import static io.kardia.core.client.http.MockApi.configMap;
import static io.kardia.core.client.http.MockApi.json;
import static io.kardia.core.client.http.MockApi.ok;
import static io.kardia.core.client.http.MockApi.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.DeleteOptions.PropagationPolicy;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ListPages;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.model.Status;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpKubeClientTest extends MockApiTest {
    static final String TOKEN = "s3cr3t-token-value-123";
    static final ResourceType<GenericObject> CONFIG_MAPS = ResourceType.generic("", "v1", "ConfigMap", "configmaps", true);
    static final ResourceType<GenericObject> DEPLOYMENTS = ResourceType.generic("apps", "v1", "Deployment", "deployments", true);

    @Override
    ClientConfig.Builder config() {
        return ClientConfig.builder(server.url("/").toString()).bearerToken(TOKEN).namespace("team-a").noRateLimit();
    }

    @Test
    void getUsesKubeApiserverPathsForCoreGroupAndClusterScopedKinds() throws Exception {
        server.enqueue(ok(configMap("ns1", "cm1", "7")));
        server.enqueue(ok("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d1\",\"namespace\":\"ns1\"}}"));
        server.enqueue(ok("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"n1\"}}"));

        GenericObject cm = client.resources(CONFIG_MAPS).get("ns1", "cm1");
        GenericObject d = client.resources(DEPLOYMENTS).get("ns1", "d1");
        Namespace ns = client.resources(ResourceTypes.NAMESPACE).get("ignored", "n1");

        assertThat(cm.metadata().resourceVersion()).isEqualTo("7");
        assertThat(cm.fields()).containsEntry("data", Map.of("k", "v"));
        assertThat(d.kind()).isEqualTo("Deployment");
        assertThat(ns.metadata().name()).isEqualTo("n1");
        RecordedRequest r1 = take();
        assertThat(r1.getMethod()).isEqualTo("GET");
        assertThat(r1.getUrl().encodedPath()).isEqualTo("/api/v1/namespaces/ns1/configmaps/cm1");
        assertThat(r1.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        // JSON by default (protobuf is opt-in: ClientConfig.Builder.protobuf(true), see HttpProtobufTest)
        assertThat(r1.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(take().getUrl().encodedPath()).isEqualTo("/apis/apps/v1/namespaces/ns1/deployments/d1");
        assertThat(take().getUrl().encodedPath()).isEqualTo("/api/v1/namespaces/n1");
    }

    @Test
    void singleObjectCallsOnNamespacedKindsNeedANamespaceAsInProcess() {
        ResourceClient<GenericObject> cms = client.resources(CONFIG_MAPS);
        GenericObject noNamespace = new GenericObject("v1", "ConfigMap", ObjectMeta.of(null, "cm1"), Map.of());
        for (Runnable call : List.<Runnable>of(() -> cms.get(null, "cm1"), () -> cms.delete("", "cm1"),
                () -> cms.create(noNamespace), () -> cms.update(noNamespace), () -> cms.updateStatus(noNamespace),
                () -> cms.patch(null, "cm1", PatchType.MERGE, "{}"))) {
            assertThatThrownBy(call::run).isInstanceOf(KubeApiException.BadRequestException.class)
                    .hasMessage("a namespace is required for configmaps: they are namespaced");
        }
        assertThat(server.getRequestCount()).isZero();
        assertThat(client.namespace()).isEqualTo("team-a"); // the context's, for callers that default
    }

    @Test
    void listSendsEveryQueryParameterAndDecodesItemsWithoutTypeMeta() throws Exception {
        server.enqueue(ok("""
                {"kind":"DeploymentList","apiVersion":"apps/v1",
                 "metadata":{"resourceVersion":"42","continue":"next-page","remainingItemCount":3},
                 "items":[{"metadata":{"name":"a","namespace":"x"},"spec":{"replicas":2}},
                          {"metadata":{"name":"b","namespace":"y"}}]}"""));

        ObjectList<GenericObject> list = client.resources(DEPLOYMENTS).list(null, ListOptions.all()
                .withLabelSelector("app=web,tier in (a,b)").withFieldSelector("metadata.name=a")
                .withLimit(2).withContinue("tok").withResourceVersion("40", "NotOlderThan"));

        assertThat(list.items()).extracting(o -> o.metadata().name()).containsExactly("a", "b");
        assertThat(list.items()).allSatisfy(o -> {
            assertThat(o.apiVersion()).isEqualTo("apps/v1");
            assertThat(o.kind()).isEqualTo("Deployment");
        });
        assertThat(list.items().getFirst().at("spec.replicas")).contains(2);
        assertThat(list.resourceVersion()).isEqualTo("42");
        assertThat(list.continueToken()).isEqualTo("next-page");
        assertThat(list.remainingItemCount()).isEqualTo(3L);
        RecordedRequest r = take();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/apis/apps/v1/deployments");
        assertThat(r.getUrl().queryParameter("labelSelector")).isEqualTo("app=web,tier in (a,b)");
        assertThat(r.getUrl().queryParameter("fieldSelector")).isEqualTo("metadata.name=a");
        assertThat(r.getUrl().queryParameter("limit")).isEqualTo("2");
        assertThat(r.getUrl().queryParameter("continue")).isEqualTo("tok");
        assertThat(r.getUrl().queryParameter("resourceVersion")).isEqualTo("40");
        assertThat(r.getUrl().queryParameter("resourceVersionMatch")).isEqualTo("NotOlderThan");
    }

    @Test
    void typedListItemsWithoutTypeMetaGetTheirKindAndFrozenContent() {
        server.enqueue(ok("""
                {"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7"},
                 "items":[{"metadata":{"name":"p","namespace":"x","labels":{"app":"web"}},
                           "spec":{"containers":[{"name":"c","image":"i"}],"volumes":[{"name":"v","emptyDir":{}}]}}]}"""));

        Pod pod = client.resources(Pod.class).list("x").items().getFirst();

        assertThat(pod.apiVersion()).isEqualTo("v1");
        assertThat(pod.kind()).isEqualTo("Pod");
        assertThat(pod.metadata().labels()).containsEntry("app", "web");
        assertThat(pod.spec().extra()).containsKey("volumes");
        assertThatThrownBy(() -> pod.spec().extra().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"kind\":\"PodList\",\"items\":{}}",
            "{\"kind\":\"PodList\",\"items\":[1]}",
            "{\"kind\":\"PodList\",\"items\":[{\"metadata\":{\"name\":\"p\"}}",
            "[]"})
    void malformedListsAreClearClientErrors(String body) {
        server.enqueue(ok(body));
        assertThatThrownBy(() -> client.resources(Pod.class).list("x"))
                .isInstanceOf(KubeClientException.class)
                .hasMessageContaining("Pod");
    }

    /** One well-formed item the model cannot read must not fail the whole list (it would wedge informers). */
    @Test
    void anUndecodableItemIsSkippedAndCountedAndTheRestOfTheListRead() {
        long before = io.kardia.core.client.UndecodableObjects.count("pods");
        server.enqueue(ok("{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"5\"},\"items\":["
                + "{\"metadata\":\"not an object\",\"spec\":{\"containers\":[{\"name\":\"c\"}]}},"
                + "{\"metadata\":{\"name\":\"p\",\"labels\":{\"a\":\"b\"}},\"spec\":{\"terminationGracePeriodSeconds\":\"x\"}},"
                + "{\"metadata\":{\"name\":\"q\"}}]}"));
        var list = client.resources(Pod.class).list("x");
        assertThat(list.items()).extracting(p -> p.metadata().name()).containsExactly("q");
        assertThat(list.resourceVersion()).isEqualTo("5");
        assertThat(io.kardia.core.client.UndecodableObjects.count("pods")).isEqualTo(before + 2);
    }

    private static String podPage(String rv, String cont, String... names) {
        StringBuilder items = new StringBuilder();
        for (String n : names) {
            items.append(items.isEmpty() ? "" : ",").append("{\"metadata\":{\"name\":\"").append(n)
                    .append("\",\"namespace\":\"x\"}}");
        }
        return "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"" + rv + "\""
                + (cont == null ? "" : ",\"continue\":\"" + cont + "\"") + "},\"items\":[" + items + "]}";
    }

    @Test
    void listPagesFollowsContinueTokensAndReturnsPagesInOrder() throws Exception {
        server.enqueue(ok(podPage("9", "c1", "a", "b")));
        server.enqueue(ok(podPage("9", "c2", "c", "d")));
        server.enqueue(ok(podPage("9", null, "e")));

        List<String> names = new java.util.ArrayList<>();
        List<String> tokens = new java.util.ArrayList<>();
        try (ListPages<Pod> pages = client.resources(Pod.class).listPages("x", ListOptions.all().withLimit(2))) {
            while (pages.hasNext()) {
                ObjectList<Pod> page = pages.next();
                tokens.add(page.continueToken());
                page.items().forEach(p -> names.add(p.metadata().name()));
            }
            assertThatThrownBy(pages::next).isInstanceOf(java.util.NoSuchElementException.class);
        }

        assertThat(names).containsExactly("a", "b", "c", "d", "e");
        assertThat(tokens).containsExactly("c1", "c2", null);
        assertThat(take().getUrl().queryParameter("continue")).isNull();
        assertThat(take().getUrl().queryParameter("continue")).isEqualTo("c1");
        RecordedRequest third = take();
        assertThat(third.getUrl().queryParameter("continue")).isEqualTo("c2");
        assertThat(third.getUrl().queryParameter("limit")).isEqualTo("2");
    }

    @Test
    void aFailedPageSurfacesAsTheTypedErrorAfterThePagesBeforeIt() {
        server.enqueue(ok(podPage("9", "c1", "a")));
        server.enqueue(json(410, status(410, "Expired", "the continue token is too old")));

        try (ListPages<Pod> pages = client.resources(Pod.class).listPages("x", ListOptions.all().withLimit(1))) {
            assertThat(pages.next().items()).extracting(p -> p.metadata().name()).containsExactly("a");
            assertThat(pages.hasNext()).isTrue();
            assertThatThrownBy(pages::next).isInstanceOf(KubeApiException.GoneException.class)
                    .hasMessageContaining("too old");
        }
    }

    @Test
    void aMalformedPageIsAClearClientError() {
        server.enqueue(ok(podPage("9", "c1", "a")));
        server.enqueue(ok("{\"kind\":\"PodList\",\"metadata\":{},\"items\":[7]}"));
        try (ListPages<Pod> pages = client.resources(Pod.class).listPages("x", ListOptions.all().withLimit(1))) {
            pages.next();
            assertThatThrownBy(pages::next).isInstanceOf(KubeClientException.class).hasMessageContaining("Pod");
        }
    }

    @Test
    void readAheadIsBoundedAndClosingEndsTheIteration() throws Exception {
        for (int i = 0; i < 10; i++) {
            server.enqueue(ok(podPage("9", "c" + (i + 1), "p" + i)));
        }
        ListPages<Pod> pages = client.resources(Pod.class).listPages("x", ListOptions.all().withLimit(1));
        assertThat(pages.next().items()).hasSize(1);
        pages.close();
        pages.close(); // idempotent

        assertThat(pages.hasNext()).isFalse();
        // it read ahead a bounded number of pages, then stopped
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(300)).atMost(java.time.Duration.ofSeconds(5))
                .until(() -> server.getRequestCount() <= 2 + PrefetchingListPages.AHEAD);
    }

    @Test
    void listInOneNamespaceWithoutOptionsSendsNoQuery() throws Exception {
        server.enqueue(ok("{\"kind\":\"ConfigMapList\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[]}"));
        ObjectList<GenericObject> list = client.resources(CONFIG_MAPS).list("ns1");
        assertThat(list.items()).isEmpty();
        assertThat(list.hasMore()).isFalse();
        RecordedRequest r = take();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v1/namespaces/ns1/configmaps");
        assertThat(r.getUrl().querySize()).isZero();
    }

    @Test
    void createPostsToTheCollectionWithDryRunAndFieldManager() throws Exception {
        server.enqueue(json(201, configMap("ns1", "cm1", "9")));
        GenericObject cm = new GenericObject(null, null, ObjectMeta.of("ns1", "cm1"), Map.of("data", Map.of("k", "v")));

        GenericObject created = client.resources(CONFIG_MAPS).create(cm, new WriteOptions(true, "kardia-test"));

        assertThat(created.metadata().resourceVersion()).isEqualTo("9");
        RecordedRequest r = take();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v1/namespaces/ns1/configmaps");
        assertThat(r.getUrl().queryParameter("dryRun")).isEqualTo("All");
        assertThat(r.getUrl().queryParameter("fieldManager")).isEqualTo("kardia-test");
        assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
        JsonNode body = Json.tree(r.getBody().toByteArray());
        assertThat(body.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(body.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(body.path("metadata").path("name").asText()).isEqualTo("cm1");
        assertThat(body.path("data").path("k").asText()).isEqualTo("v");
    }

    @Test
    void updatePutsTheObjectAndUpdateStatusPutsToTheStatusSubresource() throws Exception {
        server.enqueue(ok(configMap("ns1", "cm1", "10")));
        server.enqueue(ok(configMap("ns1", "cm1", "11")));
        GenericObject cm = new GenericObject("v1", "ConfigMap",
                ObjectMeta.builder().namespace("ns1").name("cm1").resourceVersion("9").build(), Map.of());
        ResourceClient<GenericObject> cms = client.resources(CONFIG_MAPS);

        assertThat(cms.update(cm).metadata().resourceVersion()).isEqualTo("10");
        assertThat(cms.updateStatus(cm).metadata().resourceVersion()).isEqualTo("11");

        RecordedRequest put = take();
        assertThat(put.getMethod()).isEqualTo("PUT");
        assertThat(put.getUrl().encodedPath()).isEqualTo("/api/v1/namespaces/ns1/configmaps/cm1");
        assertThat(put.getUrl().queryParameter("dryRun")).isNull();
        assertThat(Json.tree(put.getBody().toByteArray()).path("metadata").path("resourceVersion").asText()).isEqualTo("9");
        RecordedRequest status = take();
        assertThat(status.getMethod()).isEqualTo("PUT");
        assertThat(status.getUrl().encodedPath()).isEqualTo("/api/v1/namespaces/ns1/configmaps/cm1/status");
    }

    @ParameterizedTest
    @MethodSource("patchTypes")
    void patchSendsTheContentTypeOfItsPatchType(PatchType type, String contentType) throws Exception {
        server.enqueue(ok(configMap("ns1", "cm1", "3")));
        client.resources(CONFIG_MAPS).patch("ns1", "cm1", type, "{\"data\":{\"k\":\"w\"}}", WriteOptions.DRY_RUN);
        RecordedRequest r = take();
        assertThat(r.getMethod()).isEqualTo("PATCH");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v1/namespaces/ns1/configmaps/cm1");
        assertThat(r.getUrl().queryParameter("dryRun")).isEqualTo("All");
        assertThat(r.getHeaders().get("Content-Type")).startsWith(contentType);
        assertThat(r.getBody().utf8()).isEqualTo("{\"data\":{\"k\":\"w\"}}");
    }

    static Stream<Arguments> patchTypes() {
        return Stream.of(Arguments.of(PatchType.MERGE, "application/merge-patch+json"),
                Arguments.of(PatchType.JSON, "application/json-patch+json"),
                Arguments.of(PatchType.STRATEGIC, "application/strategic-merge-patch+json"));
    }

    @Test
    void deleteSendsDeleteOptionsAsTheBody() throws Exception {
        server.enqueue(ok("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d1\",\"namespace\":\"ns1\","
                + "\"deletionTimestamp\":\"2026-01-01T00:00:00Z\",\"finalizers\":[\"foregroundDeletion\"]}}"));
        DeleteOptions options = new DeleteOptions(PropagationPolicy.Foreground, "uid-1", "5", 30L, true);

        GenericObject last = client.resources(DEPLOYMENTS).delete("ns1", "d1", options);

        assertThat(last.metadata().deletionTimestamp()).isNotNull();
        RecordedRequest r = take();
        assertThat(r.getMethod()).isEqualTo("DELETE");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/apis/apps/v1/namespaces/ns1/deployments/d1");
        JsonNode body = Json.tree(r.getBody().toByteArray());
        assertThat(body).isEqualTo(Json.mapper().readTree("""
                {"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":30,
                 "preconditions":{"uid":"uid-1","resourceVersion":"5"},
                 "propagationPolicy":"Foreground","dryRun":["All"]}"""));
    }

    @Test
    void deleteAnsweredWithASuccessStatusReturnsNull() throws Exception {
        server.enqueue(ok("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Success\",\"details\":{\"name\":\"cm1\"}}"));
        assertThat(client.resources(CONFIG_MAPS).delete("ns1", "cm1")).isNull();
        assertThat(Json.tree(take().getBody().toByteArray())).isEqualTo(
                Json.mapper().readTree("{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\"}"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void statusErrorsBecomeTypedExceptions(int code, String reason, Class<? extends KubeApiException> expected) {
        server.enqueue(json(code, status(code, reason, "the message for " + reason)));
        client.close();
        client = HttpKubeClient.create(config().maxRetries(0).build());

        assertThatThrownBy(() -> client.resources(CONFIG_MAPS).get("ns1", "cm1"))
                .isExactlyInstanceOf(expected)
                .hasMessage("the message for " + reason)
                .satisfies(e -> {
                    KubeApiException k = (KubeApiException) e;
                    assertThat(k.code()).isEqualTo(code);
                    assertThat(k.reason()).isEqualTo(reason);
                });
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(400, "BadRequest", KubeApiException.BadRequestException.class),
                Arguments.of(401, "Unauthorized", KubeApiException.UnauthorizedException.class),
                Arguments.of(403, "Forbidden", KubeApiException.ForbiddenException.class),
                Arguments.of(404, "NotFound", KubeApiException.NotFoundException.class),
                Arguments.of(409, "AlreadyExists", KubeApiException.AlreadyExistsException.class),
                Arguments.of(409, "Conflict", KubeApiException.ConflictException.class),
                Arguments.of(410, "Expired", KubeApiException.GoneException.class),
                Arguments.of(410, "Gone", KubeApiException.GoneException.class),
                Arguments.of(413, "RequestEntityTooLarge", KubeApiException.RequestTooLargeException.class),
                Arguments.of(422, "Invalid", KubeApiException.InvalidException.class),
                Arguments.of(429, "TooManyRequests", KubeApiException.TooManyRequestsException.class),
                Arguments.of(500, "InternalError", KubeApiException.class),
                Arguments.of(503, "ServiceUnavailable", KubeApiException.class));
    }

    @Test
    void invalidCarriesTheFieldCauses() {
        server.enqueue(json(422, """
                {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Invalid","code":422,
                 "message":"ConfigMap \\"Bad\\" is invalid: metadata.name: Invalid value",
                 "details":{"name":"Bad","kind":"ConfigMap","causes":[{"reason":"FieldValueInvalid",
                 "message":"Invalid value","field":"metadata.name"}]}}"""));
        assertThatThrownBy(() -> client.resources(CONFIG_MAPS).create(
                new GenericObject("v1", "ConfigMap", ObjectMeta.of("ns1", "Bad"), Map.of())))
                .isInstanceOfSatisfying(KubeApiException.InvalidException.class, e ->
                        assertThat(e.status().details().causes()).extracting(Status.Cause::field)
                                .containsExactly("metadata.name"));
    }

    @Test
    void aNonStatusBodyBecomesASyntheticStatusWithAnExcerpt() {
        server.enqueue(new MockResponse.Builder().code(502).addHeader("Content-Type", "text/html")
                .body("<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>").build());
        assertThatThrownBy(() -> client.resources(CONFIG_MAPS).get("ns1", "cm1"))
                .isExactlyInstanceOf(KubeApiException.class)
                .hasMessageContaining("HTTP 502")
                .hasMessageContaining("502 Bad Gateway nginx")
                .satisfies(e -> assertThat(((KubeApiException) e).code()).isEqualTo(502));
    }

    @Test
    void aNotFoundWithoutBodyIsStillANotFound() {
        server.enqueue(new MockResponse.Builder().code(404).build());
        assertThat(client.resources(CONFIG_MAPS).find("ns1", "cm1")).isEmpty();
    }

    @Test
    void tooManyRequestsIsRetriedAfterRetryAfter() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1")
                .addHeader("Content-Type", "application/json").body(status(429, "TooManyRequests", "slow down")).build());
        server.enqueue(json(201, configMap("ns1", "cm1", "2")));

        GenericObject created = client.resources(CONFIG_MAPS).create(
                new GenericObject("v1", "ConfigMap", ObjectMeta.of("ns1", "cm1"), Map.of()));

        assertThat(created.metadata().resourceVersion()).isEqualTo("2");
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(take().getBody().utf8()).isEqualTo(take().getBody().utf8()); // the same body was sent again
    }

    @Test
    void tooManyRequestsGivesUpAfterMaxRetries() {
        client.close();
        client = HttpKubeClient.create(config().maxRetries(2).build());
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "0").build());
        }
        assertThatThrownBy(() -> client.resources(CONFIG_MAPS).get("ns1", "cm1"))
                .isInstanceOfSatisfying(KubeApiException.TooManyRequestsException.class,
                        e -> assertThat(e.retryAfterSeconds()).isZero());
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void serverErrorsWithRetryAfterAreRetriedForGetOnly() throws Exception {
        // Retry-After 1, not 0: OkHttp itself repeats a 503 with Retry-After 0 once, for any method.
        server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "1").build());
        server.enqueue(ok(configMap("ns1", "cm1", "1")));
        assertThat(client.resources(CONFIG_MAPS).get("ns1", "cm1").metadata().name()).isEqualTo("cm1");
        assertThat(server.getRequestCount()).isEqualTo(2);

        server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "1").build());
        assertThatThrownBy(() -> client.resources(CONFIG_MAPS).patch("ns1", "cm1", PatchType.MERGE, "{}"))
                .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isEqualTo(503));
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void connectionFailuresAreKubeClientExceptionsWithoutSecrets() {
        server.close();
        assertThatThrownBy(() -> client.resources(CONFIG_MAPS).get("ns1", "cm1"))
                .isExactlyInstanceOf(KubeClientException.class)
                .hasMessageContaining("GET http://")
                .hasMessageContaining("/api/v1/namespaces/ns1/configmaps/cm1")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(TOKEN));
    }

    @Test
    void namesThatWouldChangeThePathAreRefused() {
        ResourceClient<GenericObject> cms = client.resources(CONFIG_MAPS);
        assertThatThrownBy(() -> cms.get("ns1", "a/b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name \"a/b\"");
        assertThatThrownBy(() -> cms.get("ns1", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name must not be empty");
        assertThatThrownBy(() -> cms.get("..", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aBodyThatIsNotJsonIsAClearClientError() {
        server.enqueue(new MockResponse.Builder().code(200).body("not json at all").build());
        assertThatThrownBy(() -> client.resources(CONFIG_MAPS).get("ns1", "cm1"))
                .isInstanceOf(KubeClientException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void serverPathPrefixesAreKept() throws Exception {
        client.close();
        client = HttpKubeClient.create(config().server(server.url("/k8s/clusters/c1/").uri()).build());
        server.enqueue(ok(configMap("ns1", "cm1", "1")));
        client.resources(CONFIG_MAPS).get("ns1", "cm1");
        assertThat(take().getUrl().encodedPath()).isEqualTo("/k8s/clusters/c1/api/v1/namespaces/ns1/configmaps/cm1");
    }

    @Test
    void requestsBeyondTheBurstWaitForTheSharedLimiterAndCanBeInterrupted() throws Exception {
        client.close();
        client = HttpKubeClient.create(config().rateLimit(0.001, 1).build());
        server.enqueue(ok(configMap("ns1", "a", "1")));
        server.enqueue(ok(configMap("ns1", "b", "2")));
        client.resources(CONFIG_MAPS).get("ns1", "a"); // the burst of one
        assertThat(take().getUrl().encodedPath()).endsWith("/a");

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            // A different kind, same client: the bucket is shared, so this one waits (~17 min at 0.001 qps).
            java.util.concurrent.Future<?> waiting = pool.submit(() -> client.resources(DEPLOYMENTS).get("ns1", "b"));
            assertThat(server.takeRequest(300, TimeUnit.MILLISECONDS)).as("held back by the limiter").isNull();
            waiting.cancel(true);
            assertThat(pool.submit(() -> 0).get(5, TimeUnit.SECONDS)).as("the interrupted caller returned").isZero();
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aFailingCredentialSourceSurfacesItsOwnError() {
        client.close();
        client = HttpKubeClient.create(config().credentials(() -> {
            throw new io.kardia.core.config.KubeConfigException("exec plugin \"x\" of user \"u\" exited with code 1");
        }).build());
        assertThatThrownBy(() -> client.resources(CONFIG_MAPS).get("ns1", "cm1"))
                .isExactlyInstanceOf(io.kardia.core.config.KubeConfigException.class)
                .hasMessage("exec plugin \"x\" of user \"u\" exited with code 1");
        assertThat(server.getRequestCount()).isZero();
    }
}
