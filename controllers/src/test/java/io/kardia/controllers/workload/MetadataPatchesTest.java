package io.kardia.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metadata patches: ownerReferences and finalizers of a running pod, with the read version as precondition. */
@KardiaTest
class MetadataPatchesTest {
    @Test
    void setsAndClearsOwnerReferencesAndFinalizersOnARunningPod(TestEnvironment env) {
        env.createNamespace("ns");
        var pods = env.resources(Pod.class);
        Pod created = pods.create(Fixtures.pod("ns", "p", Map.of("app", "web")));
        Pod ready = pods.updateStatus(TestKubelet.markReady(created));
        OwnerReference ref = new OwnerReference("apps/v1", "ReplicaSet", "x", "uid-x", true, true, null);
        Pod owned = MetadataPatches.setOwnerReferences(pods, ready, List.of(ref));
        assertThat(owned.metadata().ownerReferences()).containsExactly(ref);
        assertThat(owned.ready()).isTrue();
        // a stale read is refused, not overwritten
        assertThatThrownBy(() -> MetadataPatches.setOwnerReferences(pods, ready, List.of()))
                .isInstanceOf(KubeApiException.ConflictException.class);
        Pod released = MetadataPatches.setOwnerReferences(pods, owned, List.of());
        assertThat(released.metadata().ownerReferences()).isEmpty();
        Pod held = MetadataPatches.setFinalizers(pods, released, List.of("test/a", "test/b"));
        assertThat(MetadataPatches.setFinalizers(pods, held, List.of("test/b")).metadata().finalizers())
                .containsExactly("test/b");
    }
}
