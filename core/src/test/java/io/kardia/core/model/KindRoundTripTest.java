package io.kardia.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Decoding real kube-apiserver JSON into the typed model and encoding it again must give the same
 * JSON tree, unknown fields (volumes, affinity, managedFields, probes, nodeInfo...) included.
 */
class KindRoundTripTest {

    private static <T> T roundTrip(String fixture, Class<T> type) {
        T decoded = Json.fromBytes(Fixtures.bytes(fixture), type);
        JsonNode expected = Fixtures.treeWithoutNulls(fixture);
        JsonNode actual = Json.tree(Json.toBytes(decoded)); // as on the wire: numbers by value
        assertThat(actual).as("re-encoded %s", fixture).isEqualTo(expected);
        // and decoding the output again yields an equal object
        assertThat(Json.fromBytes(Json.toBytes(decoded), type)).isEqualTo(decoded);
        return decoded;
    }

    @Test
    void pod() {
        Pod pod = roundTrip("pod.json", Pod.class);
        assertThat(pod.metadata().name()).isEqualTo("web-7d4b9c8f5-x2x9q");
        assertThat(pod.metadata().controllerRef()).get().extracting(OwnerReference::kind).isEqualTo("ReplicaSet");
        PodSpec spec = pod.spec();
        assertThat(spec.nodeName()).isEqualTo("node-1");
        assertThat(spec.nodeSelector()).containsEntry("disktype", "ssd");
        assertThat(spec.restartPolicy()).isEqualTo("Always");
        assertThat(spec.terminationGracePeriodSeconds()).isEqualTo(30L);
        assertThat(spec.extra()).containsKeys("volumes", "affinity", "dnsPolicy", "securityContext");
        Container c = spec.containers().get(0);
        assertThat(c.image()).isEqualTo("nginx:1.25");
        assertThat(c.ports().get(0).containerPort()).isEqualTo(8080);
        assertThat(c.env()).extracting(EnvVar::name).containsExactly("MODE", "POD_IP");
        assertThat(c.env().get(1).valueFrom()).containsKey("fieldRef");
        assertThat(c.resources().request("cpu")).isEqualTo(Quantity.parse("0.1"));
        assertThat(c.resources().limit("memory")).contains(Quantity.parse("256Mi"));
        assertThat(c.extra()).containsKeys("livenessProbe", "volumeMounts");
        assertThat(spec.tolerations().get(0).tolerationSeconds()).isEqualTo(300L);
        assertThat(spec.totalRequest("memory")).isEqualTo(Quantity.parse("128Mi"));
        PodStatus st = pod.status();
        assertThat(pod.phase()).isEqualTo("Running");
        assertThat(pod.ready()).isTrue();
        assertThat(st.podIP()).isEqualTo("10.244.1.7");
        assertThat(st.startTime()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(st.conditions()).extracting(Condition::type).containsExactly("Initialized", "Ready", "PodScheduled");
        ContainerStatus cs = st.containerStatuses().get(0);
        assertThat(cs.restartCount()).isEqualTo(2);
        assertThat(cs.ready()).isTrue();
        assertThat(cs.state().running().startedAt()).isEqualTo(Instant.parse("2024-05-01T10:00:04Z"));
        assertThat(st.extra()).containsKeys("podIPs", "qosClass", "hostIPs");
    }

    @Test
    void deployment() {
        Deployment d = roundTrip("deployment.json", Deployment.class);
        DeploymentSpec spec = d.spec();
        assertThat(spec.replicas()).isEqualTo(3);
        assertThat(spec.minReadySeconds()).isEqualTo(5);
        assertThat(spec.revisionHistoryLimit()).isEqualTo(10);
        assertThat(spec.progressDeadlineSeconds()).isEqualTo(600);
        assertThat(spec.paused()).isFalse();
        assertThat(spec.strategy().rollingUpdate().maxSurge()).isEqualTo(IntOrString.of("25%"));
        assertThat(spec.strategy().rollingUpdate().maxUnavailable()).isEqualTo(IntOrString.of(1));
        assertThat(spec.selector().toSelector().toString()).isEqualTo("app=web,tier notin (cache)");
        assertThat(spec.template().metadata().labels()).containsEntry("app", "web");
        assertThat(spec.template().spec().extra()).containsKey("topologySpreadConstraints");
        DeploymentStatus st = d.status();
        assertThat(st.observedGeneration()).isEqualTo(5L);
        assertThat(st.updatedReplicas()).isEqualTo(3);
        assertThat(st.collisionCount()).isEqualTo(1);
        assertThat(Condition.find(st.conditions(), "Progressing")).get()
                .extracting(Condition::lastUpdateTime).isEqualTo(Instant.parse("2024-05-01T10:00:06Z"));

        // a controller's typical change keeps every unknown field
        Deployment scaled = d.withSpec(spec.withReplicas(5));
        JsonNode tree = Json.toTree(scaled);
        assertThat(tree.at("/spec/replicas").asInt()).isEqualTo(5);
        assertThat(tree.at("/spec/template/spec/topologySpreadConstraints/0/maxSkew").asInt()).isEqualTo(1);
        assertThat(tree.at("/metadata/managedFields/0/manager").asText()).isEqualTo("kubectl-client-side-apply");
    }

    @Test
    void node() {
        Node n = roundTrip("node.json", Node.class);
        assertThat(n.unschedulable()).isTrue();
        assertThat(n.ready()).isTrue();
        assertThat(n.spec().taints()).extracting(Taint::key)
                .containsExactly("node.kubernetes.io/unschedulable", "dedicated");
        assertThat(n.spec().taints().get(0).timeAdded()).isEqualTo(Instant.parse("2024-05-01T09:00:00Z"));
        assertThat(n.status().capacity().get("cpu")).isEqualTo(Quantity.of(4));
        assertThat(n.status().allocatable().get("cpu").milliValue()).isEqualTo(3500);
        assertThat(n.status().addresses()).extracting(NodeAddress::type).containsExactly("InternalIP", "Hostname");
        assertThat(Condition.find(n.status().conditions(), "Ready")).get()
                .extracting(Condition::lastHeartbeatTime).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(n.status().extra()).containsKeys("nodeInfo", "images", "daemonEndpoints");
    }

    @Test
    void customResourceDefinition() {
        CustomResourceDefinition crd = roundTrip("crd.json", CustomResourceDefinition.class);
        assertThat(crd.spec().group()).isEqualTo("example.com");
        assertThat(crd.spec().names().shortNames()).containsExactly("wd");
        CustomResourceDefinition.Version v1 = crd.spec().version("v1").orElseThrow();
        assertThat(v1.subresources().status()).isEmpty();
        assertThat(v1.subresources().scale().specReplicasPath()).isEqualTo(".spec.size");
        assertThat(v1.openAPIV3Schema()).containsEntry("type", "object");
        assertThat(crd.spec().version("v1beta1").orElseThrow().subresources()).isNull();
        ResourceType<GenericObject> type = crd.storageResourceType();
        assertThat(type).isEqualTo(new ResourceType<>("example.com", "v1", "Widget", "widgets", "widget", true,
                List.of("wd"), java.util.Set.of("status", "scale"), GenericObject.class));
        assertThat(crd.status()).containsKey("acceptedNames");
    }

    @Test
    void smallKindsRoundTrip() {
        String event = """
                {"apiVersion":"v1","kind":"Event","metadata":{"name":"web.17c","namespace":"default"},
                 "involvedObject":{"apiVersion":"v1","kind":"Pod","name":"web","namespace":"default","uid":"u1",
                   "fieldPath":"spec.containers{web}"},
                 "reason":"Pulled","message":"Successfully pulled image","source":{"component":"kubelet","host":"node-1"},
                 "firstTimestamp":"2024-05-01T10:00:00Z","lastTimestamp":"2024-05-01T10:00:09Z","count":3,"type":"Normal",
                 "eventTime":"2024-05-01T10:00:00.123456Z","action":"Pull","reportingComponent":"kubelet",
                 "reportingInstance":"node-1","series":{"count":2}}""";
        assertTreeRoundTrip(event, Event.class);
        Event e = Json.fromString(event, Event.class);
        assertThat(e.eventTime()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456Z"));
        assertThat(e.withRepeat(Instant.parse("2024-05-01T10:01:00Z")).count()).isEqualTo(4);

        assertTreeRoundTrip("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"ns"},
                 "data":{"a":"1","b":""},"binaryData":{"bin":"AAEC"},"immutable":true}""", ConfigMap.class);
        assertTreeRoundTrip("""
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"ns"},
                 "type":"kubernetes.io/tls","data":{"tls.crt":"Y2VydA==","tls.key":"a2V5"}}""", Secret.class);
        assertTreeRoundTrip("""
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l","namespace":"kube-system"},
                 "spec":{"holderIdentity":"a_1","leaseDurationSeconds":15,"acquireTime":"2024-05-01T10:00:00.000000Z",
                 "renewTime":"2024-05-01T10:00:10.500000Z","leaseTransitions":2}}""", Lease.class);
        assertTreeRoundTrip("""
                {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"r","namespace":"ns","generation":2},
                 "spec":{"replicas":2,"minReadySeconds":1,"selector":{"matchLabels":{"app":"a"}},
                   "template":{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[{"name":"c","image":"i"}]}}},
                 "status":{"replicas":2,"fullyLabeledReplicas":2,"readyReplicas":1,"availableReplicas":1,
                   "observedGeneration":2,"conditions":[{"type":"ReplicaFailure","status":"False"}]}}""", ReplicaSet.class);
    }

    @Test
    void secretValuesNeverReachToString() {
        Secret s = Secret.ofStrings(ObjectMeta.of("ns", "db"), Map.of("password", "hunter2"));
        assertThat(s.decodedString("password")).contains("hunter2");
        assertThat(s.toString()).contains("password").doesNotContain("hunter2")
                .doesNotContain(s.data().get("password"));
    }

    @Test
    void timestampsWriteSecondsOrFractionsAndReadBothAndOffsets() {
        ObjectMeta m = ObjectMeta.builder().name("a").creationTimestamp(Instant.parse("2024-05-01T10:00:00Z"))
                .deletionTimestamp(Instant.parse("2024-05-01T10:00:00.123456789Z")).build();
        String json = Json.toString(m);
        assertThat(json).contains("\"creationTimestamp\":\"2024-05-01T10:00:00Z\"")
                .contains("\"deletionTimestamp\":\"2024-05-01T10:00:00.123456789Z\"");
        assertThat(Json.fromString(json, ObjectMeta.class)).isEqualTo(m);
        ObjectMeta offset = Json.fromString("{\"creationTimestamp\":\"2024-05-01T12:00:00+02:00\"}", ObjectMeta.class);
        assertThat(offset.creationTimestamp()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));

        Lease lease = Lease.of(ObjectMeta.of("ns", "l"), LeaseSpec.of("me", 15,
                Instant.parse("2024-05-01T10:00:00Z"), Instant.parse("2024-05-01T10:00:01.123456789Z"), 0));
        String leaseJson = Json.toString(lease);
        assertThat(leaseJson).contains("\"acquireTime\":\"2024-05-01T10:00:00.000000Z\"")
                .contains("\"renewTime\":\"2024-05-01T10:00:01.123456Z\"");
        assertThat(MicroTime.now().getNano() % 1000).isZero();
    }

    private static <T> void assertTreeRoundTrip(String json, Class<T> type) {
        T decoded = Json.fromString(json, type);
        assertThat(Json.tree(Json.toBytes(decoded))).as(type.getSimpleName()).isEqualTo(Json.tree(json.getBytes()));
    }
}
