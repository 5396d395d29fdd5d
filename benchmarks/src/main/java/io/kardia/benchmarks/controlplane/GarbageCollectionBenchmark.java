package io.kardia.benchmarks.controlplane;

import io.kardia.controllers.gc.GarbageCollector;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.ForwardingKubeClient;
import io.kardia.core.client.ForwardingResourceClient;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.CustomResourceDefinition.Names;
import io.kardia.core.model.CustomResourceDefinition.Spec;
import io.kardia.core.model.CustomResourceDefinition.Subresources;
import io.kardia.core.model.CustomResourceDefinition.Version;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Secret;
import io.kardia.runtime.Manager;
import io.kardia.store.ReferenceStore;
import io.kardia.store.http.ApiServer;
import io.kardia.store.http.BearerTokenAuthenticator;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Garbage collection of an ownership tree, measured as issue 17 asks: against "the time the same
 * API writes take at the client's rate limit". The in-memory reference store is served over HTTP
 * on loopback; a custom resource owns {@code fanout} ConfigMaps, each of which owns Secrets,
 * {@code objects} dependents in all (built in-process, not measured).
 * <ol>
 *   <li><b>Baseline</b>: the same {@code objects + 1} deletes issued in a loop by one
 *       {@link HttpKubeClient} with {@code kardia controllers}' QPS and burst (the client
 *       defaults, {@link ClientConfig#DEFAULT_QPS}/{@link ClientConfig#DEFAULT_BURST}).</li>
 *   <li><b>Collection</b>, for each policy: a fresh tree; the garbage collector alone in a
 *       manager whose client has the same limiter; once its caches hold the tree and its queue
 *       is idle (the initial judgements of 10,000 objects are not collection work) the root is
 *       deleted, and the time until the root and every dependent are gone is measured, with the
 *       collector's requests (outside its informers' lists and watches) and reconciles.</li>
 * </ol>
 * Arguments: {@code objects=10000 fanout=100 policies=Background,Foreground qps=50 burst=100}
 * ({@code qps=0}: no client-side limit).
 */
public final class GarbageCollectionBenchmark {
    private static final ResourceType<GenericObject> ROOT = ResourceType.generic("bench.kardia.io", "v1", "Tree", "trees",
            true);
    private static final String NS = "gc";

    private GarbageCollectionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int objects = 10_000;
        int fanout = 100;
        List<DeleteOptions.PropagationPolicy> policies = List.of(DeleteOptions.PropagationPolicy.Background,
                DeleteOptions.PropagationPolicy.Foreground);
        double qps = ClientConfig.DEFAULT_QPS;
        int burst = ClientConfig.DEFAULT_BURST;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "objects" -> objects = Integer.parseInt(kv[1]);
                case "fanout" -> fanout = Integer.parseInt(kv[1]);
                case "policy", "policies" -> policies = java.util.Arrays.stream(kv[1].split(","))
                        .map(DeleteOptions.PropagationPolicy::valueOf).toList();
                case "qps" -> qps = Double.parseDouble(kv[1]);
                case "burst" -> burst = Integer.parseInt(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + "; use objects= fanout= policies= qps= burst=");
            }
        }
        String token = BearerTokenAuthenticator.newToken();
        try (ReferenceStore store = ReferenceStore.inMemory();
             ApiServer server = ApiServer.start(store, "127.0.0.1", 0, token, null)) {
            ClientConfig.Builder config = ClientConfig.builder(server.url()).bearerToken(token);
            ClientConfig limited = (qps > 0 ? config.rateLimit(qps, burst) : config.noRateLimit()).build();
            System.out.printf(Locale.ROOT, "client-side limit: %s%n", qps > 0 ? qps + " QPS, burst " + burst : "none");
            KubeClient setup = store.client(); // building the trees is not measured
            setup.resources(Namespace.class).create(Namespace.named(NS));
            installRootKind(setup);
            ResourceClient<GenericObject> roots = setup.resources(ROOT);

            // Baseline: the same deletes from one client with the collector's limiter, no collector involved.
            List<String> names = build(setup, roots, "baseline", objects, fanout);
            double baseline;
            try (HttpKubeClient client = HttpKubeClient.create(limited)) {
                long t0 = System.nanoTime();
                for (String name : names) {
                    deleteEither(client, name);
                }
                client.resources(ROOT).delete(NS, "baseline");
                baseline = secs(t0);
            }
            System.out.printf(Locale.ROOT, "baseline: %d deletes by one client in %.2f s (%.0f/s)%n", objects + 1,
                    baseline, (objects + 1) / baseline);

            for (DeleteOptions.PropagationPolicy policy : policies) {
                String tree = "tree-" + policy.name().toLowerCase(Locale.ROOT);
                build(setup, roots, tree, objects, fanout);
                try (HttpKubeClient http = HttpKubeClient.create(limited);
                     Manager gc = Manager.builder(new RequestCounter(http)).cacheSyncTimeout(Duration.ofMinutes(2)).build()) {
                    RequestCounter counted = (RequestCounter) gc.apiClient();
                    GarbageCollector.register(gc);
                    gc.start();
                    // The collector creates its informers on its first discovery; wait until they hold the tree
                    // and it has judged every object once (objects with owners are judged as they are listed).
                    waitFor(() -> gc.informers().informers().size() > 2
                            && gc.informers().waitForCacheSync(Duration.ofSeconds(1)), "the collector's caches");
                    waitForIdle(gc);
                    if (qps > 0) {
                        Thread.sleep((long) Math.ceil(burst / qps * 1000)); // the bucket full again, as the baseline's
                    }
                    double reconcilesBefore = reconciles(gc);
                    counted.reset();
                    long t1 = System.nanoTime();
                    roots.delete(NS, tree, DeleteOptions.propagation(policy));
                    // Polled one item at a time in-process: listing (and decoding) thousands of objects every
                    // 50 ms would take the CPU the collector is being measured on.
                    waitFor(() -> none(setup.resources(Secret.class)), "the Secrets to be collected");
                    double secretsGone = secs(t1);
                    waitFor(() -> none(setup.resources(ConfigMap.class)), "the ConfigMaps to be collected");
                    double configMapsGone = secs(t1);
                    waitFor(() -> roots.find(NS, tree).isEmpty(), "the root to be collected");
                    double collected = secs(t1);
                    System.out.printf(Locale.ROOT, "%s: last Secret gone after %.2f s, last ConfigMap after %.2f s, "
                            + "the root after %.2f s; %.0f reconciles; collector requests %s%n", policy, secretsGone,
                            configMapsGone, collected, reconciles(gc) - reconcilesBefore, counted.snapshot());
                    System.out.printf(Locale.ROOT, "%s collection of %d dependents in %.2f s (%.0f/s), %.2f× the baseline"
                            + " (%d requests, %.2f per object)%n", policy, objects, collected, objects / collected,
                            collected / baseline, counted.total(), counted.total() / (double) (objects + 1));
                }
            }
        }
    }

    /** Until the collector's queue has been empty with no reconcile running for a second. */
    private static void waitForIdle(Manager gc) throws InterruptedException {
        double seen = -1;
        long quietSince = System.nanoTime();
        while (true) {
            double now = reconciles(gc);
            boolean idle = gauge(gc, "workqueue.depth", "name") == 0 && gauge(gc, "controller.runtime.active.workers",
                    "controller") == 0;
            if (!idle || now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > Duration.ofSeconds(1).toNanos()) {
                return;
            }
            Thread.sleep(50); // a measurement program polling, not a test
        }
    }

    private static double gauge(Manager gc, String name, String tag) {
        Gauge g = gc.meterRegistry().find(name).tag(tag, GarbageCollector.NAME).gauge();
        return g == null ? -1 : g.value();
    }

    private static boolean none(ResourceClient<?> objects) {
        return objects.list(NS, ListOptions.all().withLimit(1)).items().isEmpty();
    }

    /** The collector's reconciles so far, whatever their result. */
    private static double reconciles(Manager gc) {
        return gc.meterRegistry().find("controller.runtime.reconcile").tag("controller", GarbageCollector.NAME)
                .counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static void installRootKind(KubeClient api) throws InterruptedException {
        Map<String, Object> schema = Map.of("type", "object", "x-kubernetes-preserve-unknown-fields", true);
        api.resources(CustomResourceDefinition.class).create(CustomResourceDefinition.of(Spec.of(ROOT.group(),
                Names.of(ROOT.plural(), ROOT.singular(), ROOT.kind()), CustomResourceDefinition.NAMESPACED,
                List.of(new Version("v1", true, true, Map.of("openAPIV3Schema", schema), Subresources.withStatus(), null)))));
        waitFor(() -> {
            try {
                api.resources(ROOT).list(NS);
                return true;
            } catch (RuntimeException notYet) {
                return false;
            }
        }, "the root kind to be served");
    }

    /** A root, {@code fanout} ConfigMaps owned by it and the rest Secrets spread over the ConfigMaps; returns the dependents' names. */
    private static List<String> build(KubeClient api, ResourceClient<GenericObject> roots, String name, int objects,
                                      int fanout) {
        GenericObject root = roots.create(GenericObject.of(ROOT, ObjectMeta.of(NS, name)));
        List<String> names = new ArrayList<>(objects);
        List<ConfigMap> middles = new ArrayList<>(fanout);
        for (int i = 0; i < fanout; i++) {
            middles.add(api.resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.builder().namespace(NS)
                    .name(name + "-cm-" + i).ownerReference(OwnerReference.controllerOf(root)).build(), Map.of())));
            names.add("cm:" + name + "-cm-" + i);
        }
        for (int i = 0; i < objects - fanout; i++) {
            ConfigMap owner = middles.get(i % fanout);
            api.resources(Secret.class).create(Secret.ofStrings(ObjectMeta.builder().namespace(NS).name(name + "-s-" + i)
                    .ownerReference(OwnerReference.controllerOf(owner)).build(), Map.of()));
            names.add("s:" + name + "-s-" + i);
        }
        return names;
    }

    private static void deleteEither(KubeClient api, String tagged) {
        String name = tagged.substring(tagged.indexOf(':') + 1);
        if (tagged.startsWith("cm:")) {
            api.resources(ConfigMap.class).delete(NS, name);
        } else {
            api.resources(Secret.class).delete(NS, name);
        }
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void waitFor(Check check, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            try {
                if (check.done()) {
                    return;
                }
            } catch (Exception e) {
                // not yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(50); // a measurement program polling the store, not a test
        }
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
