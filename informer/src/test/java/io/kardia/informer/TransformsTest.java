package io.kardia.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransformsTest {

    private static Pod pod(String name, String app) {
        // new String(...): equal but distinct instances, as a JSON decoder produces them
        return Pod.of(ObjectMeta.builder().namespace("ns").name(name).resourceVersion("1")
                .label(new String("app"), new String(app)).annotation("note", new String("x"))
                .extra("managedFields", List.of(Map.of("manager", "kubelet"))).build(), PodSpec.builder().build());
    }

    @Test
    void internSharesEqualLabelAndAnnotationStringsAcrossObjects() {
        var intern = Transforms.<Pod>internLabelsAndAnnotations(new StringInterner(100));
        Pod a = intern.apply(pod("a", "web"));
        Pod b = intern.apply(pod("b", "web"));

        assertThat(a.metadata().labels().get("app")).isSameAs(b.metadata().labels().get("app"));
        assertThat(a.metadata().annotations().get("note")).isSameAs(b.metadata().annotations().get("note"));
        assertThat(a.metadata().labels()).isEqualTo(Map.of("app", "web"));
        assertThat(a.metadata().extra()).containsKey("managedFields");
    }

    @Test
    void theInternerIsBoundedAndPassesNewStringsThroughWhenFull() {
        StringInterner interner = new StringInterner(2);
        String one = interner.intern(new String("one"));
        interner.intern("two");
        String three = new String("three");

        assertThat(interner.intern(new String("one"))).isSameAs(one);
        assertThat(interner.intern(three)).isSameAs(three);
        assertThat(interner.size()).isEqualTo(2);
        assertThat(interner.intern(null)).isNull();
        assertThatThrownBy(() -> new StringInterner(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dropManagedFieldsKeepsEverythingElseAndReturnsTheSameInstanceWhenThereAreNone() {
        Pod p = pod("a", "web");
        Pod slim = Transforms.<Pod>dropManagedFields().apply(p);

        assertThat(slim.metadata().extra()).doesNotContainKey("managedFields");
        assertThat(slim.metadata().labels()).isEqualTo(p.metadata().labels());
        assertThat(slim.metadata().resourceVersion()).isEqualTo("1");
        assertThat(slim.spec()).isSameAs(p.spec());
        assertThat(Transforms.<Pod>dropManagedFields().apply(slim)).isSameAs(slim);
    }

    @Test
    void chainAppliesInOrder() {
        var both = Transforms.chain(Transforms.<Pod>dropManagedFields(), Transforms.<Pod>dropAnnotationsLongerThan(0));
        Pod slim = both.apply(pod("a", "web"));
        assertThat(slim.metadata().extra()).isEmpty();
        assertThat(slim.metadata().annotations()).isEmpty();
    }

    /** Pods of one owner share their label map and owner list; values met once pass through as they are. */
    @Test
    void shareRepeatedMetadataSharesEqualLabelMapsAndOwnersFromTheSecondSightingOn() {
        var share = Transforms.<Pod>shareRepeatedMetadata();
        var owner = new io.kardia.core.model.OwnerReference("apps/v1", "ReplicaSet", "rs-shared-1",
                new String("uid-shared-values-test"), true, true, null);
        java.util.function.IntFunction<Pod> pod = i -> Pod.of(ObjectMeta.builder().namespace("ns").name("p" + i)
                .label(new String("app"), new String("shared-values-test")).ownerReference(new io.kardia.core.model.OwnerReference("apps/v1", "ReplicaSet", new String("rs-shared-1"),
                        new String("uid-shared-values-test"), true, true, null))
                .build(), PodSpec.builder().build());
        Pod first = share.apply(pod.apply(1));
        Pod second = share.apply(pod.apply(2));
        Pod third = share.apply(pod.apply(3));

        assertThat(third.metadata().labels()).isSameAs(second.metadata().labels()).isEqualTo(Map.of("app", "shared-values-test"));
        assertThat(third.metadata().ownerReferences()).isSameAs(second.metadata().ownerReferences())
                .containsExactly(owner);
        assertThat(third.metadata().name()).isEqualTo("p3");
        assertThat(first.metadata().labels()).isEqualTo(third.metadata().labels());
        Pod unique = Pod.of(ObjectMeta.builder().namespace("ns").name("u").label("app", "only-once-" + System.nanoTime())
                .build(), PodSpec.builder().build());
        assertThat(share.apply(unique)).isSameAs(unique); // nothing to share: the very same object
    }
}
