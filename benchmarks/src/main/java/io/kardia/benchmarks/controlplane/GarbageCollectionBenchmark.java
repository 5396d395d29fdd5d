package io.kardia.benchmarks.controlplane;

import io.kardia.controllers.gc.GarbageCollector;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.CustomResourceDefinition.Names;
import io.kardia.core.model.CustomResourceDefinition.Spec;
import io.kardia.core.model.CustomResourceDefinition.Subresources;
import io.kardia.core.model.CustomResourceDefinition.Version;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Secret;
import io.kardia.runtime.Manager;
import io.kardia.store.ReferenceStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Garbage collection of an ownership tree on the in-process reference store: a custom resource
 * owns {@code fanout} ConfigMaps, each of which owns Secrets, {@code objects} dependents in all.
 * The root is deleted ({@code policy=Background} or {@code Foreground}) and the time until the
 * last dependent is gone is measured, beside the baseline: the same number of deletes issued by
 * one client in a loop. Arguments: {@code objects=10000 fanout=100 policy=Background}.
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
        DeleteOptions.PropagationPolicy policy = DeleteOptions.PropagationPolicy.Background;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "objects" -> objects = Integer.parseInt(kv[1]);
                case "fanout" -> fanout = Integer.parseInt(kv[1]);
                case "policy" -> policy = DeleteOptions.PropagationPolicy.valueOf(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + a + "; use objects= fanout= policy=");
            }
        }
        try (ReferenceStore store = ReferenceStore.inMemory()) {
            KubeClient api = store.client();
            api.resources(Namespace.class).create(Namespace.named(NS));
            installRootKind(api);
            ResourceClient<GenericObject> roots = api.resources(ROOT);

            // Baseline: the same deletes from one client, no collector involved.
            List<String> names = build(api, roots, "baseline", objects, fanout);
            long t0 = System.nanoTime();
            for (String name : names) {
                deleteEither(api, name);
            }
            roots.delete(NS, "baseline");
            double baseline = secs(t0);
            System.out.printf("baseline: %d deletes by one client in %.2f s (%.0f/s)%n", objects + 1, baseline,
                    (objects + 1) / baseline);

            build(api, roots, "tree", objects, fanout);
            try (Manager gc = Manager.builder(api).cacheSyncTimeout(Duration.ofMinutes(2)).build()) {
                GarbageCollector.register(gc);
                gc.start();
                // The collector creates its informers on its first discovery; wait until they hold the tree.
                waitFor(() -> gc.informers().informers().size() > 2
                        && gc.informers().waitForCacheSync(Duration.ofSeconds(1)), "the collector's caches");
                double reconcilesBefore = reconciles(gc);
                long t1 = System.nanoTime();
                roots.delete(NS, "tree", DeleteOptions.propagation(policy));
                // Polled one item at a time: listing (and decoding) thousands of objects every 50 ms would
                // take the CPU the collector is being measured on.
                waitFor(() -> none(api.resources(Secret.class)), "the Secrets to be collected");
                double secretsGone = secs(t1);
                waitFor(() -> none(api.resources(ConfigMap.class)), "the ConfigMaps to be collected");
                double configMapsGone = secs(t1);
                waitFor(() -> roots.find(NS, "tree").isEmpty(), "the root to be collected");
                double collected = secs(t1);
                System.out.printf("last Secret gone after %.2f s, last ConfigMap after %.2f s, the root after %.2f s; "
                        + "%.0f reconciles by the collector%n", secretsGone, configMapsGone, collected,
                        reconciles(gc) - reconcilesBefore);
                System.out.printf("%s collection of %d dependents in %.2f s (%.0f/s), %.1f× the baseline%n", policy,
                        objects, collected, objects / collected, collected / baseline);
            }
        }
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
