package io.kardia.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Container;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodStatus;
import io.kardia.core.model.ResourceTypes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link StatusUpdates#statusChanged} reads a model's status component alone; it must answer as the whole objects' JSON does. */
class StatusChangedTest {
    private static final Pod POD = Pod.of(ObjectMeta.of("default", "p"), PodSpec.of(Container.of("main", "busybox")));
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    /** The reference: the status fields of both objects' whole JSON trees. */
    private static boolean wholeTreesDiffer(KubeObject a, KubeObject b) {
        return !statusOf(a).equals(statusOf(b));
    }

    private static JsonNode statusOf(KubeObject o) {
        JsonNode s = Json.toTree(o).get("status");
        return s == null ? MissingNode.getInstance() : s;
    }

    private static void agrees(KubeObject a, KubeObject b, boolean changed) {
        assertThat(wholeTreesDiffer(a, b)).as("reference").isEqualTo(changed);
        assertThat(StatusUpdates.statusChanged(a, b)).isEqualTo(changed);
        assertThat(StatusUpdates.statusChanged(b, a)).isEqualTo(changed);
    }

    @Test
    void modelStatusesCompareAsTheirJson() {
        Pod running = POD.withStatus(PodStatus.ofPhase(PodStatus.RUNNING));
        agrees(POD, POD, false);
        agrees(running, POD.withStatus(PodStatus.ofPhase(PodStatus.RUNNING)), false);
        agrees(POD, running, true);
        agrees(running, POD.withStatus(PodStatus.ofPhase(PodStatus.PENDING)), true);
        Pod ready = running.withStatus(running.status().withCondition(Condition.of("Ready", Condition.TRUE, null, null, T), T));
        agrees(running, ready, true);
        // an empty status is written as {} in the object's JSON: a change from none
        Pod empty = POD.withStatus(new PodStatus(null, List.of(), null, null, null, null, null, null, null, null, null));
        agrees(POD, empty, true);
        // an empty list and none serialize alike
        agrees(empty, POD.withStatus(new PodStatus(null, null, null, null, null, null, null, null, null, null, Map.of())), false);
        // a change of the spec alone is no status change
        agrees(running, running.withSpec(PodSpec.of(Container.of("main", "nginx"))), false);
    }

    @Test
    void genericObjectsCompareThroughTheirTrees() {
        GenericObject g = GenericObject.of(ResourceTypes.SERVICE, ObjectMeta.of("default", "s"));
        agrees(g, g.with("status", Map.of("loadBalancer", Map.of())), true);
        agrees(g.with("status", Map.of("a", 1)), g.with("status", Map.of("a", 1)), false);
        agrees(g.with("status", Map.of("a", 1)), g.with("status", Map.of("a", 2)), true);
    }
}
