package io.kardia.benchmarks.controlplane;

import io.kardia.controllers.ControllerManager;
import io.kardia.controllers.node.NodeLifecycleOptions;
import io.kardia.controllers.scheduler.SchedulerOptions;
import io.kardia.core.client.KubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.Container;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
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
import java.util.function.BooleanSupplier;

/**
 * The StatefulSet and DaemonSet controllers at scale, on a whole control plane in one process
 * (reference store, controller manager, simulated nodes):
 * <ol>
 *   <li>a StatefulSet of {@code replicas} pods, Parallel, one volume claim each, on {@code nodes}
 *       nodes: time until every pod is Running and Ready and the status says so, and the writes it
 *       took per pod (pod, claim and StatefulSet writes as the store's watch shows them);</li>
 *   <li>{@code dsNodes - nodes} more nodes join, then a DaemonSet: time until a pod is ready on
 *       every node, and the writes per pod; then an image change rolled with maxUnavailable 10%.</li>
 * </ol>
 * The controller manager talks HTTP to the store through a client limited to {@code qps}/{@code burst}
 * ({@link RateLimitedApi}); its requests in each phase are counted and set against the time they
 * take at that limit, the measure. Simulated nodes use the in-process client.
 * Arguments: {@code nodes=50 replicas=1000 dsNodes=500 qps=50 burst=100}.
 */
public final class StatefulSetDaemonSetBenchmark {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final String NS = "bench";

    private StatefulSetDaemonSetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nodeCount = 50;
        int replicas = 1000;
        int dsNodes = 500;
        double qps = ClientConfig.DEFAULT_QPS;
        int burst = ClientConfig.DEFAULT_BURST;
        boolean protobuf = true; // the client's default, as the quiet rows ran
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "nodes" -> nodeCount = Integer.parseInt(kv[1]);
                case "replicas" -> replicas = Integer.parseInt(kv[1]);
                case "dsNodes" -> dsNodes = Integer.parseInt(kv[1]);
                case "qps" -> qps = Double.parseDouble(kv[1]);
                case "burst" -> burst = Integer.parseInt(kv[1]);
                case "protobuf" -> protobuf = Boolean.parseBoolean(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + "; use nodes= replicas= dsNodes= qps= burst= protobuf=");
            }
        }
        SimulatedNodeOptions options = SimulatedNodeOptions.defaults().withZones(3)
                .withCapacity("64", "256Gi", Math.max(110, 2 * replicas / nodeCount));
        try (ReferenceStore store = ReferenceStore.inMemory();
             RateLimitedApi controllerApi = new RateLimitedApi(store, qps, burst, protobuf)) {
            KubeClient api = store.client();
            api.resources(Namespace.class).create(Namespace.named(NS));
            WriteCounter writes = new WriteCounter(store.client());
            try (SimulatedNodes nodes = new SimulatedNodes(store.client(), SimulatedNodes.names("node", nodeCount), options)) {
                nodes.start();
                Manager manager = ControllerManager.start(controllerApi.client(), NodeLifecycleOptions.defaults(),
                        SchedulerOptions.defaults(), false);
                try {
                    statefulSet(api, writes, controllerApi, replicas, nodeCount);
                    try (SimulatedNodes more = new SimulatedNodes(store.client(),
                            SimulatedNodes.names("extra", dsNodes - nodeCount), options)) {
                        long t0 = System.nanoTime();
                        more.start();
                        System.out.printf("%d more nodes registered in %.2f s%n", dsNodes - nodeCount, secs(t0));
                        // The limiter refills while the controllers are idle between the phases, as the rate-limit time assumes.
                        Thread.sleep(qps > 0 ? (long) Math.ceil(burst / qps * 1000) : 0);
                        daemonSet(api, writes, controllerApi, dsNodes);
                        System.gc();
                        Runtime rt = Runtime.getRuntime();
                        System.out.printf("heap in use after GC: %d MiB (%d nodes, %d StatefulSet pods and claims, "
                                + "%d DaemonSet pods, store + controllers + agents)%n",
                                (rt.totalMemory() - rt.freeMemory()) >> 20, dsNodes, replicas, dsNodes);
                    }
                } finally {
                    manager.close();
                    writes.stop();
                }
            }
        }
    }

    private static void statefulSet(KubeClient api, WriteCounter writes, RateLimitedApi controllerApi, int replicas,
                                    int nodeCount) throws Exception {
        var sets = api.resources(ResourceTypes.STATEFUL_SET);
        writes.reset();
        controllerApi.client().reset();
        long t0 = System.nanoTime();
        sets.create(workload(ResourceTypes.STATEFUL_SET, "db", "db:1")
                .withAt("spec.replicas", replicas)
                .withAt("spec.serviceName", "db")
                .withAt("spec.podManagementPolicy", "Parallel")
                .withAt("spec.volumeClaimTemplates", List.of(Map.of("metadata", Map.of("name", "data"),
                        "spec", Map.of("accessModes", List.of("ReadWriteOnce"),
                                "resources", Map.of("requests", Map.of("storage", "1Gi")))))));
        await(() -> sets.get(NS, "db").at("status.readyReplicas", Integer.class).orElse(0) == replicas,
                "the StatefulSet ready");
        double s = secs(t0);
        System.out.printf("StatefulSet of %d (Parallel, 1 claim each) on %d nodes ready in %.2f s (%.0f pods/s); "
                        + "writes seen: %s; %.2f pod writes per pod%n",
                replicas, nodeCount, s, replicas / s, writes, writes.pods.get() / (double) replicas);
        System.out.println("  StatefulSet: " + controllerApi.report(s));
        // The simulated pods do not wait for their claims; the volume binder may still be binding them.
        // The DaemonSet phase starts once it is done, so that its requests are the DaemonSet's alone.
        var claims = api.resources(ResourceTypes.PERSISTENT_VOLUME_CLAIM);
        await(() -> claims.list(NS).items().stream()
                .filter(c -> "Bound".equals(c.at("status.phase", String.class).orElse(null))).count() >= replicas,
                "every claim bound");
        double bound = secs(t0);
        System.out.printf("  every claim bound after %.2f s; %s%n", bound, controllerApi.report(bound - s));
    }

    private static void daemonSet(KubeClient api, WriteCounter writes, RateLimitedApi controllerApi, int nodeCount)
            throws Exception {
        var daemonSets = api.resources(ResourceTypes.DAEMON_SET);
        writes.reset();
        controllerApi.client().reset();
        long t0 = System.nanoTime();
        daemonSets.create(workload(ResourceTypes.DAEMON_SET, "agent", "agent:1").withAt("spec.updateStrategy",
                Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxUnavailable", "10%"))));
        await(() -> {
            GenericObject ds = daemonSets.get(NS, "agent");
            return ds.at("status.numberReady", Integer.class).orElse(0) == nodeCount
                    && ds.at("status.desiredNumberScheduled", Integer.class).orElse(0) == nodeCount;
        }, "the DaemonSet ready");
        double s = secs(t0);
        System.out.printf("DaemonSet on %d nodes ready in %.2f s (%.0f pods/s); writes seen: %s; %.2f pod writes "
                + "per pod%n", nodeCount, s, nodeCount / s, writes, writes.pods.get() / (double) nodeCount);
        System.out.println("  DaemonSet: " + controllerApi.report(s));

        Thread.sleep(controllerApi.qps > 0 ? (long) Math.ceil(controllerApi.burst / controllerApi.qps * 1000) : 0);
        writes.reset();
        controllerApi.client().reset();
        t0 = System.nanoTime();
        GenericObject live = daemonSets.get(NS, "agent");
        daemonSets.update(live.withAt("spec.template.spec.containers", List.of(Container.of("c", "agent:2"))));
        await(() -> {
            GenericObject ds = daemonSets.get(NS, "agent");
            return ds.at("status.observedGeneration", Long.class).orElse(0L) == 2L
                    && ds.at("status.updatedNumberScheduled", Integer.class).orElse(0) == nodeCount
                    && ds.at("status.numberAvailable", Integer.class).orElse(0) == nodeCount;
        }, "the DaemonSet rolled");
        s = secs(t0);
        System.out.printf("DaemonSet image change rolled over %d nodes (maxUnavailable 10%%) in %.2f s; writes seen: %s%n",
                nodeCount, s, writes);
        System.out.println("  DaemonSet roll: " + controllerApi.report(s));
    }

    private static GenericObject workload(ResourceType<GenericObject> type, String name, String image) {
        Map<String, String> labels = Map.of("app", name);
        return GenericObject.of(type, ObjectMeta.of(NS, name))
                .withAt("spec.selector", Map.of("matchLabels", labels))
                .withAt("spec.template", PodTemplateSpec.of(ObjectMeta.builder().labels(labels).build(),
                        PodSpec.of(Container.of("c", image))));
    }

    /** Writes (ADDED, MODIFIED, DELETED) of pods, claims and the workloads themselves, seen through informers. */
    private static final class WriteCounter {
        final AtomicInteger pods = new AtomicInteger();
        final AtomicInteger claims = new AtomicInteger();
        final AtomicInteger workloads = new AtomicInteger();
        private final SharedInformerFactory informers;

        WriteCounter(KubeClient client) throws InterruptedException {
            informers = new SharedInformerFactory(client);
            count(ResourceTypes.POD, pods);
            count(ResourceTypes.PERSISTENT_VOLUME_CLAIM, claims);
            count(ResourceTypes.STATEFUL_SET, workloads);
            count(ResourceTypes.DAEMON_SET, workloads);
            informers.start();
            informers.awaitCacheSync(Duration.ofMinutes(1));
        }

        private <T extends KubeObject> void count(ResourceType<T> type, AtomicInteger counter) {
            informers.informerFor(type).addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(T object, boolean initial) {
                    counter.incrementAndGet();
                }

                @Override
                public void onUpdate(T before, T after) {
                    if (before != after) {
                        counter.incrementAndGet();
                    }
                }

                @Override
                public void onDelete(T object, boolean finalStateUnknown) {
                    counter.incrementAndGet();
                }
            });
        }

        void reset() {
            pods.set(0);
            claims.set(0);
            workloads.set(0);
        }

        void stop() {
            informers.stop();
        }

        @Override
        public String toString() {
            return pods + " pod, " + claims + " claim, " + workloads + " workload";
        }
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + TIMEOUT + " waiting for " + what);
            }
            Thread.sleep(50); // polling interval of a measurement loop, not synchronisation of the system under test
        }
    }
}
