package io.kardia.store.protobuf;

import io.kardia.kubeapi.protobuf.ProtobufKinds;
import io.kardia.kubeapi.protobuf.ProtobufFormatException;
import io.kardia.kubeapi.protobuf.GoDuration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apiextensions;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Events;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Realistic objects in the JSON form kube-apiserver writes go to protobuf and back unchanged; the
 * protobuf in between is read with the official client's generated classes, so a field that only
 * our decoder understands would show.
 */
class ProtobufJsonConversionTest {
    private final KubeProtobufCodec codec = new KubeProtobufCodec(ProtobufKinds.builtIn());

    @Test
    void pod() throws Exception {
        ObjectNode pod = json("""
                {"kind":"Pod","apiVersion":"v1",
                 "metadata":{"name":"web-0","namespace":"shop","uid":"3c5e","resourceVersion":"42","generation":1,
                  "creationTimestamp":"2025-03-01T10:00:00Z","labels":{"app":"web"},
                  "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-abc","uid":"9f","controller":true,"blockOwnerDeletion":true}],
                  "managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"v1","time":"2025-03-01T10:00:00Z",
                    "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}}]},
                 "spec":{"containers":[{"name":"app","image":"nginx:1.27","ports":[{"containerPort":8080,"protocol":"TCP"}],
                   "resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"250m"}},
                   "livenessProbe":{"httpGet":{"path":"/healthz","port":"http","scheme":"HTTP"},"periodSeconds":10},
                   "readinessProbe":{"tcpSocket":{"port":8080}},
                   "securityContext":{"runAsUser":0,"allowPrivilegeEscalation":false},
                   "env":[{"name":"PASSWORD","valueFrom":{"secretKeyRef":{"name":"creds","key":"password"}}}],
                   "envFrom":[{"configMapRef":{"name":"settings"}}]}],
                  "volumes":[{"name":"cfg","configMap":{"name":"settings","defaultMode":420}},{"name":"scratch","emptyDir":{}}],
                  "restartPolicy":"Always","terminationGracePeriodSeconds":0,"nodeName":"node-1",
                  "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]},
                 "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2025-03-01T10:00:05Z"}],
                  "podIP":"10.0.0.7","startTime":"2025-03-01T10:00:01Z"}}""");

        byte[] body = codec.encode(pod);
        V1.Pod official = V1.Pod.parseFrom(raw(body, "v1", "Pod"));

        assertThat(official.getSpec().getContainers(0).getResources().getLimitsMap().get("memory").getString()).isEqualTo("128Mi");
        assertThat(official.getSpec().getContainers(0).getLivenessProbe().getHandler().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(official.getSpec().getContainers(0).getReadinessProbe().getHandler().getTcpSocket().getPort().getIntVal()).isEqualTo(8080);
        assertThat(official.getSpec().getContainers(0).getSecurityContext().hasRunAsUser()).as("runAsUser: 0 is root, not unset").isTrue();
        assertThat(official.getSpec().getTerminationGracePeriodSeconds()).isZero();
        assertThat(official.getSpec().getContainers(0).getEnv(0).getValueFrom().getSecretKeyRef().getLocalObjectReference().getName())
                .isEqualTo("creds");
        assertThat(official.getSpec().getContainers(0).getEnvFrom(0).getConfigMapRef().getLocalObjectReference().getName())
                .isEqualTo("settings");
        assertThat(official.getSpec().getVolumes(0).getVolumeSource().getConfigMap().getLocalObjectReference().getName())
                .isEqualTo("settings");
        assertThat(official.getSpec().getVolumes(1).getVolumeSource().hasEmptyDir()).isTrue();
        assertThat(official.getMetadata().getCreationTimestamp().getSeconds()).isEqualTo(1740823200L);
        assertThat(official.getMetadata().getManagedFields(0).getFieldsV1().getRaw().toStringUtf8())
                .isEqualTo("{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}}}");
        assertSameJson(codec.decode(body, "v1", "Pod"), pod);
    }

    @Test
    void deployment() throws Exception {
        ObjectNode deployment = json("""
                {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","namespace":"shop","generation":3},
                 "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"},
                   "matchExpressions":[{"key":"tier","operator":"In","values":["front","edge"]}]},
                  "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":0}},
                  "revisionHistoryLimit":0,"progressDeadlineSeconds":600,
                  "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx"}]}}},
                 "status":{"observedGeneration":3,"replicas":0}}""");

        byte[] body = codec.encode(deployment);
        V1Apps.Deployment official = V1Apps.Deployment.parseFrom(raw(body, "apps/v1", "Deployment"));

        assertThat(official.getSpec().hasReplicas()).isTrue();
        assertThat(official.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getType()).isEqualTo(1);
        assertThat(official.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getType()).isZero();
        assertThat(official.getSpec().getSelector().getMatchExpressions(0).getValuesList()).containsExactly("front", "edge");
        assertSameJson(codec.decode(body, "apps/v1", "Deployment"), deployment);
    }

    @Test
    void service() throws Exception {
        ObjectNode service = json("""
                {"kind":"Service","apiVersion":"v1","metadata":{"name":"api","namespace":"shop"},
                 "spec":{"type":"NodePort","selector":{"app":"api"},"clusterIP":"10.96.0.12","clusterIPs":["10.96.0.12"],
                  "ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack","sessionAffinity":"None",
                  "ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":"http","nodePort":30080},
                           {"name":"grpc","protocol":"TCP","port":9090,"targetPort":9090,"nodePort":30090}]},
                 "status":{"loadBalancer":{}}}""");

        byte[] body = codec.encode(service);
        V1.Service official = V1.Service.parseFrom(raw(body, "v1", "Service"));

        assertThat(official.getSpec().getPorts(0).getTargetPort().getStrVal()).isEqualTo("http");
        assertThat(official.getSpec().getPorts(1).getTargetPort().getIntVal()).isEqualTo(9090);
        assertThat(official.getSpec().getPorts(1).getNodePort()).isEqualTo(30090);
        assertSameJson(codec.decode(body, "v1", "Service"), service);
    }

    @Test
    void secretBytesAreBase64InJsonAndRawInProtobuf() throws Exception {
        ObjectNode secret = json("""
                {"kind":"Secret","apiVersion":"v1","metadata":{"name":"tls","namespace":"shop"},"type":"kubernetes.io/tls",
                 "immutable":false,"data":{"tls.crt":"AAH+/w==","empty":""}}""");

        byte[] body = codec.encode(secret);
        V1.Secret official = V1.Secret.parseFrom(raw(body, "v1", "Secret"));

        assertThat(official.getDataMap().get("tls.crt").toByteArray()).containsExactly(0, 1, 0xfe, 0xff);
        assertThat(official.getDataMap().get("empty").isEmpty()).isTrue();
        assertThat(official.hasImmutable()).isTrue();
        assertSameJson(codec.decode(body, "v1", "Secret"), secret);
    }

    @Test
    void customResourceDefinitionWithItsSchema() throws Exception {
        ObjectNode crd = json("""
                {"kind":"CustomResourceDefinition","apiVersion":"apiextensions.k8s.io/v1","metadata":{"name":"widgets.example.com"},
                 "spec":{"group":"example.com","scope":"Namespaced",
                  "names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList","shortNames":["wd"]},
                  "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
                   "additionalPrinterColumns":[{"name":"Size","type":"integer","jsonPath":".spec.size"}],
                   "schema":{"openAPIV3Schema":{"type":"object","required":["spec"],"properties":{
                    "spec":{"type":"object","properties":{
                      "size":{"type":"integer","minimum":1,"maximum":10.5,"default":3},
                      "mode":{"type":"string","enum":["fast","safe"],"pattern":"^[a-z]+$"},
                      "tags":{"type":"array","items":{"type":"string"},"x-kubernetes-list-type":"set"},
                      "limits":{"type":"object","additionalProperties":{"type":"string"}},
                      "open":{"type":"object","additionalProperties":false},
                      "port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
                      "blob":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                      "ref":{"$ref":"#/definitions/x"}},
                     "x-kubernetes-validations":[{"rule":"self.size <= 10","message":"too big"}]}}}}}]},
                 "status":{"storedVersions":["v1"],"acceptedNames":{"plural":"widgets","kind":"Widget"}}}""");

        byte[] body = codec.encode(crd);
        V1Apiextensions.CustomResourceDefinition official = V1Apiextensions.CustomResourceDefinition.parseFrom(
                raw(body, "apiextensions.k8s.io/v1", "CustomResourceDefinition"));

        var spec = official.getSpec().getVersions(0).getSchema().getOpenAPIV3Schema().getPropertiesMap().get("spec");
        assertThat(spec.getPropertiesMap().get("size").getDefault().getRaw().toStringUtf8()).isEqualTo("3");
        assertThat(spec.getPropertiesMap().get("mode").getEnumList()).extracting(j -> j.getRaw().toStringUtf8())
                .containsExactly("\"fast\"", "\"safe\"");
        assertThat(spec.getPropertiesMap().get("limits").getAdditionalProperties().getAllows()).isTrue();
        assertThat(spec.getPropertiesMap().get("open").getAdditionalProperties().getAllows()).isFalse();
        assertThat(spec.getPropertiesMap().get("port").getXKubernetesIntOrString()).isTrue();
        assertThat(spec.getPropertiesMap().get("ref").getRef()).isEqualTo("#/definitions/x");
        assertThat(spec.getXKubernetesValidations(0).getRule()).isEqualTo("self.size <= 10");
        assertSameJson(codec.decode(body, "apiextensions.k8s.io/v1", "CustomResourceDefinition"), crd);
    }

    @Test
    void eventsKeepMicroseconds() throws Exception {
        ObjectNode event = json("""
                {"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"web.17a","namespace":"shop"},
                 "eventTime":"2025-03-01T10:00:00.123456Z","reportingController":"kardia/deployment","reportingInstance":"kardia-1",
                 "action":"Scale","reason":"ScalingReplicaSet","type":"Normal","note":"Scaled up to 3",
                 "regarding":{"kind":"Deployment","namespace":"shop","name":"web","apiVersion":"apps/v1"},
                 "series":{"count":2,"lastObservedTime":"2025-03-01T10:00:09.000001Z"}}""");

        byte[] body = codec.encode(event);
        V1Events.Event official = V1Events.Event.parseFrom(raw(body, "events.k8s.io/v1", "Event"));

        assertThat(official.getEventTime().getNanos()).isEqualTo(123_456_000);
        assertThat(official.getSeries().getLastObservedTime().getNanos()).isEqualTo(1_000);
        assertSameJson(codec.decode(body, "events.k8s.io/v1", "Event"), event);
    }

    @Test
    void timeDropsNanosAsKubeDoesAndAnEmptyTimeIsUnset() throws Exception {
        V1.ConfigMap cm = V1.ConfigMap.newBuilder().setMetadata(io.kubernetes.client.proto.Meta.ObjectMeta.newBuilder().setName("t")
                .setCreationTimestamp(io.kubernetes.client.proto.Meta.Time.newBuilder().setSeconds(1740823200L).setNanos(999))
                .setDeletionTimestamp(io.kubernetes.client.proto.Meta.Time.getDefaultInstance())).build();

        ObjectNode json = codec.decode(ProtobufRoundTripTest.envelope("v1", "ConfigMap", cm.toByteString()), "v1", "ConfigMap");

        assertThat(json.path("metadata").path("creationTimestamp").asText()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(json.path("metadata").has("deletionTimestamp")).isFalse();
    }

    @Test
    void goDurations() {
        assertThat(GoDuration.format(0)).isEqualTo("0s");
        assertThat(GoDuration.format(3_600_000_000_000L)).isEqualTo("1h0m0s");
        assertThat(GoDuration.format(90_500_000_000L)).isEqualTo("1m30.5s");
        assertThat(GoDuration.format(1_500_000L)).isEqualTo("1.5ms");
        assertThat(GoDuration.format(-2_000L)).isEqualTo("-2µs");
        assertThat(GoDuration.parse("1h30m")).isEqualTo(5_400_000_000_000L);
        assertThat(GoDuration.parse("1.5s")).isEqualTo(1_500_000_000L);
        assertThat(GoDuration.parse("-300ms")).isEqualTo(-300_000_000L);
        for (long n : new long[] {1, 999, 1_001, 61_000_000_000L, 86_400_000_000_123L}) {
            assertThat(GoDuration.parse(GoDuration.format(n))).isEqualTo(n);
        }
        assertThatThrownBy(() -> GoDuration.parse("5 minutes")).hasMessageContaining("invalid duration");
        assertThatThrownBy(() -> GoDuration.parse("")).hasMessageContaining("invalid duration");
    }

    @Test
    void aValueOfTheWrongTypeNamesItsField() {
        ObjectNode bad = json("""
                {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"x"},"spec":{"replicas":"three"}}""");

        assertThatThrownBy(() -> codec.encode(bad)).isInstanceOf(ProtobufFormatException.class)
                .hasMessageContaining("spec.replicas").hasMessageContaining("expected an integer");
    }

    private static byte[] raw(byte[] body, String apiVersion, String kind) throws Exception {
        Runtime.Unknown unknown = Runtime.Unknown.parseFrom(Arrays.copyOfRange(body, 4, body.length));
        assertThat(unknown.getTypeMeta().getApiVersion()).isEqualTo(apiVersion);
        assertThat(unknown.getTypeMeta().getKind()).isEqualTo(kind);
        return unknown.getRaw().toByteArray();
    }

    /** Equal as JSON documents (number types and field order aside). */
    private static void assertSameJson(JsonNode actual, JsonNode expected) {
        assertThat(Json.tree(Json.toBytes(actual))).isEqualTo(Json.tree(Json.toBytes(expected)));
    }

    private static ObjectNode json(String s) {
        return (ObjectNode) Json.tree(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
