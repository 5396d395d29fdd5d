package io.kardia.informer;

import static io.kardia.informer.StorePods.newPod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceEventHandlerTest {

    @Test
    void latestStateSendsAddsAndUpdatesAsTheNewestObjectAndDeletionsAsRemovals() {
        List<String> seen = new ArrayList<>();
        ResourceEventHandler<Pod> h = ResourceEventHandler.latestState(
                p -> seen.add("changed " + p.metadata().name()), p -> seen.add("removed " + p.metadata().name()));
        Pod a = newPod("default", "a", Map.of());
        Pod b = newPod("default", "b", Map.of());

        h.onAdd(a, true);
        h.onUpdate(a, b);
        h.onDelete(b, false);
        h.onDelete(a, true);

        assertThat(seen).containsExactly("changed a", "changed b", "removed b", "removed a");
    }
}
