package io.kardia.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.controllers.history.ControllerRevisions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.Container;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.Node;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ResourceTypes;
import io.kardia.simulator.SimulatedNodeOptions;
import io.kardia.simulator.SimulatedNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17's "done when" for StatefulSets and DaemonSets, against {@code kardia up} in process
 * over HTTP as a user would drive it: a StatefulSet of 3 rolls through an image change highest
 * ordinal first, one pod at a time, and once deleted leaves nothing behind (claims included, as its
 * retention policy asks); a DaemonSet follows a node added and removed.
 */
class StatefulSetAndDaemonSetOnKardiaUpTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String NS = "apps";

    @TempDir
    static Path tmp;
    private static KardiaUpInTest up;
    private static KubeClient client;

    @BeforeAll
    static void up() {
        up = KardiaUpInTest.start(tmp.resolve("data"), "--nodes", "2");
        client = up.client();
        client.resources(Namespace.class).create(Namespace.named(NS));
    }

    @AfterAll
    static void down() throws Exception {
        if (up != null) {
            up.close();
        }
    }

    private static GenericObject workload(io.kardia.core.model.ResourceType<GenericObject> type, String name, String image) {
        Map<String, String> labels = Map.of("app", name);
        return GenericObject.of(type, ObjectMeta.of(NS, name))
                .withAt("spec.selector", Map.of("matchLabels", labels))
                .withAt("spec.template", PodTemplateSpec.of(ObjectMeta.builder().labels(labels).build(),
                        PodSpec.of(Container.of("main", image))));
    }

    private static void edit(ResourceClient<GenericObject> api, String name, UnaryOperator<GenericObject> change) {
        await().atMost(WAIT).ignoreExceptionsInstanceOf(KubeApiException.ConflictException.class).until(() -> {
            api.update(change.apply(api.get(NS, name)));
            return true;
        });
    }

    private static int status(GenericObject o, String field) {
        return o.at("status." + field, Integer.class).orElse(0);
    }

    private static String image(Pod p) {
        return p.spec().containers().get(0).image();
    }

    /** A pod's deletion as the watch showed it first, with every pod as it was just before. */
    private record Deletion(String name, Map<String, Pod> before) {
    }

    @Test
    void aStatefulSetOfThreeRollsThroughAnImageChangeHighestOrdinalFirst() throws Exception {
        ResourceClient<GenericObject> sets = client.resources(ResourceTypes.STATEFUL_SET);
        sets.create(workload(ResourceTypes.STATEFUL_SET, "web", "nginx:1").withAt("spec.replicas", 3)
                .withAt("spec.serviceName", "web")
                .withAt("spec.volumeClaimTemplates", List.of(Map.of("metadata", Map.of("name", "data"),
                        "spec", Map.of("accessModes", List.of("ReadWriteOnce"),
                                "resources", Map.of("requests", Map.of("storage", "1Gi"))))))
                .withAt("spec.persistentVolumeClaimRetentionPolicy", Map.of("whenDeleted", "Delete")));
        await().atMost(WAIT).until(() -> status(sets.get(NS, "web"), "readyReplicas") == 3);

        List<Deletion> deletions = new ArrayList<>();
        try (Watch<Pod> watch = client.resources(Pod.class).watch(NS, WatchOptions.from(null))) {
            Thread reader = Thread.ofVirtual().start(() -> {
                Map<String, Pod> state = new HashMap<>();
                try {
                    for (WatchEvent<Pod> e; (e = watch.next()) != null; ) {
                        Pod p = e.object();
                        String name = p.metadata().name();
                        if (!name.startsWith("web-")) {
                            continue;
                        }
                        Pod was = state.get(name);
                        boolean deletionStarts = (e.type() == WatchEvent.Type.DELETED && was != null
                                && was.metadata().deletionTimestamp() == null)
                                || (e.type() == WatchEvent.Type.MODIFIED && p.metadata().deletionTimestamp() != null
                                && (was == null || was.metadata().deletionTimestamp() == null));
                        if (deletionStarts) {
                            synchronized (deletions) {
                                deletions.add(new Deletion(name, Map.copyOf(state)));
                            }
                        }
                        if (e.type() == WatchEvent.Type.DELETED) {
                            state.remove(name);
                        } else if (e.type() != WatchEvent.Type.BOOKMARK && e.type() != WatchEvent.Type.ERROR) {
                            state.put(name, p);
                        }
                    }
                } catch (Exception closed) {
                    // the watch ends with the test
                }
            });
            edit(sets, "web", s -> s.withAt("spec.template.spec.containers", List.of(Container.of("main", "nginx:2"))));
            await().atMost(WAIT).until(() -> {
                GenericObject s = sets.get(NS, "web");
                return status(s, "updatedReplicas") == 3 && status(s, "readyReplicas") == 3
                        && s.at("status.currentRevision").equals(s.at("status.updateRevision"))
                        && client.resources(Pod.class).list(NS).items().stream()
                        .filter(p -> p.metadata().name().startsWith("web-"))
                        .allMatch(p -> image(p).equals("nginx:2") && p.ready());
            });
            watch.close();
            reader.join();
        }
        assertThat(deletions).extracting(Deletion::name).containsExactly("web-2", "web-1", "web-0");
        for (Deletion d : deletions) {
            int k = Integer.parseInt(d.name().substring(4));
            for (int j = 0; j < 3; j++) {
                if (j == k) {
                    continue;
                }
                Pod other = d.before().get("web-" + j);
                assertThat(other).as("web-%d when web-%d started to go", j, k).isNotNull();
                assertThat(other.ready() && other.metadata().deletionTimestamp() == null)
                        .as("web-%d ready when web-%d started to go", j, k).isTrue();
                assertThat(image(other)).isEqualTo(j > k ? "nginx:2" : "nginx:1");
            }
        }

        // Deleting the set: up's garbage collector takes its pods, its revisions and (whenDeleted:
        // Delete, expressed as the set owning them) its claims.
        var claims = client.resources(ResourceTypes.PERSISTENT_VOLUME_CLAIM);
        var revisions = client.resources(ControllerRevisions.TYPE);
        assertThat(claims.list(NS).items()).extracting(c -> c.metadata().name())
                .contains("data-web-0", "data-web-1", "data-web-2");
        assertThat(revisions.list(NS).items()).hasSize(2);
        sets.delete(NS, "web");
        await().atMost(WAIT).alias("pods, revisions and claims of the deleted set to be collected").until(() ->
                client.resources(Pod.class).list(NS).items().stream().noneMatch(p -> p.metadata().name().startsWith("web-"))
                        && revisions.list(NS).items().isEmpty()
                        && claims.list(NS).items().stream().noneMatch(c -> c.metadata().name().startsWith("data-web-")));
    }

    @Test
    void aDaemonSetFollowsANodeAddedAndRemoved() throws Exception {
        ResourceClient<GenericObject> daemonSets = client.resources(ResourceTypes.DAEMON_SET);
        ResourceClient<Pod> pods = client.resources(Pod.class);
        daemonSets.create(workload(ResourceTypes.DAEMON_SET, "agent", "agent:1"));
        await().atMost(WAIT).until(() -> {
            GenericObject ds = daemonSets.get(NS, "agent");
            return status(ds, "desiredNumberScheduled") == 2 && status(ds, "numberReady") == 2;
        });

        try (SimulatedNodes extra = new SimulatedNodes(client, List.of("extra-1"), SimulatedNodeOptions.defaults())) {
            extra.start();
            await().atMost(WAIT).until(() -> {
                GenericObject ds = daemonSets.get(NS, "agent");
                return status(ds, "desiredNumberScheduled") == 3 && status(ds, "numberReady") == 3
                        && status(ds, "numberAvailable") == 3;
            });
            assertThat(pods.list(NS).items()).filteredOn(p -> p.metadata().name().startsWith("agent-"))
                    .extracting(p -> p.spec().nodeName()).contains("extra-1");
        }
        client.resources(Node.class).delete(null, "extra-1");
        await().atMost(WAIT).until(() -> {
            GenericObject ds = daemonSets.get(NS, "agent");
            return status(ds, "desiredNumberScheduled") == 2 && status(ds, "currentNumberScheduled") == 2
                    && pods.list(NS).items().stream().noneMatch(p -> "extra-1".equals(p.spec().nodeName()));
        });
    }
}
