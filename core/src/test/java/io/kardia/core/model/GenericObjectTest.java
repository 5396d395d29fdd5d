package io.kardia.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenericObjectTest {
    private static final ObjectMeta META = ObjectMeta.of("db", "pg");

    private static GenericObject decode(String json) {
        return Json.fromString(json, GenericObject.class);
    }

    @Test
    void ofTakesApiVersionAndKindFromTheType() {
        GenericObject sts = GenericObject.of(ResourceTypes.STATEFUL_SET, META);
        assertThat(sts.apiVersion()).isEqualTo("apps/v1");
        assertThat(sts.kind()).isEqualTo("StatefulSet");
        assertThat(sts.metadata()).isEqualTo(META);
        assertThat(sts.fields()).isEmpty();
    }

    @Test
    void withAtSetsNestedValuesCreatingMapsAndLeavesTheOriginalAlone() {
        GenericObject empty = GenericObject.of(ResourceTypes.STATEFUL_SET, META);
        GenericObject sts = empty.withAt("spec.replicas", 3).withAt("spec.serviceName", "pg");
        assertThat(sts.at("spec")).contains(Map.of("replicas", 3, "serviceName", "pg"));
        assertThat(empty.fields()).isEmpty();
        assertThat(sts.withAt("spec.replicas", null).at("spec")).contains(Map.of("serviceName", "pg"));
        assertThatThrownBy(() -> sts.withAt("spec.replicas.value", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot set spec.replicas.value: spec.replicas is not an object");
    }

    @Test
    void withAtStoresATypedRecordAsItsJsonTree() {
        PodTemplateSpec template = PodTemplateSpec.of(ObjectMeta.builder().label("app", "pg").build(),
                PodSpec.of(Container.of("pg", "postgres:17")));
        GenericObject sts = GenericObject.of(ResourceTypes.STATEFUL_SET, META).withAt("spec.template", template);
        assertThat(sts.at("spec.template.spec.containers.0.image")).contains("postgres:17");
        assertThat(sts.at("spec.template.metadata.labels")).contains(Map.of("app", "pg"));
        assertThat(sts.at("spec.template", PodTemplateSpec.class)).contains(template);
        // Same JSON as a typed object would have: a round trip through the wire form is lossless.
        assertThat(decode(Json.toString(sts))).isEqualTo(sts);
    }

    @Test
    void atConvertsToTheRequestedType() {
        GenericObject sts = decode("""
                {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"pg","namespace":"db"},
                 "status":{"readyReplicas":2,"currentRevision":"pg-1"}}""");
        assertThat(sts.at("status.readyReplicas", Integer.class)).contains(2);
        assertThat(sts.at("status.readyReplicas", Long.class)).contains(2L);
        assertThat(sts.at("status.currentRevision", String.class)).contains("pg-1");
        assertThat(sts.at("status.availableReplicas", Integer.class)).isEmpty();
        assertThatThrownBy(() -> sts.at("status.currentRevision", Integer.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("StatefulSet db/pg: status.currentRevision cannot be read as Integer: pg-1");
    }

    @Test
    void containsFieldsOfIgnoresWhatTheServerAdded() {
        GenericObject desired = GenericObject.of(ResourceTypes.SERVICE, META)
                .withAt("spec.clusterIP", "None")
                .withAt("spec.ports", List.of(Map.of("name", "pg", "port", 5432)));
        GenericObject live = decode("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"pg","namespace":"db","resourceVersion":"7"},
                 "spec":{"clusterIP":"None","type":"ClusterIP","sessionAffinity":"None",
                         "ports":[{"name":"pg","port":5432,"protocol":"TCP","targetPort":5432}]}}""");
        assertThat(live.containsFieldsOf(desired)).isTrue();
        assertThat(live.containsFieldsOf(desired.withAt("spec.ports", List.of(Map.of("name", "pg", "port", 5433)))))
                .isFalse();
        assertThat(live.containsFieldsOf(desired.withAt("spec.ports", List.of(Map.of("port", 5432), Map.of("port", 1)))))
                .as("a list of another length").isFalse();
        assertThat(live.containsFieldsOf(desired.withAt("spec.publishNotReadyAddresses", true))).isFalse();
    }

    @Test
    void withFieldsOfKeepsTheLiveMetadataAndTheServersDefaults() {
        GenericObject live = decode("""
                {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"pg","namespace":"db","resourceVersion":"7"},
                 "spec":{"replicas":1,"podManagementPolicy":"OrderedReady",
                         "template":{"spec":{"containers":[{"name":"pg","image":"postgres:16","imagePullPolicy":"IfNotPresent"}]}}},
                 "status":{"replicas":1}}""");
        GenericObject desired = GenericObject.of(ResourceTypes.STATEFUL_SET, META).withAt("spec.replicas", 3)
                .withAt("spec.template.spec.containers", List.of(Map.of("name", "pg", "image", "postgres:17")));
        GenericObject updated = live.withFieldsOf(desired);
        assertThat(updated.metadata().resourceVersion()).isEqualTo("7");
        assertThat(updated.at("spec.replicas")).contains(3);
        assertThat(updated.at("spec.podManagementPolicy")).contains("OrderedReady");
        assertThat(updated.at("spec.template.spec.containers.0")).contains(
                Map.of("name", "pg", "image", "postgres:17", "imagePullPolicy", "IfNotPresent"));
        assertThat(updated.at("status.replicas")).contains(1);
        assertThat(updated.containsFieldsOf(desired)).isTrue();
        assertThat(live.containsFieldsOf(desired)).isFalse();
    }
}
