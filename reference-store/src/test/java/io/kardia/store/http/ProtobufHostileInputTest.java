package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedOutputStream;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.json.Json;
import io.kardia.core.model.ConfigMap;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.protobuf.KubeProtobufCodec;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Autoscaling;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile protobuf over a real socket, against the in-process store: a watch frame cut halfway on
 * its way to the client, bodies that declare lengths they do not have or nest 300 deep, and
 * truncated or oversized bodies on every write path. Each is a typed error that says what was
 * wrong; nothing is stored; the server and the connection go on serving.
 */
class ProtobufHostileInputTest {
    private static final String PROTOBUF = KubeProtobufCodec.MEDIA_TYPE;
    private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
    private static LoopbackApiServer server;
    private static RawHttp http;

    private String ns;

    @BeforeAll
    static void start() {
        server = LoopbackApiServer.serve(ReferenceStore.inMemory(StoreOptions.defaults()));
        http = server.rawHttp();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void namespace() throws IOException {
        ns = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        RawHttp.Response made = http.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + ns + "\"}}");
        assertThat(made.code()).as(made.text()).isEqualTo(201);
    }

    // ------------------------------------------------------------------ a watch frame cut on its way to the client

    @Test
    void aWatchFrameCutHalfwayIsATypedErrorForTheClientAndTheNextWatchGetsTheWholeObject() throws Exception {
        String listed = Json.tree(http.get("/api/v1/namespaces/" + ns + "/configmaps").body())
                .path("metadata").path("resourceVersion").asText();
        String blob = "x".repeat(200_000); // one frame of ~200 KB: it spans many reads
        RawHttp.Response made = http.post("/api/v1/namespaces/" + ns + "/configmaps",
                "{\"metadata\":{\"name\":\"big\"},\"data\":{\"blob\":\"" + blob + "\"}}");
        assertThat(made.code()).isEqualTo(201);

        try (CuttingProxy proxy = new CuttingProxy(server.port());
             KubeClient client = HttpKubeClient.create(ClientConfig.builder(proxy.url()).bearerToken(server.token()).noRateLimit().protobuf(true).build())) {
            proxy.cutWatchesAfter(64 * 1024);
            try (Watch<ConfigMap> watch = client.resources(ConfigMap.class).watch(ns, WatchOptions.from(listed))) {
                WatchEvent<ConfigMap> first = nextWithin(watch);
                assertThat(proxy.cuts()).isEqualTo(1);
                assertThat(first).as("a cut frame is never delivered as an object").isNotNull();
                assertThat(first.type()).isEqualTo(WatchEvent.Type.ERROR);
                assertThat(first.status().message()).contains("ended inside a frame");
                assertThat(nextWithin(watch)).as("the watch has ended; the caller re-watches").isNull();
            }

            proxy.cutWatchesAfter(-1);
            try (Watch<ConfigMap> again = client.resources(ConfigMap.class).watch(ns, WatchOptions.from(listed))) {
                WatchEvent<ConfigMap> added = nextWithin(again);
                assertThat(added.type()).isEqualTo(WatchEvent.Type.ADDED);
                assertThat(added.object().data().get("blob")).hasSize(200_000);
            }
        }
    }

    /** The watch's next event, failing the test (instead of hanging it) if none comes in a generous time. */
    private static WatchEvent<ConfigMap> nextWithin(Watch<ConfigMap> watch) throws Exception {
        CompletableFuture<WatchEvent<ConfigMap>> next = CompletableFuture.supplyAsync(() -> {
            try {
                return watch.next();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        return next.get(60, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ bodies that lie about their lengths or nest deep

    @Test
    void aBodyDeclaringAHugeLengthIs400AndTheConnectionServesTheNextRequest() throws Exception {
        // the envelope's raw (field 2) declares 2 GiB and holds 8 bytes
        byte[] hugeRaw = concat(MAGIC, tag(2, 2), varint(Integer.MAX_VALUE), new byte[8]);
        // a well-formed envelope whose ConfigMap's metadata (field 1) declares 2 GiB
        byte[] hugeField = KubeProtobufCodec.wrap("v1", "ConfigMap", concat(tag(1, 2), varint(Integer.MAX_VALUE), new byte[8]));
        // a length varint of ten bytes (more than 64 bits)
        byte[] overlongVarint = KubeProtobufCodec.wrap("v1", "ConfigMap", concat(tag(1, 2),
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                        (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}));

        try (KeepAlive connection = new KeepAlive()) {
            for (byte[] body : new byte[][] {hugeRaw, hugeField, overlongVarint}) {
                RawHttp.Response r = connection.send("POST", "/api/v1/namespaces/" + ns + "/configmaps", body);
                assertThat(r.code()).as(r.text()).isEqualTo(400);
                assertThat(Json.tree(r.body()).path("reason").asText()).isEqualTo("BadRequest");
                assertThat(Json.tree(r.body()).path("message").asText()).containsAnyOf("truncated", "malformed", "a length in it is wrong");
            }
            RawHttp.Response next = connection.send("GET", "/api/v1/namespaces/" + ns + "/configmaps", null);
            assertThat(next.code()).isEqualTo(200);
            assertThat(Json.tree(next.body()).path("items")).isEmpty();
        }
    }

    @Test
    void aBodyNested300DeepIs400AndTheConnectionServesTheNextRequest() throws Exception {
        // 300 levels of JSONSchemaProps.items → JSONSchemaPropsOrArray.schema in a CRD, a few KB on the wire
        var props = io.kubernetes.client.proto.V1Apiextensions.JSONSchemaProps.newBuilder().setType("string").build();
        for (int i = 0; i < 300; i++) {
            props = io.kubernetes.client.proto.V1Apiextensions.JSONSchemaProps.newBuilder().setType("array")
                    .setItems(io.kubernetes.client.proto.V1Apiextensions.JSONSchemaPropsOrArray.newBuilder().setSchema(props))
                    .build();
        }
        var crd = io.kubernetes.client.proto.V1Apiextensions.CustomResourceDefinition.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("nests.hostile.example.com"))
                .setSpec(io.kubernetes.client.proto.V1Apiextensions.CustomResourceDefinitionSpec.newBuilder()
                        .setGroup("hostile.example.com").setScope("Namespaced")
                        .setNames(io.kubernetes.client.proto.V1Apiextensions.CustomResourceDefinitionNames.newBuilder()
                                .setPlural("nests").setKind("Nest"))
                        .addVersions(io.kubernetes.client.proto.V1Apiextensions.CustomResourceDefinitionVersion.newBuilder()
                                .setName("v1").setServed(true).setStorage(true)
                                .setSchema(io.kubernetes.client.proto.V1Apiextensions.CustomResourceValidation.newBuilder()
                                        .setOpenAPIV3Schema(props))))
                .build();
        String crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

        try (KeepAlive connection = new KeepAlive()) {
            RawHttp.Response r = connection.send("POST", crds,
                    ProtobufHttpTest.envelope("apiextensions.k8s.io/v1", "CustomResourceDefinition", crd));
            assertThat(r.code()).as(r.text()).isEqualTo(400);
            assertThat(Json.tree(r.body()).path("message").asText()).contains("nested more than 100 levels");
            RawHttp.Response next = connection.send("GET", crds + "/nests.hostile.example.com", null);
            assertThat(next.code()).isEqualTo(404);
        }
    }

    // ------------------------------------------------------------------ every write path

    @Test
    void truncatedAndOversizedBodiesOnEveryWritePathAreRefusedAndChangeNothing() throws Exception {
        String deployments = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        RawHttp.Response made = http.post(deployments, """
                {"metadata":{"name":"web"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""");
        assertThat(made.code()).as(made.text()).isEqualTo(201);
        JsonNode before = Json.tree(http.get(deployments + "/web").body());
        String rv = before.path("metadata").path("resourceVersion").asText();

        V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("web").setNamespace(ns).setResourceVersion(rv)
                        .putLabels("changed", "yes"))
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(5)
                        .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "web"))
                        .setTemplate(V1.PodTemplateSpec.newBuilder()
                                .setMetadata(Meta.ObjectMeta.newBuilder().putLabels("app", "web"))
                                .setSpec(V1.PodSpec.newBuilder().addContainers(V1.Container.newBuilder().setName("c").setImage("nginx")))))
                .build();
        V1Autoscaling.Scale scale = V1Autoscaling.Scale.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("web").setNamespace(ns).setResourceVersion(rv))
                .setSpec(V1Autoscaling.ScaleSpec.newBuilder().setReplicas(7)).build();
        byte[] deploymentBody = ProtobufHttpTest.envelope("apps/v1", "Deployment", deployment);
        byte[] scaleBody = ProtobufHttpTest.envelope("autoscaling/v1", "Scale", scale);
        byte[] oversizedDeployment = ProtobufHttpTest.envelope("apps/v1", "Deployment", deployment.toBuilder()
                .setMetadata(deployment.getMetadata().toBuilder().putAnnotations("x", "y".repeat(HttpIo.MAX_BODY_BYTES))).build());
        byte[] oversizedScale = ProtobufHttpTest.envelope("autoscaling/v1", "Scale", scale.toBuilder()
                .setMetadata(scale.getMetadata().toBuilder().putAnnotations("x", "y".repeat(HttpIo.MAX_BODY_BYTES))).build());

        record Path(String method, String target, byte[] whole, byte[] oversized) { }
        Path[] paths = {
                new Path("POST", deployments, deploymentBody, oversizedDeployment),
                new Path("PUT", deployments + "/web", deploymentBody, oversizedDeployment),
                new Path("PUT", deployments + "/web/status", deploymentBody, oversizedDeployment),
                new Path("PUT", deployments + "/web/scale", scaleBody, oversizedScale),
        };
        for (Path p : paths) {
            for (int cut : new int[] {p.whole().length / 2, p.whole().length - 3, 6}) {
                RawHttp.Response r = http.request(p.method(), p.target()).contentType(PROTOBUF)
                        .body(Arrays.copyOf(p.whole(), cut)).send();
                assertThat(r.code()).as("%s %s cut to %d: %s", p.method(), p.target(), cut, r.text()).isEqualTo(400);
                JsonNode status = Json.tree(r.body());
                assertThat(status.path("kind").asText()).isEqualTo("Status");
                assertThat(status.path("message").asText()).containsAnyOf("truncated", "malformed", "ended");
            }
            RawHttp.Response big = http.request(p.method(), p.target()).contentType(PROTOBUF).body(p.oversized()).send();
            assertThat(big.code()).as("%s %s oversized: %s", p.method(), p.target(), big.text()).isEqualTo(413);
        }

        JsonNode after = Json.tree(http.get(deployments + "/web").body());
        assertThat(after).as("no refused write changed the deployment").isEqualTo(before);
        // and the whole bodies are accepted on each path: the refusals came from the damage, not the path
        RawHttp.Response scaled = http.request("PUT", deployments + "/web/scale").contentType(PROTOBUF).body(scaleBody).send();
        assertThat(scaled.code()).as(scaled.text()).isEqualTo(200);
        assertThat(Json.tree(http.get(deployments + "/web").body()).path("spec").path("replicas").asInt()).isEqualTo(7);
    }

    // ------------------------------------------------------------------ helpers

    /** Several requests on one kept-alive connection, to see that a refused one leaves it usable. */
    private static final class KeepAlive implements AutoCloseable {
        private final Socket socket = new Socket("127.0.0.1", server.port());
        private final InputStream in;
        private final OutputStream out;

        KeepAlive() throws IOException {
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        RawHttp.Response send(String method, String target, byte[] body) throws IOException {
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + server.token() + "\r\nAccept: application/json\r\n");
            if (body != null) {
                head.append("Content-Type: ").append(PROTOBUF).append("\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            RawHttp.Response r = RawHttp.readResponse(in, false);
            assertThat(r.header("connection")).as("the server keeps the connection").isNotEqualToIgnoringCase("close");
            return r;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static byte[] tag(int number, int wireType) {
        return varint(((long) number << 3) | wireType);
    }

    private static byte[] varint(long v) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            CodedOutputStream o = CodedOutputStream.newInstance(bytes);
            o.writeUInt64NoTag(v);
            o.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            bytes.writeBytes(p);
        }
        return bytes.toByteArray();
    }
}
