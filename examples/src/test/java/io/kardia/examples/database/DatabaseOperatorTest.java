package io.kardia.examples.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.controllers.gc.GarbageCollector;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Json;
import io.kardia.core.model.Condition;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.Event;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.CachedClient;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The Database operator on an in-process reference store: the six built-in kinds it owns, through their life cycle. */
@KardiaTest
class DatabaseOperatorTest {
    private static final String NS = "shop";

    private static ResourceClient<Database> start(TestEnvironment env) throws InterruptedException {
        env.resources(CustomResourceDefinition.class).create(DatabaseCrd.definition());
        env.createNamespace(NS);
        env.startManager(DatabaseOperator::register);
        return env.resources(Database.class);
    }

    static boolean controlledBy(KubeObject child, Database db) {
        return child.metadata().controllerRef().map(OwnerReference::uid).filter(db.metadata().uid()::equals).isPresent();
    }

    private static Predicate<Database> observed(long generation, String type, String status) {
        return d -> d.status() != null && d.status().observedGeneration() != null
                && d.status().observedGeneration() == generation
                && Condition.find(d.status().conditions(), type).filter(c -> status.equals(c.status())).isPresent();
    }

    /** Runs a read-modify-write until it does not conflict with the operator's own writes. */
    static <T> T retryOnConflict(String what, Supplier<T> write) {
        return Eventually.eventually(what, () -> {
            try {
                return Optional.of(write.get());
            } catch (KubeApiException.ConflictException e) {
                return Optional.<T>empty();
            }
        }, Optional::isPresent).orElseThrow();
    }

    /** What the StatefulSet controller reports once {@code ready} pods of the current generation are ready. */
    static void reportStatefulSetReady(TestEnvironment env, String name, int ready) {
        var sts = env.client().resources(ResourceTypes.STATEFUL_SET);
        retryOnConflict("the StatefulSet status update", () -> {
            GenericObject live = sts.get(NS, name);
            return sts.updateStatus(live.with("status", Map.of("observedGeneration", live.metadata().generation(),
                    "replicas", ready, "readyReplicas", ready, "updatedReplicas", ready, "currentReplicas", ready)));
        });
    }

    @Test
    void createsTheSixOwnedObjectsWithTheirSpecs(TestEnvironment env) throws Exception {
        ResourceClient<Database> databases = start(env);
        Database db = databases.create(Database.of(ObjectMeta.of(NS, "orders"), DatabaseSpec.of("postgres:17.2", 2, "5Gi")));

        GenericObject sa = env.awaitObject(ResourceTypes.SERVICE_ACCOUNT, NS, "orders", o -> controlledBy(o, db));
        OwnerReference ref = sa.metadata().controllerRef().orElseThrow();
        assertThat(ref).extracting(OwnerReference::apiVersion, OwnerReference::kind, OwnerReference::name,
                OwnerReference::controller, OwnerReference::blockOwnerDeletion)
                .containsExactly("examples.kardia.io/v1alpha1", "Database", "orders", true, true);

        GenericObject role = env.awaitObject(ResourceTypes.ROLE, NS, "orders", o -> controlledBy(o, db));
        assertThat(role.at("rules")).contains(List.of(Map.of("apiGroups", List.of(""),
                "resources", List.of("configmaps", "secrets"),
                "resourceNames", List.of("orders-config", "orders-credentials"), "verbs", List.of("get", "watch"))));

        GenericObject binding = env.awaitObject(ResourceTypes.ROLE_BINDING, NS, "orders", o -> controlledBy(o, db));
        assertThat(binding.at("roleRef")).contains(
                Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "Role", "name", "orders"));
        assertThat(binding.at("subjects")).contains(
                List.of(Map.of("kind", "ServiceAccount", "name", "orders", "namespace", NS)));

        GenericObject service = env.awaitObject(ResourceTypes.SERVICE, NS, "orders", o -> controlledBy(o, db));
        assertThat(service.at("spec.clusterIP")).contains("None");
        assertThat(service.at("spec.ports.0.port", Integer.class)).contains(DatabaseReconciler.PORT);
        assertThat(service.at("spec.selector")).contains(DatabaseReconciler.labels(db));

        GenericObject sts = env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "orders", o -> controlledBy(o, db));
        assertThat(sts.at("spec.serviceName")).as("the StatefulSet's governing Service").contains("orders");
        assertThat(sts.at("spec.replicas", Integer.class)).contains(2);
        assertThat(sts.at("spec.selector.matchLabels")).contains(DatabaseReconciler.labels(db));
        assertThat(sts.at("spec.template.metadata.labels")).contains(DatabaseReconciler.labels(db));
        assertThat(sts.at("spec.template.spec.serviceAccountName")).contains("orders");
        assertThat(sts.at("spec.template.spec.containers.0.image")).contains("postgres:17.2");
        assertThat(sts.at("spec.template.spec.containers.0.volumeMounts.0.name")).contains("data");
        assertThat(sts.at("spec.volumeClaimTemplates.0.metadata.name")).contains("data");
        assertThat(sts.at("spec.volumeClaimTemplates.0.spec.resources.requests.storage")).contains("5Gi");

        GenericObject job = env.awaitObject(ResourceTypes.JOB, NS, "orders-init-schema", o -> controlledBy(o, db));
        assertThat(job.at("spec.template.spec.restartPolicy")).contains("OnFailure");
        assertThat(job.at("spec.template.spec.serviceAccountName")).contains("orders");
        assertThat(job.at("spec.template.spec.containers.0.command.2", String.class).orElseThrow())
                .contains("pg_isready -h orders-0.orders");

        Database seen = env.awaitObject(Database.class, NS, "orders", observed(1, DatabaseStatus.READY, "False"));
        assertThat(Condition.find(seen.status().conditions(), DatabaseStatus.SCHEMA_INITIALIZED).map(Condition::reason))
                .contains("JobRunning");
        assertThat(Condition.find(seen.status().conditions(), DatabaseStatus.DEGRADED).map(Condition::status))
                .contains(Condition.FALSE);
    }

    @Test
    void theStatefulSetFollowsReplicasAndReadinessComesFromItsStatus(TestEnvironment env) throws Exception {
        ResourceClient<Database> databases = start(env);
        databases.create(Database.of(ObjectMeta.of(NS, "orders"), DatabaseSpec.of(null, 1, null)));
        env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "orders", o -> true);

        retryOnConflict("the replicas change", () -> databases.update(databases.get(NS, "orders")
                .withSpec(databases.get(NS, "orders").spec().withReplicas(3))));
        env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "orders", o -> o.at("spec.replicas", Integer.class).orElse(0) == 3);
        env.awaitObject(Database.class, NS, "orders", observed(2, DatabaseStatus.READY, "False"));

        reportStatefulSetReady(env, "orders", 2);
        Database notYet = env.awaitObject(Database.class, NS, "orders", d -> d.status().readyReplicas() == 2);
        assertThat(notYet.status().isTrue(DatabaseStatus.READY)).as("2 of 3 pods ready").isFalse();
        reportStatefulSetReady(env, "orders", 3);
        Database ready = env.awaitObject(Database.class, NS, "orders", observed(2, DatabaseStatus.READY, "True"));
        assertThat(ready.status().readyReplicas()).isEqualTo(3);
        Eventually.eventually("a Ready Event", () -> env.resources(Event.class).list(NS).items(),
                events -> events.stream().anyMatch(e -> "Ready".equals(e.reason())));
    }

    @Test
    void aSucceededSchemaJobIsRecordedAndNotRunAgain(TestEnvironment env) throws Exception {
        ResourceClient<Database> databases = start(env);
        databases.create(Database.of(ObjectMeta.of(NS, "orders"), DatabaseSpec.of(null, 1, null)));
        var jobs = env.client().resources(ResourceTypes.JOB);
        env.awaitObject(ResourceTypes.JOB, NS, "orders-init-schema", o -> true);

        // What the Job controller reports once the pod has run to completion.
        retryOnConflict("the Job status update", () -> jobs.updateStatus(jobs.get(NS, "orders-init-schema")
                .with("status", Map.of("succeeded", 1, "conditions", List.of(Map.of("type", "Complete", "status", "True"))))));
        env.awaitObject(Database.class, NS, "orders", observed(1, DatabaseStatus.SCHEMA_INITIALIZED, "True"));

        jobs.delete(NS, "orders-init-schema");
        // A later reconcile (the replicas change shows it ran) leaves the Job deleted.
        retryOnConflict("the replicas change", () -> databases.update(databases.get(NS, "orders")
                .withSpec(databases.get(NS, "orders").spec().withReplicas(2))));
        env.awaitObject(Database.class, NS, "orders", observed(2, DatabaseStatus.SCHEMA_INITIALIZED, "True"));
        assertThat(jobs.find(NS, "orders-init-schema")).isEmpty();
    }

    @Test
    void deletedChildrenAreRecreatedAndHandEditsOfOwnedFieldsReverted(TestEnvironment env) throws Exception {
        ResourceClient<Database> databases = start(env);
        Database db = databases.create(Database.of(ObjectMeta.of(NS, "orders"), DatabaseSpec.of(null, 2, null)));
        var statefulSets = env.client().resources(ResourceTypes.STATEFUL_SET);
        GenericObject first = env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "orders", o -> controlledBy(o, db));
        for (ResourceType<GenericObject> kind : List.of(ResourceTypes.SERVICE_ACCOUNT, ResourceTypes.ROLE,
                ResourceTypes.ROLE_BINDING, ResourceTypes.SERVICE)) {
            env.awaitObject(kind, NS, "orders", o -> controlledBy(o, db));
        }

        statefulSets.delete(NS, "orders");
        GenericObject recreated = env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "orders",
                o -> !o.metadata().uid().equals(first.metadata().uid()));
        assertThat(controlledBy(recreated, db)).isTrue();
        assertThat(recreated.at("spec.replicas", Integer.class)).contains(2);
        for (ResourceType<GenericObject> kind : List.of(ResourceTypes.SERVICE_ACCOUNT, ResourceTypes.ROLE,
                ResourceTypes.ROLE_BINDING, ResourceTypes.SERVICE)) {
            String uid = env.client().resources(kind).get(NS, "orders").metadata().uid();
            env.client().resources(kind).delete(NS, "orders");
            env.awaitObject(kind, NS, "orders", o -> !o.metadata().uid().equals(uid) && controlledBy(o, db));
        }

        // A hand edit of a field the operator owns is reverted; a label someone else added stays.
        var roles = env.client().resources(ResourceTypes.ROLE);
        retryOnConflict("the hand edit", () -> {
            GenericObject role = roles.get(NS, "orders");
            return roles.update(role.withAt("rules", List.of(Map.of("apiGroups", List.of(""), "resources",
                    List.of("secrets"), "verbs", List.of("*")))).withMetadata(role.metadata().toBuilder()
                    .label("team", "payments").build()));
        });
        GenericObject reverted = env.awaitObject(ResourceTypes.ROLE, NS, "orders",
                o -> o.at("rules.0.verbs").equals(Optional.of(List.of("get", "watch"))));
        assertThat(reverted.metadata().labels()).containsEntry("team", "payments");
        // Written with server-side apply as the controller; the hand editor keeps owning its label.
        assertThat(managedFields(reverted)).contains("database-controller/Apply/");
        assertThat(Json.toString(Json.toTree(reverted).at("/metadata/managedFields"))).contains("\"f:team\"");
        env.awaitObject(Database.class, NS, "orders", d -> managedFields(d).contains("database-controller/Apply/status"));
    }

    /** {@code manager/operation/subresource} of every managedFields entry. */
    private static List<String> managedFields(KubeObject o) {
        List<String> out = new java.util.ArrayList<>();
        Json.toTree(o).at("/metadata/managedFields").forEach(e -> out.add(e.path("manager").asText() + "/"
                + e.path("operation").asText() + "/" + e.path("subresource").asText()));
        return out;
    }

    @Test
    void deletingTheDatabaseLetsTheGarbageCollectorRemoveItsChildren(TestEnvironment env) throws Exception {
        ResourceClient<Database> databases = start(env);
        env.startManager(GarbageCollector::register); // the test kit runs no collector of its own
        Database db = databases.create(Database.of(ObjectMeta.of(NS, "orders"), DatabaseSpec.of(null, 1, null)));
        List<ResourceType<GenericObject>> kinds = List.of(ResourceTypes.SERVICE_ACCOUNT, ResourceTypes.ROLE,
                ResourceTypes.ROLE_BINDING, ResourceTypes.SERVICE, ResourceTypes.STATEFUL_SET);
        for (ResourceType<GenericObject> kind : kinds) {
            env.awaitObject(kind, NS, "orders", o -> controlledBy(o, db));
        }
        env.awaitObject(ResourceTypes.JOB, NS, "orders-init-schema", o -> controlledBy(o, db));

        databases.delete(NS, "orders");
        env.awaitAbsent(Database.class, NS, "orders");
        for (ResourceType<GenericObject> kind : kinds) {
            env.awaitAbsent(kind, NS, "orders");
        }
        env.awaitAbsent(ResourceTypes.JOB, NS, "orders-init-schema");
    }

    @Test
    void aConvergedDatabaseIsNotWrittenAgain(TestEnvironment env) throws Exception {
        env.resources(CustomResourceDefinition.class).create(DatabaseCrd.definition());
        env.createNamespace(NS);
        ResourceClient<Database> databases = env.resources(Database.class);
        databases.create(Database.of(ObjectMeta.of(NS, "calm"), DatabaseSpec.of(null, 2, null)));
        AtomicInteger events = new AtomicInteger();
        var reconciler = new DatabaseReconciler(CachedClient.direct(env.client()), env.client(),
                (object, type, reason, message) -> events.incrementAndGet(), Clock.systemUTC());

        reconciler.reconcile(databases.get(NS, "calm")); // creates the objects, writes the status
        Database converged = databases.get(NS, "calm");
        List<ResourceType<GenericObject>> kinds = List.of(ResourceTypes.SERVICE_ACCOUNT, ResourceTypes.ROLE,
                ResourceTypes.ROLE_BINDING, ResourceTypes.SERVICE, ResourceTypes.STATEFUL_SET);
        Map<String, String> versions = new java.util.HashMap<>();
        for (ResourceType<GenericObject> kind : kinds) {
            versions.put(kind.kind(), env.client().resources(kind).get(NS, "calm").metadata().resourceVersion());
        }
        String jobVersion = env.client().resources(ResourceTypes.JOB).get(NS, "calm-init-schema").metadata().resourceVersion();
        int eventsBefore = events.get();

        reconciler.reconcile(converged);
        assertThat(databases.get(NS, "calm").metadata().resourceVersion()).isEqualTo(converged.metadata().resourceVersion());
        for (ResourceType<GenericObject> kind : kinds) {
            assertThat(env.client().resources(kind).get(NS, "calm").metadata().resourceVersion()).as(kind.kind())
                    .isEqualTo(versions.get(kind.kind()));
        }
        assertThat(env.client().resources(ResourceTypes.JOB).get(NS, "calm-init-schema").metadata().resourceVersion())
                .isEqualTo(jobVersion);
        assertThat(events.get()).isEqualTo(eventsBefore);
    }

    @Test
    void anObjectOwnedBySomeoneElseDegradesTheDatabase(TestEnvironment env) throws Exception {
        ResourceClient<Database> databases = start(env);
        env.client().resources(ResourceTypes.SERVICE).create(GenericObject.of(ResourceTypes.SERVICE,
                ObjectMeta.of(NS, "taken")).withAt("spec.ports", List.of(Map.of("port", 80))));
        databases.create(Database.of(ObjectMeta.of(NS, "taken"), DatabaseSpec.of(null, 1, null)));

        Database degraded = env.awaitObject(Database.class, NS, "taken", observed(1, DatabaseStatus.DEGRADED, "True"));
        Condition c = Condition.find(degraded.status().conditions(), DatabaseStatus.DEGRADED).orElseThrow();
        assertThat(c.reason()).isEqualTo("NameConflict");
        assertThat(c.message()).isEqualTo("Service shop/taken already exists and is not controlled by Database taken; "
                + "delete or rename it");
        Eventually.eventually("a NameConflict warning", () -> env.resources(Event.class).list(NS).items(),
                events -> events.stream().anyMatch(e -> "NameConflict".equals(e.reason()) && Event.WARNING.equals(e.type())));
        assertThat(env.client().resources(ResourceTypes.SERVICE).get(NS, "taken").at("spec.clusterIP"))
                .as("the other Service is left alone").isNotEqualTo(Optional.of("None"));
        assertThat(env.client().resources(ResourceTypes.STATEFUL_SET).find(NS, "taken")).isEmpty();

        // Once the name is free, the database recovers.
        env.client().resources(ResourceTypes.SERVICE).delete(NS, "taken");
        retryOnConflict("a spec change", () -> databases.update(databases.get(NS, "taken")
                .withSpec(databases.get(NS, "taken").spec().withReplicas(2))));
        env.awaitObject(Database.class, NS, "taken", observed(2, DatabaseStatus.DEGRADED, "False"));
        env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "taken", o -> true);
    }
}
