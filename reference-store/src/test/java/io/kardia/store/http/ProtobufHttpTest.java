package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.kardia.core.json.Json;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.protobuf.KubeProtobufCodec;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code application/vnd.kubernetes.protobuf} over HTTP: bodies built and read with the official
 * Java client's generated classes (an encoder independent of ours), against the real store.
 */
class ProtobufHttpTest {
    private static final String PROTOBUF = KubeProtobufCodec.MEDIA_TYPE;
    private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
    private static LoopbackApiServer server;
    private static RawHttp http;

    private String ns;

    @BeforeAll
    static void start() {
        server = LoopbackApiServer.serve(ReferenceStore.inMemory(StoreOptions.defaults().withBookmarkInterval(Duration.ofMillis(100))));
        http = server.rawHttp();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void namespace() throws IOException {
        ns = "pb-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] body = envelope("v1", "Namespace", V1.Namespace.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName(ns)).build());
        RawHttp.Response created = http.request("POST", "/api/v1/namespaces").contentType(PROTOBUF).body(body).send();
        assertThat(created.code()).as(text(created)).isEqualTo(201);
    }

    private String configMaps() {
        return "/api/v1/namespaces/" + ns + "/configmaps";
    }

    private V1.ConfigMap configMap(String name) {
        return V1.ConfigMap.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName(name).putLabels("app", "demo"))
                .putData("greeting", "hello")
                .putBinaryData("blob", ByteString.copyFrom(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff}))
                .build();
    }

    // ------------------------------------------------------------------ requests and responses

    @Test
    void createsFromAProtobufBodyAndAnswersInProtobuf() throws Exception {
        RawHttp.Response created = http.request("POST", configMaps()).contentType(PROTOBUF)
                .header("Accept", PROTOBUF + ", application/json").body(envelope("v1", "ConfigMap", configMap("a"))).send();

        assertThat(created.code()).as(text(created)).isEqualTo(201);
        assertThat(created.headers().get("content-type")).isEqualTo(PROTOBUF);
        Runtime.Unknown unknown = unwrap(created.body());
        assertThat(unknown.getTypeMeta().getKind()).isEqualTo("ConfigMap");
        assertThat(unknown.getTypeMeta().getApiVersion()).isEqualTo("v1");
        V1.ConfigMap cm = V1.ConfigMap.parseFrom(unknown.getRaw());
        assertThat(cm.getMetadata().getName()).isEqualTo("a");
        assertThat(cm.getMetadata().getNamespace()).isEqualTo(ns);
        assertThat(cm.getMetadata().getUid()).isNotEmpty();
        assertThat(cm.getMetadata().getCreationTimestamp().getSeconds()).isPositive();
        assertThat(cm.getDataMap()).containsEntry("greeting", "hello");
        assertThat(cm.getBinaryDataMap().get("blob").toByteArray()).containsExactly(0, 1, 0xfe, 0xff);

        // stored as JSON, as any other write
        JsonNode stored = Json.tree(http.get(configMaps() + "/a").body());
        assertThat(stored.path("binaryData").path("blob").asText()).isEqualTo("AAH+/w==");
        assertThat(stored.path("metadata").path("labels").path("app").asText()).isEqualTo("demo");
        assertThat(stored.path("metadata").has("generateName")).as("Go's unset strings are left out").isFalse();
    }

    @Test
    void updatesFromAProtobufBody() throws Exception {
        assertThat(http.request("POST", configMaps()).contentType(PROTOBUF).body(envelope("v1", "ConfigMap", configMap("u"))).send().code())
                .isEqualTo(201);
        String rv = Json.tree(http.get(configMaps() + "/u").body()).path("metadata").path("resourceVersion").asText();
        V1.ConfigMap changed = configMap("u").toBuilder().setMetadata(configMap("u").getMetadata().toBuilder().setResourceVersion(rv))
                .putData("greeting", "bye").build();

        RawHttp.Response updated = http.request("PUT", configMaps() + "/u").contentType(PROTOBUF).body(envelope("v1", "ConfigMap", changed)).send();

        assertThat(updated.code()).as(text(updated)).isEqualTo(200);
        assertThat(Json.tree(updated.body()).path("data").path("greeting").asText()).isEqualTo("bye");
    }

    @Test
    void negotiatesTheResponseFormatByPreference() throws Exception {
        http.request("POST", configMaps()).contentType(PROTOBUF).body(envelope("v1", "ConfigMap", configMap("n"))).send();
        String path = configMaps() + "/n";

        assertThat(http.request("GET", path).header("Accept", "application/json;q=0.5, " + PROTOBUF).send().headers().get("content-type"))
                .isEqualTo(PROTOBUF);
        assertThat(http.request("GET", path).header("Accept", "application/json, " + PROTOBUF + ";q=0.9").send().headers().get("content-type"))
                .isEqualTo("application/json");
        assertThat(http.request("GET", path).header("Accept", "*/*").send().headers().get("content-type")).isEqualTo("application/json");
        RawHttp.Response table = http.request("GET", path)
                .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io, " + PROTOBUF).send();
        assertThat(Json.tree(table.body()).path("kind").asText()).isEqualTo("Table");
    }

    @Test
    void listsAreXxxListMessages() throws Exception {
        for (String name : List.of("l1", "l2", "l3")) {
            http.request("POST", configMaps()).contentType(PROTOBUF).body(envelope("v1", "ConfigMap", configMap(name))).send();
        }
        RawHttp.Response list = http.request("GET", configMaps() + "?limit=2").header("Accept", PROTOBUF).send();

        assertThat(list.code()).isEqualTo(200);
        Runtime.Unknown unknown = unwrap(list.body());
        assertThat(unknown.getTypeMeta().getKind()).isEqualTo("ConfigMapList");
        V1.ConfigMapList cms = V1.ConfigMapList.parseFrom(unknown.getRaw());
        assertThat(cms.getItemsList()).extracting(c -> c.getMetadata().getName()).containsExactly("l1", "l2");
        assertThat(cms.getMetadata().getContinue()).isNotEmpty();
        assertThat(cms.getMetadata().getResourceVersion()).isNotEmpty();
    }

    @Test
    void errorsAreProtobufStatusesForProtobufClients() throws Exception {
        RawHttp.Response missing = http.request("GET", configMaps() + "/nope").header("Accept", PROTOBUF).send();

        assertThat(missing.code()).isEqualTo(404);
        Runtime.Unknown unknown = unwrap(missing.body());
        assertThat(unknown.getTypeMeta().getKind()).isEqualTo("Status");
        Meta.Status status = Meta.Status.parseFrom(unknown.getRaw());
        assertThat(status.getReason()).isEqualTo("NotFound");
        assertThat(status.getCode()).isEqualTo(404);
        assertThat(status.getDetails().getName()).isEqualTo("nope");
    }

    @Test
    void watchStreamsLengthDelimitedWatchEvents() throws Exception {
        http.request("POST", configMaps()).contentType(PROTOBUF).body(envelope("v1", "ConfigMap", configMap("w1"))).send();
        http.request("POST", configMaps()).contentType(PROTOBUF).body(envelope("v1", "ConfigMap", configMap("w2"))).send();

        RawHttp.Response watch = http.request("GET", configMaps() + "?watch=true&resourceVersion=0&timeoutSeconds=1")
                .header("Accept", PROTOBUF + ", application/json").send();

        assertThat(watch.headers().get("content-type")).isEqualTo(KubeProtobufCodec.WATCH_MEDIA_TYPE);
        List<String> names = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(watch.body());
        for (KubeProtobufCodec.WatchFrame f = KubeProtobufCodec.readWatchFrame(in); f != null; f = KubeProtobufCodec.readWatchFrame(in)) {
            // the frame again with the official classes: WatchEvent without magic, object with it
            assertThat(f.type()).isEqualTo("ADDED");
            Runtime.Unknown object = unwrap(f.object());
            assertThat(object.getTypeMeta().getKind()).isEqualTo("ConfigMap");
            names.add(V1.ConfigMap.parseFrom(object.getRaw()).getMetadata().getName());
        }
        assertThat(names).containsExactly("w1", "w2");
        byte[] first = Arrays.copyOfRange(watch.body(), 4, 4 + ((watch.body()[2] & 0xff) << 8 | (watch.body()[3] & 0xff)));
        Meta.WatchEvent event = Meta.WatchEvent.parseFrom(first);
        assertThat(event.getType()).isEqualTo("ADDED");
    }

    @Test
    void aWatchStreamCutInsideAFrameIsAnErrorForTheClientAndFreesTheServer() throws Exception {
        // an object of ~200 KB: its frame spans many TCP segments
        V1.ConfigMap big = configMap("big").toBuilder().putData("blob", "x".repeat(200_000)).build();
        assertThat(http.request("POST", configMaps()).contentType(PROTOBUF).body(envelope("v1", "ConfigMap", big)).send().code())
                .isEqualTo(201);

        // the client's side: a stream that ends inside a frame is an error, never a short object
        RawHttp.Response whole = http.request("GET", configMaps() + "?watch=true&resourceVersion=0&timeoutSeconds=1")
                .header("Accept", PROTOBUF).send();
        byte[] cut = Arrays.copyOf(whole.body(), whole.body().length / 2);
        assertThatThrownBy(() -> KubeProtobufCodec.readWatchFrame(new ByteArrayInputStream(cut)))
                .isInstanceOf(io.kardia.kubeapi.protobuf.ProtobufFormatException.class)
                .hasMessageContaining("ended inside a frame");

        // the server's side: a client that drops the connection halfway through a frame
        // (the watches earlier ones opened end on their own timeouts; count from none)
        await().atMost(Duration.ofSeconds(30)).until(() -> server.store().openWatches() == 0);
        int before = server.store().openWatches();
        RawHttp.Stream stream = http.request("GET", configMaps() + "?watch=true&resourceVersion=0&allowWatchBookmarks=true")
                .header("Accept", PROTOBUF).stream();
        assertThat(stream.code).isEqualTo(200);
        byte[] start = stream.readRaw(1024);
        assertThat(start.length).as("the frame has begun").isPositive().isLessThan(200_000);
        await().atMost(Duration.ofSeconds(30)).until(() -> server.store().openWatches() == before + 1);
        stream.abort();
        // bookmarks every 100 ms make the server write, find the connection gone, and end the watch
        await().atMost(Duration.ofSeconds(60)).until(() -> server.store().openWatches() == before);

        // and it still serves: a new protobuf watch gets the whole object
        RawHttp.Response again = http.request("GET", configMaps() + "?watch=true&resourceVersion=0&timeoutSeconds=1")
                .header("Accept", PROTOBUF).send();
        KubeProtobufCodec.WatchFrame frame = KubeProtobufCodec.readWatchFrame(new ByteArrayInputStream(again.body()));
        assertThat(V1.ConfigMap.parseFrom(unwrap(frame.object()).getRaw()).getDataMap().get("blob")).hasSize(200_000);
    }

    @Test
    void watchBookmarksAreProtobufToo() throws Exception {
        http.request("POST", configMaps()).contentType(PROTOBUF).body(envelope("v1", "ConfigMap", configMap("b1"))).send();

        RawHttp.Response watch = http.request("GET", configMaps() + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=2")
                .header("Accept", PROTOBUF).send();

        List<String> bookmarkVersions = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(watch.body());
        for (KubeProtobufCodec.WatchFrame f = KubeProtobufCodec.readWatchFrame(in); f != null; f = KubeProtobufCodec.readWatchFrame(in)) {
            if (f.type().equals("BOOKMARK")) {
                Runtime.Unknown object = unwrap(f.object());
                assertThat(object.getTypeMeta().getKind()).isEqualTo("ConfigMap");
                bookmarkVersions.add(V1.ConfigMap.parseFrom(object.getRaw()).getMetadata().getResourceVersion());
            }
        }
        assertThat(bookmarkVersions).as("bookmarks every 100 ms over 2 s").isNotEmpty().allMatch(rv -> !rv.isEmpty());
    }

    @Test
    void aStreamingListEndsItsStateWithTheAnnotatedBookmarkInProtobufToo() throws Exception {
        http.request("POST", configMaps()).contentType(PROTOBUF).body(envelope("v1", "ConfigMap", configMap("s1"))).send();

        RawHttp.Response watch = http.request("GET", configMaps() + "?watch=true&sendInitialEvents=true"
                + "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1").header("Accept", PROTOBUF).send();

        List<String> seen = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(watch.body());
        for (KubeProtobufCodec.WatchFrame f = KubeProtobufCodec.readWatchFrame(in); f != null; f = KubeProtobufCodec.readWatchFrame(in)) {
            Meta.ObjectMeta meta = V1.ConfigMap.parseFrom(unwrap(f.object()).getRaw()).getMetadata();
            if (f.type().equals("BOOKMARK") && "true".equals(meta.getAnnotationsMap().get("k8s.io/initial-events-end"))) {
                seen.add("end@" + meta.getResourceVersion());
            } else if (!f.type().equals("BOOKMARK")) {
                seen.add(f.type() + " " + meta.getName());
            }
        }
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isEqualTo("ADDED s1");
        assertThat(seen.get(1)).isEqualTo("end@" + server.store().currentRevision());
    }

    @Test
    void deleteTakesProtobufDeleteOptions() throws Exception {
        http.request("POST", configMaps()).contentType(PROTOBUF).body(envelope("v1", "ConfigMap", configMap("d"))).send();
        byte[] options = envelope("v1", "DeleteOptions", Meta.DeleteOptions.newBuilder()
                .setPreconditions(Meta.Preconditions.newBuilder().setUid("not-the-uid")).build());

        RawHttp.Response refused = http.request("DELETE", configMaps() + "/d").contentType(PROTOBUF).body(options).send();

        assertThat(refused.code()).as("the precondition was read from the protobuf body: " + text(refused)).isEqualTo(409);
        assertThat(http.get(configMaps() + "/d").code()).isEqualTo(200);
    }

    @Test
    void aDeploymentWithNestedSpecialTypesRoundTrips() throws Exception {
        V1Apps.Deployment d = V1Apps.Deployment.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("web"))
                .setSpec(V1Apps.DeploymentSpec.newBuilder()
                        .setReplicas(0)
                        .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "web"))
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType("RollingUpdate")
                                .setRollingUpdate(V1Apps.RollingUpdateDeployment.newBuilder()
                                        .setMaxSurge(io.kubernetes.client.proto.IntStr.IntOrString.newBuilder().setType(1).setStrVal("25%"))
                                        .setMaxUnavailable(io.kubernetes.client.proto.IntStr.IntOrString.newBuilder().setType(0).setIntVal(1))))
                        .setTemplate(V1.PodTemplateSpec.newBuilder()
                                .setMetadata(Meta.ObjectMeta.newBuilder().putLabels("app", "web"))
                                .setSpec(V1.PodSpec.newBuilder().addContainers(V1.Container.newBuilder().setName("c").setImage("nginx")
                                        .setResources(V1.ResourceRequirements.newBuilder()
                                                .putLimits("cpu", io.kubernetes.client.proto.Resource.Quantity.newBuilder().setString("500m").build()))))))
                .build();

        RawHttp.Response created = http.request("POST", "/apis/apps/v1/namespaces/" + ns + "/deployments").contentType(PROTOBUF)
                .header("Accept", PROTOBUF).body(envelope("apps/v1", "Deployment", d)).send();

        assertThat(created.code()).as(text(created)).isEqualTo(201);
        V1Apps.Deployment back = V1Apps.Deployment.parseFrom(unwrap(created.body()).getRaw());
        assertThat(back.getSpec().getReplicas()).isZero();
        assertThat(back.getSpec().hasReplicas()).as("replicas: 0 is kept, not dropped as unset").isTrue();
        assertThat(back.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal()).isEqualTo("25%");
        assertThat(back.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(back.getSpec().getTemplate().getSpec().getContainers(0).getResources().getLimitsMap().get("cpu").getString())
                .isEqualTo("500m");
    }

    @Test
    void aPodWithProbesAndKeyRefsIsStoredInKubesJsonShape() throws Exception {
        V1.Container container = V1.Container.newBuilder().setName("app").setImage("nginx")
                .setLivenessProbe(V1.Probe.newBuilder().setPeriodSeconds(5).setHandler(V1.ProbeHandler.newBuilder()
                        .setHttpGet(V1.HTTPGetAction.newBuilder().setPath("/healthz")
                                .setPort(io.kubernetes.client.proto.IntStr.IntOrString.newBuilder().setType(1).setStrVal("http")))))
                .addEnv(V1.EnvVar.newBuilder().setName("PASSWORD").setValueFrom(V1.EnvVarSource.newBuilder()
                        .setSecretKeyRef(V1.SecretKeySelector.newBuilder().setKey("password")
                                .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("creds")))))
                .build();
        V1.Pod pod = V1.Pod.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("probed"))
                .setSpec(V1.PodSpec.newBuilder().addContainers(container)
                        .addVolumes(V1.Volume.newBuilder().setName("scratch").setVolumeSource(V1.VolumeSource.newBuilder()
                                .setEmptyDir(V1.EmptyDirVolumeSource.getDefaultInstance()))))
                .build();

        RawHttp.Response created = http.request("POST", "/api/v1/namespaces/" + ns + "/pods").contentType(PROTOBUF)
                .body(envelope("v1", "Pod", pod)).send();

        assertThat(created.code()).as(text(created)).isEqualTo(201);
        JsonNode c = Json.tree(created.body()).path("spec").path("containers").get(0);
        assertThat(c.path("livenessProbe").path("httpGet").path("port").asText()).isEqualTo("http");
        assertThat(c.path("livenessProbe").has("handler")).isFalse();
        assertThat(c.path("env").get(0).path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("creds");
        assertThat(Json.tree(created.body()).path("spec").path("volumes").get(0).path("emptyDir").isObject()).isTrue();
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badProtobufBodiesAreRefusedWith400AndStoreNothing() throws Exception {
        byte[] good = envelope("v1", "ConfigMap", configMap("bad"));
        byte[] wrongMagic = good.clone();
        wrongMagic[0] = 'x';
        byte[] truncated = Arrays.copyOf(good, good.length - 5);
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0xff);
        System.arraycopy(MAGIC, 0, garbage, 0, 4);
        byte[] wrongKind = envelope("v1", "Secret", V1.Secret.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("bad")).build());
        byte[] unknownKind = envelope("v1", "Frobnicator", configMap("bad"));

        assertRefused(wrongMagic, 400, "expected prefix");
        assertRefused(truncated, 400, "truncated");
        assertRefused(garbage, 400, "malformed");
        assertRefused(wrongKind, 400, "does not match the expected kind");
        assertRefused(unknownKind, 400, "no protobuf message is known for kind \"Frobnicator\"");
        assertRefused(Arrays.copyOf(MAGIC, 4), 400, "empty");
        assertThat(Json.tree(http.get(configMaps()).body()).path("items")).isEmpty();
    }

    @Test
    void corruptedBodiesNeverFailTheServer() throws Exception {
        byte[] good = envelope("v1", "ConfigMap", configMap("fuzz"));
        java.util.Random random = new java.util.Random(14);
        for (int round = 0; round < 300; round++) {
            byte[] body = good.clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                body[4 + random.nextInt(body.length - 4)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(5) == 0) {
                body = Arrays.copyOf(body, 4 + random.nextInt(body.length - 4));
            }
            RawHttp.Response r = http.request("POST", configMaps()).contentType(PROTOBUF).body(body).send();
            assertThat(r.code()).as("round %d: %s", round, text(r)).isIn(201, 400, 409, 422);
            if (r.code() != 201) {
                assertThat(Json.tree(r.body()).path("message").asText()).isNotBlank();
            } else {
                http.delete(configMaps() + "/" + Json.tree(r.body()).path("metadata").path("name").asText());
            }
        }
    }

    @Test
    void aProtobufBodyOverTheLimitIs413() throws Exception {
        V1.ConfigMap big = configMap("big").toBuilder().putData("x", "y".repeat(HttpIo.MAX_BODY_BYTES)).build();

        RawHttp.Response r = http.request("POST", configMaps()).contentType(PROTOBUF).body(envelope("v1", "ConfigMap", big)).send();

        assertThat(r.code()).isEqualTo(413);
        assertThat(http.get(configMaps() + "/big").code()).isEqualTo(404);
    }

    @Test
    void aDeeplyNestedProtobufBodyIsRefusedBeforeAnythingIsStored() throws Exception {
        // 300 levels of JSONSchemaProps in a few kilobytes: a hostile client's cheap way to a deep tree
        var props = io.kubernetes.client.proto.V1Apiextensions.JSONSchemaProps.newBuilder().setType("object").build();
        for (int i = 0; i < 300; i++) {
            props = io.kubernetes.client.proto.V1Apiextensions.JSONSchemaProps.newBuilder().setType("object")
                    .putProperties("x", props).build();
        }
        var crd = io.kubernetes.client.proto.V1Apiextensions.CustomResourceDefinition.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("deeps.pb.example.com"))
                .setSpec(io.kubernetes.client.proto.V1Apiextensions.CustomResourceDefinitionSpec.newBuilder()
                        .setGroup("pb.example.com").setScope("Namespaced")
                        .setNames(io.kubernetes.client.proto.V1Apiextensions.CustomResourceDefinitionNames.newBuilder()
                                .setPlural("deeps").setKind("Deep"))
                        .addVersions(io.kubernetes.client.proto.V1Apiextensions.CustomResourceDefinitionVersion.newBuilder()
                                .setName("v1").setServed(true).setStorage(true)
                                .setSchema(io.kubernetes.client.proto.V1Apiextensions.CustomResourceValidation.newBuilder()
                                        .setOpenAPIV3Schema(props))))
                .build();
        String crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

        RawHttp.Response r = http.request("POST", crds).contentType(PROTOBUF)
                .body(envelope("apiextensions.k8s.io/v1", "CustomResourceDefinition", crd)).send();

        assertThat(r.code()).as(text(r)).isEqualTo(400);
        assertThat(Json.tree(r.body()).path("message").asText()).isNotBlank();
        assertThat(http.get(crds + "/deeps.pb.example.com").code()).isEqualTo(404);
    }

    @Test
    void customResourcesStayJson() throws Exception {
        String crd = """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"widgets.pb.example.com"},
                 "spec":{"group":"pb.example.com","scope":"Namespaced",
                  "names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList"},
                  "versions":[{"name":"v1","served":true,"storage":true,
                   "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}""";
        RawHttp.Response made = http.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
        assertThat(made.code()).as(text(made)).isEqualTo(201);
        String widgets = "/apis/pb.example.com/v1/namespaces/" + ns + "/widgets";

        RawHttp.Response refused = http.request("POST", widgets).contentType(PROTOBUF)
                .body(envelope("pb.example.com/v1", "Widget", Meta.ObjectMeta.getDefaultInstance())).send();
        assertThat(refused.code()).isEqualTo(415);
        assertThat(Json.tree(refused.body()).path("message").asText()).contains("application/json");

        assertThat(http.post(widgets, "{\"apiVersion\":\"pb.example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"}}").code())
                .isEqualTo(201);
        RawHttp.Response read = http.request("GET", widgets + "/w").header("Accept", PROTOBUF + ", application/json").send();
        assertThat(read.headers().get("content-type")).isEqualTo("application/json");
        assertThat(Json.tree(read.body()).path("metadata").path("name").asText()).isEqualTo("w");
    }

    @Test
    void aCreatedCustomResourceDefinitionComesBackWithItsSchema() throws Exception {
        String crd = """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"gadgets.pb.example.com"},
                 "spec":{"group":"pb.example.com","scope":"Namespaced",
                  "names":{"plural":"gadgets","singular":"gadget","kind":"Gadget","listKind":"GadgetList"},
                  "versions":[{"name":"v1","served":true,"storage":true,
                   "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object",
                     "properties":{"size":{"type":"integer","minimum":1,"default":3},"tags":{"type":"array","items":{"type":"string"}},
                      "labels":{"type":"object","additionalProperties":{"type":"string"}},
                      "anything":{"x-kubernetes-preserve-unknown-fields":true}}}}}}}]}}""";
        http.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);

        RawHttp.Response read = http.request("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.pb.example.com")
                .header("Accept", PROTOBUF).send();

        assertThat(read.code()).isEqualTo(200);
        var back = io.kubernetes.client.proto.V1Apiextensions.CustomResourceDefinition.parseFrom(unwrap(read.body()).getRaw());
        var spec = back.getSpec().getVersions(0).getSchema().getOpenAPIV3Schema().getPropertiesMap().get("spec");
        assertThat(spec.getPropertiesMap().get("size").getDefault().getRaw().toStringUtf8()).isEqualTo("3");
        assertThat(spec.getPropertiesMap().get("size").getMinimum()).isEqualTo(1.0);
        assertThat(spec.getPropertiesMap().get("tags").getItems().getSchema().getType()).isEqualTo("string");
        assertThat(spec.getPropertiesMap().get("labels").getAdditionalProperties().getSchema().getType()).isEqualTo("string");
        assertThat(spec.getPropertiesMap().get("anything").getXKubernetesPreserveUnknownFields()).isTrue();
    }

    private void assertRefused(byte[] body, int code, String message) throws IOException {
        RawHttp.Response r = http.request("POST", configMaps()).contentType(PROTOBUF).body(body).send();
        assertThat(r.code()).as(text(r)).isEqualTo(code);
        JsonNode status = Json.tree(r.body());
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("message").asText()).contains(message);
    }

    // ------------------------------------------------------------------ helpers

    static byte[] envelope(String apiVersion, String kind, Message m) {
        byte[] unknown = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(m.toByteString()).setContentEncoding("").setContentType("").build().toByteArray();
        byte[] body = Arrays.copyOf(MAGIC, 4 + unknown.length);
        System.arraycopy(unknown, 0, body, 4, unknown.length);
        return body;
    }

    static Runtime.Unknown unwrap(byte[] body) throws IOException {
        assertThat(Arrays.copyOf(body, 4)).as("the k8s\\0 magic").isEqualTo(MAGIC);
        return Runtime.Unknown.parseFrom(Arrays.copyOfRange(body, 4, body.length));
    }

    private static String text(RawHttp.Response r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
