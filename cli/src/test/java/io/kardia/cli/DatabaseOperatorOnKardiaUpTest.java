package io.kardia.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.examples.database.Database;
import io.kardia.examples.database.DatabaseOperator;
import io.kardia.examples.database.DatabaseSpec;
import io.kardia.examples.database.DatabaseStatus;
import io.kardia.runtime.Manager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14's "done when": an operator that owns a Service, a StatefulSet, a Job, a ServiceAccount,
 * a Role and a RoleBinding runs against {@code kardia up} — the whole control plane as the command
 * starts it (store over HTTPS, controller manager), the operator in its own manager over the
 * kubeconfig {@code up} writes, as a user would run it; deleting the Database lets up's garbage
 * collector remove the six children.
 */
class DatabaseOperatorOnKardiaUpTest {
    private static final String NS = "shop";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<ResourceType<GenericObject>> NAMED_LIKE_THE_DATABASE = List.of(ResourceTypes.SERVICE_ACCOUNT,
            ResourceTypes.ROLE, ResourceTypes.ROLE_BINDING, ResourceTypes.SERVICE, ResourceTypes.STATEFUL_SET);

    @Test
    void theDatabaseOperatorOwnsItsSixKindsOnKardiaUp(@TempDir Path tmp) throws Exception {
        try (KardiaUpInTest up = KardiaUpInTest.start(tmp.resolve("data"), "--nodes", "1");
             KubeClient client = HttpKubeClient.fromKubeConfig(up.kubeconfig());
             Manager operator = Manager.builder(client).cacheSyncTimeout(Duration.ofSeconds(30)).build()) {
            DatabaseOperator.installCrd(client);
            client.resources(Namespace.class).create(Namespace.named(NS));
            DatabaseOperator.register(operator);
            operator.start();
            exercise(client);
        }
    }

    private static void exercise(KubeClient client) {
        ResourceClient<Database> databases = client.resources(Database.class);
        Database db = databases.create(Database.of(ObjectMeta.of(NS, "orders"), DatabaseSpec.of(null, 2, "5Gi")));

        for (ResourceType<GenericObject> kind : NAMED_LIKE_THE_DATABASE) {
            awaitChild(client, kind, "orders", o -> controlledBy(o, db));
        }
        GenericObject job = awaitChild(client, ResourceTypes.JOB, "orders-init-schema", o -> controlledBy(o, db));
        assertThat(job.at("spec.template.spec.serviceAccountName")).contains("orders");
        GenericObject sts = client.resources(ResourceTypes.STATEFUL_SET).get(NS, "orders");
        assertThat(sts.at("spec.serviceName")).contains("orders");
        assertThat(sts.at("spec.replicas", Integer.class)).contains(2);
        assertThat(client.resources(ResourceTypes.SERVICE).get(NS, "orders").at("spec.clusterIP")).contains("None");
        assertThat(client.resources(ResourceTypes.ROLE_BINDING).get(NS, "orders").at("roleRef.name")).contains("orders");

        // The StatefulSet follows the database's replicas.
        await().atMost(WAIT).ignoreExceptionsInstanceOf(KubeApiException.ConflictException.class).until(() -> {
            Database live = databases.get(NS, "orders");
            databases.update(live.withSpec(live.spec().withReplicas(3)));
            return true;
        });
        awaitChild(client, ResourceTypes.STATEFUL_SET, "orders", o -> o.at("spec.replicas", Integer.class).orElse(0) == 3);

        // A deleted child is recreated.
        String uid = client.resources(ResourceTypes.SERVICE).get(NS, "orders").metadata().uid();
        client.resources(ResourceTypes.SERVICE).delete(NS, "orders");
        awaitChild(client, ResourceTypes.SERVICE, "orders", o -> !o.metadata().uid().equals(uid) && controlledBy(o, db));

        // Readiness comes from the StatefulSet's status, written by up's StatefulSet controller once the
        // simulated node runs the three pods it made (each with its claim).
        await().atMost(WAIT).until(() -> {
            DatabaseStatus s = databases.get(NS, "orders").status();
            return s != null && Objects.equals(s.observedGeneration(), 2L) && s.isTrue(DatabaseStatus.READY)
                    && Objects.equals(s.readyReplicas(), 3);
        });
        for (int i = 0; i < 3; i++) {
            Pod pod = client.resources(Pod.class).get(NS, "orders-" + i);
            assertThat(pod.ready()).isTrue();
            assertThat(pod.metadata().controllerRef()).map(r -> r.name()).contains("orders");
            assertThat(pod.spec().extra()).containsEntry("hostname", "orders-" + i).containsEntry("subdomain", "orders");
            assertThat(client.resources(ResourceTypes.PERSISTENT_VOLUME_CLAIM).find(NS, "data-orders-" + i)).isPresent();
        }
        GenericObject readySet = client.resources(ResourceTypes.STATEFUL_SET).get(NS, "orders");
        assertThat(readySet.at("status.readyReplicas", Integer.class)).contains(3);
        assertThat(readySet.at("status.currentRevision")).isEqualTo(readySet.at("status.updateRevision"));

        // up's garbage collector removes the children once the Database is gone.
        databases.delete(NS, "orders");
        await().atMost(WAIT).until(() -> databases.find(NS, "orders").isEmpty());
        for (ResourceType<GenericObject> kind : NAMED_LIKE_THE_DATABASE) {
            await().atMost(WAIT).alias(kind.kind() + " to be collected")
                    .until(() -> client.resources(kind).find(NS, "orders").isEmpty());
        }
        await().atMost(WAIT).alias("the Job to be collected")
                .until(() -> client.resources(ResourceTypes.JOB).find(NS, "orders-init-schema").isEmpty());
    }

    private static boolean controlledBy(KubeObject child, Database db) {
        return child.metadata().controllerRef().map(r -> r.uid().equals(db.metadata().uid())
                && Boolean.TRUE.equals(r.controller())).orElse(false);
    }

    private static GenericObject awaitChild(KubeClient client, ResourceType<GenericObject> kind, String name,
                                            Predicate<GenericObject> condition) {
        var objects = client.resources(kind);
        return await().atMost(WAIT).until(() -> objects.find(NS, name), o -> o.isPresent() && condition.test(o.get()))
                .orElseThrow();
    }
}
