package io.kardia.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Container;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodStatus;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@KardiaTest
class HelpersTest {

    private static Pod pod(String name) {
        return Pod.of(ObjectMeta.of("default", name), PodSpec.of(Container.of("main", "busybox")));
    }

    @Test
    void updateStatusWritesOnlyWhenTheStatusChanges(TestEnvironment env) {
        ResourceClient<Pod> pods = env.resources(Pod.class);
        Pod created = pods.create(pod("p"));
        Pod running = StatusUpdates.updateStatus(pods, created, p -> p.withStatus(PodStatus.ofPhase(PodStatus.RUNNING)));
        assertThat(running.status().phase()).isEqualTo(PodStatus.RUNNING);
        assertThat(running.metadata().resourceVersion()).isNotEqualTo(created.metadata().resourceVersion());
        Pod again = StatusUpdates.updateStatus(pods, running, p -> p.withStatus(PodStatus.ofPhase(PodStatus.RUNNING)));
        assertThat(again).isSameAs(running);
        assertThat(pods.get("default", "p").metadata().resourceVersion()).isEqualTo(running.metadata().resourceVersion());
    }

    @Test
    void updateStatusRereadsAndReappliesOnConflict(TestEnvironment env) {
        ResourceClient<Pod> pods = env.resources(Pod.class);
        Pod stale = pods.create(pod("p"));
        pods.update(stale.withMetadata(stale.metadata().toBuilder().label("touched", "yes").build()));
        AtomicInteger applied = new AtomicInteger();
        Pod done = StatusUpdates.updateStatus(pods, stale, p -> {
            applied.incrementAndGet();
            return p.withStatus(PodStatus.ofPhase(PodStatus.SUCCEEDED));
        });
        assertThat(applied).hasValue(2);
        assertThat(done.status().phase()).isEqualTo(PodStatus.SUCCEEDED);
        assertThat(done.metadata().labels()).containsEntry("touched", "yes");
    }

    @Test
    void finalizersAreAddedRunCleanupAndRemovedSoTheObjectGoes(TestEnvironment env) throws Exception {
        ResourceClient<Pod> pods = env.resources(Pod.class);
        Pod p = pods.create(pod("guarded"));
        List<String> cleaned = new ArrayList<>();
        Optional<Pod> live = Finalizers.handle(pods, p, "example.io/cleanup", x -> cleaned.add(x.metadata().name()));
        assertThat(live).hasValueSatisfying(x -> assertThat(x.metadata().finalizers()).containsExactly("example.io/cleanup"));
        assertThat(Finalizers.add(pods, live.get(), "example.io/cleanup")).isSameAs(live.get());
        Pod deleting = pods.delete("default", "guarded");
        assertThat(deleting.metadata().isBeingDeleted()).isTrue();
        assertThat(Finalizers.handle(pods, deleting, "example.io/cleanup", x -> cleaned.add(x.metadata().name()))).isEmpty();
        assertThat(cleaned).containsExactly("guarded");
        await().untilAsserted(() -> assertThat(pods.find("default", "guarded")).isEmpty());
        assertThatThrownBy(() -> Finalizers.add(pods, p, "no-slash"))
                .hasMessageContaining("a finalizer must be a qualified name");
    }

    @Test
    void aFinalizerAlreadyRemovedFromAnObjectThatIsGoneIsDone(TestEnvironment env) throws Exception {
        // A cache that has not seen the delete yet still shows the object with its finalizer.
        ResourceClient<Pod> pods = env.resources(Pod.class);
        Pod p = pods.create(pod("lost-answer"));
        Pod guarded = Finalizers.add(pods, p, "example.io/cleanup");
        Pod deleting = pods.delete("default", "lost-answer");
        Finalizers.remove(pods, deleting, "example.io/cleanup");
        await().untilAsserted(() -> assertThat(pods.find("default", "lost-answer")).isEmpty());
        List<String> cleaned = new ArrayList<>();
        assertThat(guarded.metadata().finalizers()).contains("example.io/cleanup");
        assertThat(Finalizers.handle(pods, deleting, "example.io/cleanup", x -> cleaned.add(x.metadata().name()))).isEmpty();
        assertThat(cleaned).as("cleanup runs again: it must be idempotent").containsExactly("lost-answer");
    }

    @Test
    void aStaleFinalizerWriteFailsWithAConflictInsteadOfOverwriting(TestEnvironment env) {
        ResourceClient<Pod> pods = env.resources(Pod.class);
        Pod stale = pods.create(pod("raced"));
        pods.update(stale.withMetadata(stale.metadata().toBuilder().label("newer", "yes").build()));
        assertThatThrownBy(() -> Finalizers.add(pods, stale, "example.io/cleanup"))
                .isInstanceOf(KubeApiException.ConflictException.class);
    }

    @Test
    void eventFiltersJudgeUpdatesByWhatChanged() {
        Pod base = pod("x").withMetadata(ObjectMeta.builder().namespace("default").name("x").generation(1L)
                .resourceVersion("1").build());
        Pod newGen = base.withMetadata(base.metadata().toBuilder().generation(2L).resourceVersion("2").build());
        Pod newLabel = base.withMetadata(base.metadata().toBuilder().label("a", "b").resourceVersion("3").build());
        Pod newAnnotation = base.withMetadata(base.metadata().toBuilder().annotation("a", "b").resourceVersion("4").build());
        assertThat(EventFilters.<Pod>generationChanged().update(base, newGen)).isTrue();
        assertThat(EventFilters.<Pod>generationChanged().update(base, newLabel)).isFalse();
        assertThat(EventFilters.<Pod>generationChanged().create(base)).isTrue();
        assertThat(EventFilters.<Pod>labelsChanged().update(base, newLabel)).isTrue();
        assertThat(EventFilters.<Pod>labelsChanged().update(base, newAnnotation)).isFalse();
        assertThat(EventFilters.<Pod>annotationsChanged().update(base, newAnnotation)).isTrue();
        assertThat(EventFilters.<Pod>annotationsChanged().update(base, newGen)).isFalse();
        assertThat(EventFilters.<Pod>resourceVersionChanged().update(base, base)).isFalse();
        assertThat(EventFilters.<Pod>resourceVersionChanged().update(base, newGen)).isTrue();
        EventFilter<Pod> both = EventFilters.<Pod>generationChanged().and(EventFilters.labelsChanged());
        assertThat(both.update(base, newGen)).isFalse();
        EventFilter<Pod> either = EventFilters.<Pod>generationChanged().or(EventFilters.labelsChanged());
        assertThat(either.update(base, newLabel)).isTrue();
        assertThat(EventFilters.<Pod>matching(p -> p.metadata().name().equals("y")).delete(base)).isFalse();
        assertThat(EventFilters.<Pod>hasLabel("a", "b").update(newLabel, base)).isTrue();
        assertThat(EventFilters.<Pod>hasLabel("a", "b").create(base)).isFalse();
    }
}
