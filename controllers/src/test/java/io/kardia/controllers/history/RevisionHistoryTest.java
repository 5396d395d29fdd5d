package io.kardia.controllers.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.controllers.statefulset.StatefulSetController;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Container;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ControllerRevision history as a StatefulSet drives it (the DaemonSet shares the code): numbering,
 * rollback renumbering an equal old revision, name collisions bumping the collision count, and the
 * history limit. No kubelet: revisions follow the template, not the pods.
 */
@KardiaTest
class RevisionHistoryTest {
    private static final String NS = "ns";
    private static final Map<String, String> LABELS = Map.of("app", "h");

    private ResourceClient<GenericObject> sets;
    private ResourceClient<GenericObject> revisions;

    @BeforeEach
    void setUp(TestEnvironment env) throws Exception {
        env.awaitTimeout(Duration.ofSeconds(60));
        env.createNamespace(NS);
        sets = env.client().resources(ResourceTypes.STATEFUL_SET);
        revisions = env.client().resources(ControllerRevisions.TYPE);
        env.startManager(StatefulSetController::register);
    }

    private static PodTemplateSpec template(String image) {
        return PodTemplateSpec.of(ObjectMeta.builder().labels(LABELS).build(), PodSpec.of(Container.of("c", image)));
    }

    private static GenericObject set(String name, String image) {
        return GenericObject.of(ResourceTypes.STATEFUL_SET, ObjectMeta.of(NS, name))
                .withAt("spec.replicas", 0)
                .withAt("spec.selector", Map.of("matchLabels", LABELS))
                .withAt("spec.template", template(image));
    }

    private void edit(String name, UnaryOperator<GenericObject> change) {
        Eventually.eventually("the edit", () -> {
            try {
                sets.update(change.apply(sets.get(NS, name)));
                return true;
            } catch (KubeApiException.ConflictException retry) {
                return false;
            }
        }, ok -> ok);
    }

    private void setImage(TestEnvironment env, String name, String image) {
        edit(name, s -> s.withAt("spec.template.spec.containers", List.of(Container.of("c", image))));
        awaitObserved(env, name);
    }

    private GenericObject awaitObserved(TestEnvironment env, String name) {
        return env.awaitObject(ResourceTypes.STATEFUL_SET, NS, name, s -> s.metadata().generation()
                .equals(s.at("status.observedGeneration", Long.class).orElse(-1L)));
    }

    private List<GenericObject> history() {
        return revisions.list(NS).items().stream().sorted(ControllerRevisions.BY_REVISION).toList();
    }

    private static String imageOf(GenericObject revision) {
        return ControllerRevisions.template(revision).spec().containers().get(0).image();
    }

    @Test
    void aRollbackRenumbersTheEqualRevisionInsteadOfMakingANewOne(TestEnvironment env) {
        sets.create(set("h", "v1"));
        awaitObserved(env, "h");
        setImage(env, "h", "v2");
        setImage(env, "h", "v1");
        List<GenericObject> h = history();
        assertThat(h).extracting(RevisionHistoryTest::imageOf).containsExactly("v2", "v1");
        assertThat(h).extracting(ControllerRevisions::revision).containsExactly(2L, 3L);
        GenericObject s = sets.get(NS, "h");
        assertThat(s.at("status.updateRevision")).contains(h.get(1).metadata().name());
        assertThat(h.get(1).metadata().labels()).containsEntry("app", "h")
                .containsEntry(ControllerRevisions.HASH_LABEL, h.get(1).metadata().name().substring(2));
    }

    @Test
    void aNameTakenByOtherDataBumpsTheCollisionCount(TestEnvironment env) {
        GenericObject wanted = ControllerRevisions.newRevision(set("c", "v1").withMetadata(
                        ObjectMeta.builder().namespace(NS).name("c").uid("not-yet").build()),
                LABELS, ControllerRevisions.templatePatch(sets.create(set("probe", "v1"))
                        .at("spec.template", PodTemplateSpec.class).orElseThrow()), 1, 0);
        sets.delete(NS, "probe");
        // Someone else's revision squats on the name the set's first revision would take.
        revisions.create(GenericObject.of(ControllerRevisions.TYPE, ObjectMeta.of(NS, wanted.metadata().name()))
                .with("data", Map.of("other", "data")).with("revision", 1));

        sets.create(set("c", "v1"));
        GenericObject s = env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "c",
                x -> x.at("status.collisionCount", Integer.class).orElse(0) == 1);
        String update = s.at("status.updateRevision", String.class).orElseThrow();
        assertThat(update).isNotEqualTo(wanted.metadata().name()).startsWith("c-");
        assertThat(imageOf(revisions.get(NS, update))).isEqualTo("v1");
    }

    @Test
    void keepsAtMostTheHistoryLimitOfUnusedRevisions(TestEnvironment env) {
        sets.create(set("l", "v1").withAt("spec.revisionHistoryLimit", 2));
        awaitObserved(env, "l");
        for (int i = 2; i <= 6; i++) {
            setImage(env, "l", "v" + i);
        }
        Eventually.eventually("the history trimmed", this::history, h -> h.size() == 3);
        // The current and update revisions are live; two more are kept, the newest of the rest.
        assertThat(history()).extracting(RevisionHistoryTest::imageOf).containsExactly("v4", "v5", "v6");
        assertThat(history().stream().max(Comparator.comparingLong(ControllerRevisions::revision)).orElseThrow()
                .metadata().name()).isEqualTo(sets.get(NS, "l").at("status.updateRevision", String.class).orElseThrow());
    }
}
