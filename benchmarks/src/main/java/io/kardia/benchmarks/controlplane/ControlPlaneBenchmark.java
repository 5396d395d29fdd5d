package io.kardia.benchmarks.controlplane;

import io.kardia.controllers.ControllerManager;
import io.kardia.controllers.node.NodeLifecycleOptions;
import io.kardia.controllers.scheduler.SchedulerOptions;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Json;
import io.kardia.core.model.Container;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.Quantity;
import io.kardia.core.model.ResourceRequirements;
import io.kardia.informer.ResourceEventHandler;
import io.kardia.informer.SharedInformerFactory;
import io.kardia.runtime.Manager;
import io.kardia.simulator.SimulatedNodeOptions;
import io.kardia.simulator.SimulatedNodes;
import io.kardia.store.ReferenceStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A whole control plane in one process on the in-process reference store: {@code nodes} simulated
 * nodes and {@code pods} pending pods created before the controllers start, then:
 * <ol>
 *   <li>time until every pod is bound (the scheduler's pods/s, cache sync included);</li>
 *   <li>heap in use after a full GC with everything running;</li>
 *   <li>a Deployment of {@code replicas}; one of its nodes stops; time until its pods are replaced
 *       and the Deployment has all replicas ready again (grace and toleration given below).</li>
 * </ol>
 * Arguments: {@code nodes=500 pods=10000 replicas=1000 grace=5 toleration=0}.
 */
public final class ControlPlaneBenchmark {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private ControlPlaneBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nodeCount = 500;
        int podCount = 10_000;
        int replicas = 1000;
        int grace = 5;
        int toleration = 0;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            int v = Integer.parseInt(kv[1]);
            switch (kv[0]) {
                case "nodes" -> nodeCount = v;
                case "pods" -> podCount = v;
                case "replicas" -> replicas = v;
                case "grace" -> grace = v;
                case "toleration" -> toleration = v;
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + "; use nodes= pods= replicas= grace= toleration=");
            }
        }
        try (ReferenceStore store = ReferenceStore.inMemory()) {
            KubeClient api = store.client();
            api.resources(Namespace.class).create(Namespace.named("bench"));
            ResourceClient<Pod> pods = api.resources(Pod.class);
            try (SimulatedNodes nodes = new SimulatedNodes(store.client(), SimulatedNodes.names("node", nodeCount),
                    SimulatedNodeOptions.defaults().withZones(3))) {
                long t0 = System.nanoTime();
                nodes.start();
                System.out.printf("%d nodes registered and running in %.2f s%n", nodeCount, secs(t0));
                for (int i = 0; i < podCount; i++) {
                    pods.create(pod("p-" + i));
                }
                // Bindings are counted by a watch (an informer), not by listing 10,000 pods in a loop.
                AtomicInteger boundCount = new AtomicInteger();
                AtomicLong firstBind = new AtomicLong();
                AtomicLong lastBind = new AtomicLong();
                SharedInformerFactory observer = new SharedInformerFactory(store.client());
                observer.informerFor(Pod.class).addEventHandler(new ResourceEventHandler<>() {
                    @Override
                    public void onUpdate(Pod oldPod, Pod newPod) {
                        if (oldPod.spec().nodeName() == null && newPod.spec().nodeName() != null) {
                            long now = System.nanoTime();
                            firstBind.compareAndSet(0, now);
                            lastBind.set(now);
                            boundCount.incrementAndGet();
                        }
                    }
                });
                observer.start();
                observer.awaitCacheSync(Duration.ofMinutes(1));
                t0 = System.nanoTime();
                Manager manager = ControllerManager.start(store.client(), 
                        NodeLifecycleOptions.defaults().withGracePeriod(Duration.ofSeconds(grace))
                                .withDefaultToleration(Duration.ofSeconds(toleration)),
                        SchedulerOptions.defaults(), false);
                try {
                    int n = podCount;
                    await(() -> boundCount.get() >= n, n + " pods bound");
                    double s = secs(t0);
                    double binding = (lastBind.get() - firstBind.get()) / 1e9;
                    System.out.printf("%d pending pods bound in %.2f s from manager start (%.0f pods/s, cache sync "
                            + "included); first to last binding %.2f s (%.0f pods/s)%n",
                            podCount, s, podCount / s, binding, podCount / binding);
                    observer.stop();
                    await(() -> pods.list("bench").items().stream().allMatch(Pod::ready), "all pods ready", 500);
                    System.gc();
                    Runtime rt = Runtime.getRuntime();
                    System.out.printf("heap in use after GC: %d MiB (%d nodes, %d pods, store + controllers + agents)%n",
                            (rt.totalMemory() - rt.freeMemory()) >> 20, nodeCount, podCount);

                    ResourceClient<Deployment> deploys = api.resources(Deployment.class);
                    deploys.create(deployment(replicas));
                    t0 = System.nanoTime();
                    int r = replicas;
                    await(() -> readyReplicas(deploys) == r, "deployment ready");
                    System.out.printf("deployment of %d replicas ready in %.2f s%n", replicas, secs(t0));
                    String victim = pods.list("bench").items().stream()
                            .filter(p -> p.metadata().name().startsWith("web-")).findFirst().orElseThrow()
                            .spec().nodeName();
                    List<String> lost = pods.list("bench").items().stream()
                            .filter(p -> p.metadata().name().startsWith("web-") && victim.equals(p.spec().nodeName()))
                            .map(p -> p.metadata().name()).toList();
                    t0 = System.nanoTime();
                    nodes.stop(victim);
                    await(() -> replaced(pods, lost) && readyReplicas(deploys) == r, "replacements ready");
                    System.out.printf("node %s stopped with %d deployment pods: all replaced and ready after %.2f s "
                            + "(grace %d s + toleration %d s included)%n", victim, lost.size(), secs(t0), grace, toleration);
                } finally {
                    manager.close();
                }
            }
        }
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static int readyReplicas(ResourceClient<Deployment> deploys) {
        Deployment d = deploys.get("bench", "web");
        Integer ready = d.status() == null ? null : d.status().readyReplicas();
        Integer available = d.status() == null ? null : d.status().availableReplicas();
        return ready == null || available == null ? 0 : Math.min(ready, available);
    }

    /** Every lost pod is terminating (or gone), and the live pods of the deployment are all ready. */
    private static boolean replaced(ResourceClient<Pod> pods, List<String> lost) {
        return pods.list("bench").items().stream()
                .filter(p -> lost.contains(p.metadata().name()))
                .allMatch(p -> p.metadata().deletionTimestamp() != null);
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        await(done, what, 20);
    }

    private static void await(BooleanSupplier done, String what, long pollMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + TIMEOUT + " waiting for " + what);
            }
            Thread.sleep(pollMillis); // polling interval of a measurement loop, not synchronisation of the system under test
        }
    }

    private static Pod pod(String name) {
        return Pod.of(ObjectMeta.of("bench", name), PodSpec.of(new Container("c", "app:1", null, null, null, null, null,
                ResourceRequirements.of(Map.of("cpu", Quantity.parse("100m")), Map.of()), null, null)));
    }

    private static Deployment deployment(int replicas) throws Exception {
        return Json.mapper().readValue("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"namespace":"bench","name":"web"},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"web"}},
                         "template":{"metadata":{"labels":{"app":"web"}},
                                     "spec":{"containers":[{"name":"c","image":"app:1"}]}}}}""".formatted(replicas),
                Deployment.class);
    }
}
