package io.kardia.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Objects handed out (decoded or built) cannot be changed through any collection they expose. */
class ImmutabilityTest {

    private static void rejects(ThrowingCallable mutation) {
        assertThatThrownBy(mutation).isInstanceOf(UnsupportedOperationException.class);
    }

    @SuppressWarnings("unchecked")
    @Test
    void decodedPodIsFrozenAllTheWayDown() {
        Pod pod = Json.fromBytes(Fixtures.bytes("pod.json"), Pod.class);
        rejects(() -> pod.metadata().labels().put("x", "y"));
        rejects(() -> pod.metadata().ownerReferences().clear());
        rejects(() -> ((List<Object>) pod.metadata().extra().get("managedFields")).clear());
        rejects(() -> pod.spec().containers().add(Container.of("x", "y")));
        Container c = pod.spec().containers().get(0);
        rejects(() -> c.env().remove(0));
        rejects(() -> c.args().set(0, "--evil"));
        rejects(() -> c.ports().clear());
        rejects(() -> c.resources().requests().put("cpu", Quantity.of(64)));
        rejects(() -> c.env().get(1).valueFrom().clear());
        rejects(() -> ((Map<String, Object>) c.env().get(1).valueFrom().get("fieldRef")).put("fieldPath", "x"));
        rejects(() -> pod.spec().nodeSelector().remove("disktype"));
        rejects(() -> pod.spec().tolerations().clear());
        List<Object> volumes = (List<Object>) pod.spec().extra().get("volumes");
        rejects(volumes::clear);
        Map<String, Object> projected = (Map<String, Object>) ((Map<String, Object>) volumes.get(0)).get("projected");
        rejects(() -> projected.put("defaultMode", 511));
        rejects(() -> ((List<Object>) projected.get("sources")).add(Map.of()));
        rejects(() -> pod.status().conditions().clear());
        rejects(() -> pod.status().containerStatuses().clear());
        rejects(() -> pod.status().extra().remove("podIPs"));
    }

    @SuppressWarnings("unchecked")
    @Test
    void otherKindsAreFrozenToo() {
        Deployment d = Json.fromBytes(Fixtures.bytes("deployment.json"), Deployment.class);
        rejects(() -> d.spec().selector().matchLabels().put("a", "b"));
        rejects(() -> d.spec().selector().matchExpressions().get(0).values().add("x"));
        rejects(() -> d.spec().template().metadata().labels().clear());
        rejects(() -> d.status().conditions().clear());
        Node n = Json.fromBytes(Fixtures.bytes("node.json"), Node.class);
        rejects(() -> n.spec().taints().clear());
        rejects(() -> n.status().capacity().put("cpu", Quantity.of(1000)));
        rejects(() -> ((Map<String, Object>) n.status().extra().get("nodeInfo")).put("kubeletVersion", "v0"));
        CustomResourceDefinition crd = Json.fromBytes(Fixtures.bytes("crd.json"), CustomResourceDefinition.class);
        rejects(() -> crd.spec().versions().clear());
        rejects(() -> crd.spec().versions().get(0).openAPIV3Schema().put("type", "string"));
        rejects(() -> crd.spec().versions().get(0).subresources().status().put("x", 1));
        rejects(() -> crd.status().clear());
    }

    @Test
    void buildersAndFactoriesCopyTheirInputs() {
        Map<String, String> labels = new HashMap<>(Map.of("app", "a"));
        List<Container> containers = new ArrayList<>(List.of(Container.of("c", "i")));
        Map<String, Object> nested = new HashMap<>(Map.of("k", new ArrayList<>(List.of(1))));
        PodSpec spec = PodSpec.builder().containers(containers).extra("weird", nested).build();
        LabelSelector sel = LabelSelector.of(labels);
        labels.put("evil", "1");
        containers.clear();
        nested.put("k2", 2);
        assertThat(sel.matchLabels()).containsOnlyKeys("app");
        assertThat(spec.containers()).hasSize(1);
        assertThat(spec.extra().get("weird")).isEqualTo(Map.of("k", List.of(1)));
        rejects(() -> spec.toBuilder().build().containers().clear());
    }
}
