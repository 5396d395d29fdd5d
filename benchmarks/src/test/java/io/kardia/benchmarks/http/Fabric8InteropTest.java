package io.kardia.benchmarks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kardia.core.client.PatchType;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoredObject;
import io.kardia.store.http.ApiServer;
import io.kardia.store.http.BearerTokenAuthenticator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interop with a client library nobody here wrote: fabric8's {@link SharedIndexInformer} lists
 * (paged) and watches Pods on the reference store over HTTP and must see every change, ending
 * with a cache equal to the store. If another client library cannot use our server, our server is wrong.
 */
class Fabric8InteropTest {
    private static final String NS = "interop";
    private final String token = BearerTokenAuthenticator.newToken();
    private ReferenceStore store;
    private ApiServer server;
    private KubernetesClient fabric8;

    @BeforeEach
    void start() throws Exception {
        store = ReferenceStore.inMemory();
        server = ApiServer.start(store, "127.0.0.1", 0, token, null);
        store.create(ResourceTypes.NAMESPACE, null, tree("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NS + "\"}}"), null);
        Config config = new ConfigBuilder().withMasterUrl(server.url()).withOauthToken(token).withNamespace(NS)
                // watches as HTTP streams, the way kube-apiserver and Kardia serve them (no WebSocket upgrade)
                .withOnlyHttpWatches(true).build();
        fabric8 = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterEach
    void stop() {
        fabric8.close();
        server.close();
        store.close();
    }

    private static ObjectNode tree(String json) {
        return (ObjectNode) Json.tree(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String pod(String name) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"app","image":"nginx:1"}]}}""".formatted(name);
    }

    @Test
    void informerListsWatchesAndSeesEveryChange() throws Exception {
        for (int i = 0; i < 25; i++) {
            store.create(ResourceTypes.POD, NS, tree(pod("pre-" + i)), null);
        }
        Map<String, List<String>> seen = new ConcurrentHashMap<>(); // name -> "TYPE rv" in delivery order
        List<String> deleted = new CopyOnWriteArrayList<>();
        SharedIndexInformer<Pod> informer = fabric8.pods().inNamespace(NS).withLimit(10L).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod p) {
                record(p, "ADDED");
            }

            @Override
            public void onUpdate(Pod old, Pod p) {
                record(p, "MODIFIED");
            }

            @Override
            public void onDelete(Pod p, boolean finalStateUnknown) {
                record(p, "DELETED");
                deleted.add(p.getMetadata().getName());
            }

            private void record(Pod p, String type) {
                seen.computeIfAbsent(p.getMetadata().getName(), k -> new CopyOnWriteArrayList<>())
                        .add(type + " " + p.getMetadata().getResourceVersion());
            }
        });
        informer.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(informer.hasSynced()).isTrue();
        assertThat(informer.getStore().list()).hasSize(25);

        // Random changes while the informer watches; every write's resourceVersion is expected.
        Random random = new Random(42);
        Map<String, List<String>> expected = new TreeMap<>();
        List<String> live = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            live.add("pre-" + i);
        }
        int created = 0;
        for (int step = 0; step < 300; step++) {
            int op = random.nextInt(10);
            if (op < 3 || live.isEmpty()) {
                String name = "new-" + created++;
                StoredObject o = store.create(ResourceTypes.POD, NS, tree(pod(name)), null);
                expected.computeIfAbsent(name, k -> new ArrayList<>()).add("ADDED " + o.resourceVersion());
                live.add(name);
            } else if (op < 8) {
                String name = live.get(random.nextInt(live.size()));
                StoredObject o = store.patch(ResourceTypes.POD, NS, name, PatchType.MERGE,
                        ("{\"metadata\":{\"labels\":{\"step\":\"s" + step + "\"}}}").getBytes(StandardCharsets.UTF_8), null);
                expected.computeIfAbsent(name, k -> new ArrayList<>()).add("MODIFIED " + o.resourceVersion());
            } else {
                String name = live.remove(random.nextInt(live.size()));
                StoredObject last = store.delete(ResourceTypes.POD, NS, name, null);
                expected.computeIfAbsent(name, k -> new ArrayList<>()).add("DELETED " + last.resourceVersion());
            }
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, String> cache = new TreeMap<>();
            informer.getStore().list().forEach(p -> cache.put(p.getMetadata().getName(), p.getMetadata().getResourceVersion()));
            Map<String, String> truth = new TreeMap<>();
            store.list(ResourceTypes.POD, NS, null).items().forEach(o -> truth.put(o.name(), o.resourceVersion()));
            assertThat(cache).isEqualTo(truth);
        });
        // Every change arrived, in order, per object (a delete's resourceVersion is the object's last).
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            List<String> got = new ArrayList<>(seen.getOrDefault(e.getKey(), List.of()));
            if (e.getKey().startsWith("pre-")) {
                got.removeFirst(); // the ADDED from the initial list
            }
            List<String> want = e.getValue().stream().map(s -> s.startsWith("DELETED") ? "DELETED" : s).toList();
            List<String> gotTypes = got.stream().map(s -> s.startsWith("DELETED") ? "DELETED" : s).toList();
            assertThat(gotTypes).as("events for pod %s", e.getKey()).isEqualTo(want);
        }
        informer.stop();
    }
}
