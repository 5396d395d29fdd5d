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
}
