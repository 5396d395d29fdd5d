package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import io.kardia.store.protobuf.KubeProtobufCodec;
import io.kardia.kubeapi.protobuf.ProtobufKinds;
import io.kubernetes.client.proto.V1Autoscaling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HorizontalPodAutoscalers served as {@code autoscaling/v2} (storage) and {@code autoscaling/v1}:
 * one object, two views, converted on read, write, patch, list and watch, over both transports.
 */
@Timeout(60)
class HorizontalPodAutoscalerVersionsTest {
    private static final String TOKEN = BearerTokenAuthenticator.newToken();
    private static final ResourceType<GenericObject> V1 = type("v1");
    private static final ResourceType<GenericObject> V2 = type("v2");
    private static final String ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics";
    private static ReferenceStore store;
    private static ApiServer server;
    private static RawHttp http;

    private static ResourceType<GenericObject> type(String version) {
        return new ResourceType<>("autoscaling", version, "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                "horizontalpodautoscaler", true, List.of("hpa"), Set.of("status"), GenericObject.class);
    }

    @BeforeAll
    static void start() throws IOException {
        store = ReferenceStore.inMemory();
        server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null, ProtobufKinds::builtIn);
        http = new RawHttp("127.0.0.1", server.port(), TOKEN);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    static Stream<Supplier<KubeClient>> transports() {
        Supplier<KubeClient> inProcess = () -> store.client();
        Supplier<KubeClient> overHttp = () -> HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN)
                .noRateLimit().build());
        return Stream.of(inProcess, overHttp);
    }

    private static String namespace(KubeClient client) {
        String ns = "hpa-" + UUID.randomUUID().toString().substring(0, 8);
        client.resources(ResourceTypes.NAMESPACE).create(io.kardia.core.model.Namespace.named(ns));
        return ns;
    }

    private static GenericObject json(String s) {
        return Json.fromString(s.replace('\'', '"'), GenericObject.class);
    }

    private static JsonNode tree(GenericObject o) {
        return Json.toTree(o);
    }

    private static GenericObject v2WithMemoryAndCpu(String ns, String name) {
        return json("""
                {'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler','metadata':{'namespace':'%s','name':'%s'},
                 'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'},'minReplicas':1,'maxReplicas':4,
                         'metrics':[{'type':'Resource','resource':{'name':'memory','target':{'type':'AverageValue','averageValue':'500Mi'}}},
                                    {'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':70}}}]}}"""
                .formatted(ns, name));
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aV1ClientReadsAndWritesBackWithoutLosingV2Metrics(Supplier<KubeClient> transport) {
        try (KubeClient client = transport.get()) {
            String ns = namespace(client);
            ResourceClient<GenericObject> v1 = client.resources(V1);
            ResourceClient<GenericObject> v2 = client.resources(V2);
            v2.create(v2WithMemoryAndCpu(ns, "web"));

            GenericObject asV1 = v1.get(ns, "web");
            assertThat(asV1.apiVersion()).isEqualTo("autoscaling/v1");
            assertThat(tree(asV1).at("/spec/targetCPUUtilizationPercentage").asInt()).isEqualTo(70);
            assertThat(asV1.metadata().annotations()).containsKey(ANNOTATION);

            // read, modify, write back in v1: the memory metric survives through the annotation
            GenericObject changed = asV1.withAt("spec.maxReplicas", 9).withAt("spec.targetCPUUtilizationPercentage", 55);
            GenericObject updated = v1.update(changed);
            assertThat(updated.apiVersion()).isEqualTo("autoscaling/v1");
            JsonNode stored = tree(v2.get(ns, "web"));
            assertThat(stored.at("/spec/maxReplicas").asInt()).isEqualTo(9);
            assertThat(stored.at("/spec/metrics")).hasSize(2);
            assertThat(stored.at("/spec/metrics/0/resource/name").asText()).isEqualTo("memory");
            assertThat(stored.at("/spec/metrics/1/resource/target/averageUtilization").asInt()).isEqualTo(55);
            assertThat(stored.at("/metadata").has("annotations")).as("round-trip annotations never reach storage").isFalse();

            // a merge patch in v1 applies to the v1 form of the object
            GenericObject patched = v1.patch(ns, "web", PatchType.MERGE, "{\"spec\":{\"targetCPUUtilizationPercentage\":40}}");
            assertThat(tree(patched).at("/spec/targetCPUUtilizationPercentage").asInt()).isEqualTo(40);
            assertThat(tree(v2.get(ns, "web")).at("/spec/metrics/1/resource/target/averageUtilization").asInt()).isEqualTo(40);
            assertThat(tree(v2.get(ns, "web")).at("/spec/metrics/0/resource/name").asText()).isEqualTo("memory");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void listsAndWatchesServeTheRequestedVersion(Supplier<KubeClient> transport) throws InterruptedException {
        try (KubeClient client = transport.get()) {
            String ns = namespace(client);
            ResourceClient<GenericObject> v1 = client.resources(V1);
            GenericObject created = v1.create(json("""
                    {'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'namespace':'%s','name':'a'},
                     'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},'maxReplicas':3}}""".formatted(ns)));
            assertThat(tree(created).at("/spec/targetCPUUtilizationPercentage").asInt()).as("kube's implicit default").isEqualTo(80);
            assertThat(tree(client.resources(V2).get(ns, "a")).at("/spec/metrics/0/resource/target/averageUtilization").asInt())
                    .isEqualTo(80);

            try (Watch<GenericObject> w = v1.watch(ns, WatchOptions.from(created.metadata().resourceVersion()))) {
                client.resources(V2).create(v2WithMemoryAndCpu(ns, "b"));
                WatchEvent<GenericObject> e = w.next();
                assertThat(e.type()).isEqualTo(WatchEvent.Type.ADDED);
                assertThat(e.object().apiVersion()).isEqualTo("autoscaling/v1");
                assertThat(tree(e.object()).at("/spec/targetCPUUtilizationPercentage").asInt()).isEqualTo(70);
                assertThat(e.object().metadata().annotations()).containsKey(ANNOTATION);
            }
            assertThat(v1.list(ns).items()).extracting(GenericObject::apiVersion).containsExactly("autoscaling/v1", "autoscaling/v1");
            assertThat(client.resources(V2).list(ns).items()).extracting(GenericObject::apiVersion)
                    .containsExactly("autoscaling/v2", "autoscaling/v2");
        }
    }

    @Test
    void aV2BodyIsRefusedOnTheV1Path() throws IOException {
        String ns = namespace(store.client());
        RawHttp.Response r = http.request("POST", "/apis/autoscaling/v1/namespaces/" + ns + "/horizontalpodautoscalers")
                .contentType("application/json").body(Json.toString(v2WithMemoryAndCpu(ns, "x"))).send();
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.text()).contains("the API version in the data (autoscaling/v2) does not match the expected API version (autoscaling/v1)");
    }

    @Test
    void discoveryListsBothVersionsWithV2Preferred() throws IOException {
        JsonNode group = Json.tree(http.request("GET", "/apis/autoscaling").send().body());
        assertThat(group.at("/preferredVersion/version").asText()).isEqualTo("v2");
        assertThat(group.path("versions").findValuesAsText("version")).containsExactly("v2", "v1");
        JsonNode v1 = Json.tree(http.request("GET", "/apis/autoscaling/v1").send().body());
        assertThat(v1.path("resources").findValuesAsText("name")).contains("horizontalpodautoscalers", "horizontalpodautoscalers/status");
    }

    @Test
    void protobufClientsGetTheV1Message() throws Exception {
        String ns = namespace(store.client());
        store.client().resources(V2).create(v2WithMemoryAndCpu(ns, "pb"));
        RawHttp.Response r = http.request("GET", "/apis/autoscaling/v1/namespaces/" + ns + "/horizontalpodautoscalers/pb")
                .header("Accept", KubeProtobufCodec.MEDIA_TYPE).send();
        assertThat(r.code()).isEqualTo(200);
        KubeProtobufCodec.Envelope envelope = KubeProtobufCodec.unwrap(r.body());
        assertThat(envelope.apiVersion()).isEqualTo("autoscaling/v1");
        V1Autoscaling.HorizontalPodAutoscaler hpa = V1Autoscaling.HorizontalPodAutoscaler.parseFrom(envelope.raw());
        assertThat(hpa.getSpec().getTargetCPUUtilizationPercentage()).isEqualTo(70);
        assertThat(hpa.getMetadata().getAnnotationsMap()).containsKey(ANNOTATION);
        Map<String, String> annotations = hpa.getMetadata().getAnnotationsMap();
        assertThat(Json.tree(annotations.get(ANNOTATION).getBytes(StandardCharsets.UTF_8)).at("/0/resource/name").asText())
                .isEqualTo("memory");
    }
}
