package io.kardia.core.selector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.Container;
import io.kardia.core.model.KubeObject;
import java.util.List;
import io.kardia.core.model.Event;
import io.kardia.core.model.EventSource;
import io.kardia.core.model.Node;
import io.kardia.core.model.NodeSpec;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ObjectReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodStatus;
import io.kardia.core.model.ReplicaSet;
import io.kardia.core.model.ReplicaSetSpec;
import io.kardia.core.model.ResourceTypes;
import org.junit.jupiter.api.Test;

class TypedFieldValuesTest {

    @Test
    void typedObjectsExposeTheSelectableFields() {
        Pod pod = Pod.of(ObjectMeta.of("ns", "p"), PodSpec.of(Container.of("c", "i")).withNodeName("n1"))
                .withStatus(PodStatus.ofPhase(PodStatus.RUNNING));
        assertThat(FieldSelectors.valueOf(pod, "metadata.name")).isEqualTo("p");
        assertThat(FieldSelectors.valueOf(pod, "metadata.namespace")).isEqualTo("ns");
        assertThat(FieldSelectors.valueOf(pod, "spec.nodeName")).isEqualTo("n1");
        assertThat(FieldSelectors.valueOf(pod, "status.phase")).isEqualTo("Running");
        assertThat(FieldSelectors.valueOf(pod, "spec.hostNetwork")).isEqualTo("false");
        assertThat(FieldSelectors.matches(FieldSelector.parse("spec.nodeName=n1,status.phase!=Failed"), pod)).isTrue();
        assertThat(FieldSelectors.matches(FieldSelector.parse("spec.nodeName="), pod)).isFalse();
        Pod unscheduled = pod.withSpec(pod.spec().withNodeName(null));
        assertThat(FieldSelectors.matches(FieldSelector.parse("spec.nodeName="), unscheduled)).isTrue();

        Node node = Node.named("n1").withSpec(NodeSpec.empty().withUnschedulable(true));
        assertThat(FieldSelectors.valueOf(node, "spec.unschedulable")).isEqualTo("true");
        assertThat(FieldSelectors.valueOf(Node.named("n2"), "spec.unschedulable")).isEqualTo("false");
        assertThat(FieldSelectors.valueOf(node, "metadata.namespace")).isEmpty();

        Event ev = Event.builder().metadata(ObjectMeta.of("ns", "e")).involvedObject(ObjectReference.to(pod))
                .source(EventSource.of("kubelet")).reason("Started").type(Event.NORMAL).build();
        assertThat(FieldSelectors.valueOf(ev, "involvedObject.kind")).isEqualTo("Pod");
        assertThat(FieldSelectors.valueOf(ev, "involvedObject.name")).isEqualTo("p");
        assertThat(FieldSelectors.valueOf(ev, "source")).isEqualTo("kubelet");

        ReplicaSet rs = ReplicaSet.of(ObjectMeta.of("ns", "r"), ReplicaSetSpec.of(2, null, null));
        assertThat(FieldSelectors.valueOf(rs, "status.replicas")).isEqualTo("0");
        assertThat(FieldSelectors.supported(ResourceTypes.POD)).contains("spec.nodeName", "status.phase",
                "spec.schedulerName", "status.podIP", "metadata.name");
        assertThat(FieldSelectors.supported(ResourceTypes.EVENT)).contains("involvedObject.uid", "source", "type");
        assertThat(FieldSelectors.supported(ResourceTypes.REPLICA_SET)).contains("status.replicas");
        assertThat(FieldSelectors.supported(ResourceTypes.SECRET)).contains("type");
        assertThat(FieldSelectors.supported(ResourceTypes.DEPLOYMENT))
                .containsExactlyInAnyOrder("metadata.name", "metadata.namespace");
    }

    @Test
    void typedValuesAgreeWithTreeValuesForEverySupportedField() {
        List<KubeObject> objects = List.of(
                decode("pod.json", Pod.class),
                decode("node.json", Node.class),
                decode("deployment.json", io.kardia.core.model.Deployment.class),
                Pod.of(ObjectMeta.of("ns", "bare"), null),
                Node.named("bare"),
                Event.builder().metadata(ObjectMeta.of("ns", "e")).build(),
                Event.builder().metadata(ObjectMeta.of("ns", "e2")).involvedObject(ObjectReference.to(Node.named("n")))
                        .source(EventSource.of("kubelet")).reason("R").type("Warning").reportingComponent("x").build(),
                ReplicaSet.of(ObjectMeta.of("ns", "r"), null),
                ReplicaSet.of(ObjectMeta.of("ns", "r2"), null).withStatus(
                        io.kardia.core.model.ReplicaSetStatus.builder().replicas(4).build()),
                io.kardia.core.model.Secret.ofStrings(ObjectMeta.of("ns", "s"), java.util.Map.of("k", "v")),
                io.kardia.core.model.Namespace.named("ns1"));
        for (KubeObject o : objects) {
            JsonNode tree = Json.toTree(o);
            for (String field : FieldSelectors.supported(ResourceTypes.of(o.getClass()))) {
                assertThat(FieldSelectors.valueOf(o, field)).as("%s %s", o.kind(), field)
                        .isEqualTo(FieldSelectors.valueOf(tree, field));
            }
        }
        assertThat(FieldSelectors.valueOf(decode("pod.json", Pod.class), "status.podIP")).isEqualTo("10.244.1.7");
    }

    private static <T> T decode(String fixture, Class<T> type) {
        try (var in = TypedFieldValuesTest.class.getResourceAsStream("/fixtures/" + fixture)) {
            return Json.fromBytes(in.readAllBytes(), type);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void customSelectorImplementationsAreNotMistakenForEverything() {
        Selector custom = labels -> false;
        assertThat(custom.isEmpty()).isFalse();
        FieldSelector customField = new FieldSelector() {
            @Override
            public boolean matches(java.util.function.Function<String, String> fieldValue) {
                return false;
            }

            @Override
            public java.util.Set<String> fields() {
                return java.util.Set.of();
            }
        };
        assertThat(customField.isEmpty()).isFalse();
        assertThat(Selector.parse("").isEmpty()).isTrue();
        assertThat(Selector.of(java.util.List.of()).isEmpty()).isTrue();
    }
}
