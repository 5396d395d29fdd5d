package io.kardia.controllers.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.controllers.workload.WorkloadControllers;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.DeleteOptions.PropagationPolicy;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Container;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.DeploymentSpec;
import io.kardia.core.model.LabelSelector;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ReplicaSet;
import io.kardia.core.model.Secret;
import io.kardia.runtime.Manager;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

@KardiaTest
class GarbageCollectorTest {

    private static Deployment deployment(String name, int replicas) {
        Map<String, String> labels = Map.of("app", name);
        return Deployment.of(ObjectMeta.of("ns", name), DeploymentSpec.of(replicas, LabelSelector.of(labels),
                PodTemplateSpec.of(ObjectMeta.builder().labels(labels).build(), PodSpec.of(Container.of("app", "nginx:1")))));
    }

    /** Starts the workload controllers with the collector and a deployment whose pods all exist. */
    private static ResourceClient<Deployment> rolledOut(TestEnvironment env, String name, int replicas) throws Exception {
        env.createNamespace("ns");
        env.startManager(WorkloadControllers::register);
        ResourceClient<Deployment> deployments = env.resources(Deployment.class);
        deployments.create(deployment(name, replicas));
        Eventually.eventually("the pods of " + name, () -> env.resources(Pod.class).list("ns").items(),
                l -> l.size() == replicas);
        return deployments;
    }

    @Test
    void backgroundDeletionRemovesReplicaSetsAndPodsAfterTheOwner(TestEnvironment env) throws Exception {
        ResourceClient<Deployment> deployments = rolledOut(env, "web", 3);
        deployments.delete("ns", "web", DeleteOptions.propagation(PropagationPolicy.Background));
        env.awaitAbsent(Deployment.class, "ns", "web");
        Eventually.eventually("no replica sets or pods", () -> env.resources(ReplicaSet.class).list("ns").items().size()
                + env.resources(Pod.class).list("ns").items().size(), n -> n == 0);
    }

    @Test
    void foregroundDeletionKeepsTheOwnerUntilItsDependentsAreGone(TestEnvironment env) throws Exception {
        ResourceClient<Deployment> deployments = rolledOut(env, "web", 3);
        Deployment deleting = deployments.delete("ns", "web", DeleteOptions.propagation(PropagationPolicy.Foreground));
        assertThat(deleting.metadata().finalizers()).contains(GarbageCollector.FOREGROUND);
        env.awaitAbsent(Deployment.class, "ns", "web");
        // the owner went last: its dependents were already gone
        assertThat(env.resources(Pod.class).list("ns").items()).isEmpty();
        assertThat(env.resources(ReplicaSet.class).list("ns").items()).isEmpty();
    }

    @Test
    void orphanDeletionLeavesDependentsWithoutTheOwnerReference(TestEnvironment env) throws Exception {
        ResourceClient<Deployment> deployments = rolledOut(env, "web", 2);
        String uid = deployments.get("ns", "web").metadata().uid();
        deployments.delete("ns", "web", DeleteOptions.propagation(PropagationPolicy.Orphan));
        env.awaitAbsent(Deployment.class, "ns", "web");
        List<ReplicaSet> rss = env.resources(ReplicaSet.class).list("ns").items();
        assertThat(rss).hasSize(1);
        assertThat(rss.get(0).metadata().ownerReferences()).noneMatch(r -> uid.equals(r.uid()));
        // the pods still belong to the (orphaned) ReplicaSet, which keeps running them
        Eventually.eventually("the orphaned replica set to keep its 2 pods", () -> env.resources(Pod.class).list("ns").items(),
                l -> l.size() == 2 && l.stream().allMatch(p -> p.metadata().controllerRef()
                        .map(r -> r.uid().equals(rss.get(0).metadata().uid())).orElse(false)));
    }

    private static OwnerReference ref(String kind, String apiVersion, String name, String uid) {
        return new OwnerReference(apiVersion, kind, name, uid, null, null, null);
    }

    @Test
    void danglingReferencesAreCollectedAndSurviveARestart(TestEnvironment env) throws Exception {
        env.createNamespace("ns");
        ResourceClient<ConfigMap> cms = env.resources(ConfigMap.class);
        ResourceClient<Secret> secrets = env.resources(Secret.class);
        ConfigMap owner = cms.create(ConfigMap.of(ObjectMeta.of("ns", "owner"), Map.of()));
        // owned by something that never existed
        cms.create(ConfigMap.of(ObjectMeta.builder().namespace("ns").name("dangling")
                .ownerReference(ref("ConfigMap", "v1", "ghost", "no-such-uid")).build(), Map.of()));
        // owned by an object of that name but another uid (deleted and recreated)
        cms.create(ConfigMap.of(ObjectMeta.builder().namespace("ns").name("stale-uid")
                .ownerReference(ref("ConfigMap", "v1", "owner", "old-uid")).build(), Map.of()));
        // one live owner and one missing: only the missing reference goes
        cms.create(ConfigMap.of(ObjectMeta.builder().namespace("ns").name("half")
                .ownerReference(ref("ConfigMap", "v1", "owner", owner.metadata().uid()))
                .ownerReference(ref("Secret", "v1", "gone", "gone-uid")).build(), Map.of()));
        // owned by a kind the collector does not manage: left alone
        cms.create(ConfigMap.of(ObjectMeta.builder().namespace("ns").name("foreign")
                .ownerReference(ref("Widget", "example.com/v1", "w", "w-uid")).build(), Map.of()));

        Manager gc = env.startManager(GarbageCollector::register);
        env.awaitAbsent(ConfigMap.class, "ns", "dangling");
        env.awaitAbsent(ConfigMap.class, "ns", "stale-uid");
        env.awaitObject(ConfigMap.class, "ns", "half", cm -> cm.metadata().ownerReferences().size() == 1
                && cm.metadata().ownerReferences().get(0).uid().equals(owner.metadata().uid()));
        assertThat(cms.find("ns", "foreign")).isPresent();

        // while the collector is down the owner goes; after a restart (graph rebuilt from lists) so do its dependents
        gc.close();
        Secret secretOwner = secrets.create(Secret.ofStrings(ObjectMeta.of("ns", "s"), Map.of()));
        cms.create(ConfigMap.of(ObjectMeta.builder().namespace("ns").name("child")
                .ownerReference(ref("Secret", "v1", "s", secretOwner.metadata().uid())).build(), Map.of()));
        secrets.delete("ns", "s");
        cms.delete("ns", "owner");
        env.startManager(GarbageCollector::register);
        env.awaitAbsent(ConfigMap.class, "ns", "child");
        env.awaitAbsent(ConfigMap.class, "ns", "half");
        assertThat(cms.find("ns", "foreign")).isPresent();
    }

    @Test
    void foregroundDeletionWaitsOnlyForBlockingDependents(TestEnvironment env) throws Exception {
        env.createNamespace("ns");
        env.startManager(GarbageCollector::register);
        ResourceClient<ConfigMap> cms = env.resources(ConfigMap.class);
        ConfigMap owner = cms.create(ConfigMap.of(ObjectMeta.of("ns", "owner"), Map.of()));
        // a dependent that blocks, kept alive by a finalizer of its own for a while
        cms.create(ConfigMap.of(ObjectMeta.builder().namespace("ns").name("blocker").finalizer("test/hold")
                .ownerReference(new OwnerReference("v1", "ConfigMap", "owner", owner.metadata().uid(), null, true, null))
                .build(), Map.of()));
        cms.delete("ns", "owner", DeleteOptions.propagation(PropagationPolicy.Foreground));
        env.awaitObject(ConfigMap.class, "ns", "blocker", cm -> cm.metadata().deletionTimestamp() != null
                && !cm.metadata().finalizers().contains(GarbageCollector.FOREGROUND));
        assertThat(cms.find("ns", "owner")).get().matches(o -> o.metadata().finalizers().contains(GarbageCollector.FOREGROUND));
        Eventually.eventually("the test finalizer to be released", () -> {
            ConfigMap b = cms.get("ns", "blocker");
            cms.update(b.withMetadata(b.metadata().toBuilder().removeFinalizer("test/hold").build()));
            return true;
        }, ok -> ok);
        env.awaitAbsent(ConfigMap.class, "ns", "blocker");
        env.awaitAbsent(ConfigMap.class, "ns", "owner");
        assertThat(Objects.requireNonNull(owner.metadata().uid())).isNotEmpty();
    }

    @Test
    void aForegroundDeletionFinishesWhenTheLastBlockingDependentOfAnyKindGoes(TestEnvironment env) throws Exception {
        env.createNamespace("ns");
        env.startManager(GarbageCollector::register);
        ResourceClient<ConfigMap> cms = env.resources(ConfigMap.class);
        ResourceClient<Secret> secrets = env.resources(Secret.class);
        ConfigMap owner = cms.create(ConfigMap.of(ObjectMeta.of("ns", "owner"), Map.of()));
        OwnerReference blocking = new OwnerReference("v1", "ConfigMap", "owner", owner.metadata().uid(), null, true, null);
        for (int i = 0; i < 15; i++) {
            cms.create(ConfigMap.of(ObjectMeta.builder().namespace("ns").name("cm-" + i).ownerReference(blocking).build(), Map.of()));
            secrets.create(Secret.ofStrings(ObjectMeta.builder().namespace("ns").name("s-" + i).ownerReference(blocking).build(),
                    Map.of()));
        }
        // Two blockers that outlive the others: one held by a finalizer, one that will drop its reference.
        cms.create(ConfigMap.of(ObjectMeta.builder().namespace("ns").name("keeps-ref").finalizer("test/hold")
                .ownerReference(blocking).build(), Map.of()));
        secrets.create(Secret.ofStrings(ObjectMeta.builder().namespace("ns").name("held").finalizer("test/hold")
                .ownerReference(blocking).build(), Map.of()));

        cms.delete("ns", "owner", DeleteOptions.propagation(PropagationPolicy.Foreground));
        Eventually.eventually("every dependent but the two held ones gone", () -> cms.list("ns").items().size()
                + secrets.list("ns").items().size(), n -> n == 3); // the owner and the two held
        env.awaitObject(Secret.class, "ns", "held", o -> o.metadata().deletionTimestamp() != null);
        env.awaitObject(ConfigMap.class, "ns", "keeps-ref", o -> o.metadata().deletionTimestamp() != null);
        assertThat(cms.get("ns", "owner").metadata().finalizers()).contains(GarbageCollector.FOREGROUND);

        Eventually.eventually("keeps-ref drops its reference", () -> {
            ConfigMap c = cms.get("ns", "keeps-ref");
            cms.update(c.withMetadata(c.metadata().toBuilder().ownerReferences(List.of()).build()));
            return true;
        }, ok -> ok);
        env.awaitObject(ConfigMap.class, "ns", "keeps-ref", o -> o.metadata().ownerReferences().isEmpty());
        assertThat(cms.get("ns", "owner").metadata().finalizers()).as("the held Secret still blocks")
                .contains(GarbageCollector.FOREGROUND);

        Eventually.eventually("the held Secret is released", () -> {
            Secret held = secrets.get("ns", "held");
            secrets.update(held.withMetadata(held.metadata().toBuilder().removeFinalizer("test/hold").build()));
            return true;
        }, ok -> ok);
        env.awaitAbsent(Secret.class, "ns", "held");
        env.awaitAbsent(ConfigMap.class, "ns", "owner");
    }
}
