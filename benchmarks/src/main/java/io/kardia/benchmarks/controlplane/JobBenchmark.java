package io.kardia.benchmarks.controlplane;

import io.kardia.controllers.ControllerManager;
import io.kardia.controllers.node.NodeLifecycleOptions;
import io.kardia.controllers.scheduler.SchedulerOptions;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.Container;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
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

/**
 * A Job of {@code completions} pods, {@code parallelism} at a time, on {@code nodes} simulated
 * nodes whose Job pods run for {@code runMillis} (after the nodes' 0.5 s startup delay), on the
 * whole control plane in one process: time from create to Complete, the most pods active at once,
 * and the API writes it took — pod writes (each create, status, patch, delete seen by a watch), Job
 * status writes, and every write to the store (its revision), per pod. The controller manager
 * talks HTTP to the store through a client limited to {@code qps}/{@code burst}
 * ({@link RateLimitedApi}); its requests are counted and set against the time they take at that
 * limit, the measure. The simulated nodes (kubelets, with clients of their own) use the
 * in-process client. Arguments: {@code nodes=50 completions=1000 parallelism=100 runMillis=1000
 * qps=50 burst=100}.
 */
public final class JobBenchmark {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private JobBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nodeCount = 50;
        int completions = 1000;
        int parallelism = 100;
        int runMillis = 1000;
        double qps = ClientConfig.DEFAULT_QPS;
        int burst = ClientConfig.DEFAULT_BURST;
        boolean protobuf = true; // the client's default, as the quiet rows ran
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "nodes" -> nodeCount = Integer.parseInt(kv[1]);
                case "completions" -> completions = Integer.parseInt(kv[1]);
                case "parallelism" -> parallelism = Integer.parseInt(kv[1]);
                case "runMillis" -> runMillis = Integer.parseInt(kv[1]);
                case "qps" -> qps = Double.parseDouble(kv[1]);
                case "burst" -> burst = Integer.parseInt(kv[1]);
                case "protobuf" -> protobuf = Boolean.parseBoolean(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + "; use nodes= completions= parallelism= runMillis= qps= burst= protobuf=");
            }
        }
        try (ReferenceStore store = ReferenceStore.inMemory();
             RateLimitedApi controllerApi = new RateLimitedApi(store, qps, burst, protobuf)) {
            KubeClient api = store.client();
            api.resources(Namespace.class).create(Namespace.named("bench"));
            SimulatedNodeOptions nodeOptions = SimulatedNodeOptions.defaults().withZones(3)
                    .withJobPodRunTime(Duration.ofMillis(runMillis));
            try (SimulatedNodes nodes = new SimulatedNodes(store.client(), SimulatedNodes.names("node", nodeCount),
                    nodeOptions)) {
                nodes.start();
                Manager manager = ControllerManager.start(controllerApi.client(), NodeLifecycleOptions.defaults(),
                        SchedulerOptions.defaults(), false);
                SharedInformerFactory observer = new SharedInformerFactory(store.client());
                try {
                    AtomicInteger podWrites = new AtomicInteger();
                    AtomicInteger jobWrites = new AtomicInteger();
                    AtomicInteger active = new AtomicInteger();
                    AtomicInteger mostActive = new AtomicInteger();
                    observer.informerFor(Pod.class).addEventHandler(counting(podWrites));
                    observer.informerFor(ResourceTypes.JOB).addEventHandler(new ResourceEventHandler<>() {
                        @Override
                        public void onUpdate(GenericObject before, GenericObject after) {
                            jobWrites.incrementAndGet();
                            int a = after.at("status.active", Integer.class).orElse(0);
                            active.set(a);
                            mostActive.accumulateAndGet(a, Math::max);
                        }
                    });
                    observer.start();
                    observer.awaitCacheSync(Duration.ofMinutes(1));
                    long rev0 = revision(api);
                    controllerApi.client().reset();
                    long t0 = System.nanoTime();
                    ResourceClient<GenericObject> jobs = api.resources(ResourceTypes.JOB);
                    jobs.create(job(completions, parallelism));
                    long deadline = t0 + TIMEOUT.toNanos();
                    while (!complete(jobs.get("bench", "batch"))) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("the Job did not complete within " + TIMEOUT);
                        }
                        Thread.sleep(50); // polling interval of a measurement loop, not synchronisation
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    long writes = revision(api) - rev0;
                    GenericObject done = jobs.get("bench", "batch");
                    int waves = (completions + parallelism - 1) / parallelism;
                    double floor = waves * (nodeOptions.podStartupDelay().toMillis() + runMillis) / 1000.0;
                    System.out.printf("Job of %d completions, parallelism %d, on %d nodes: Complete in %.2f s "
                                    + "(floor %d waves x (%d ms start + %d ms run) = %.1f s); succeeded %d, failed %d; "
                                    + "most active at once (status) %d%n",
                            completions, parallelism, nodeCount, seconds, waves, nodeOptions.podStartupDelay().toMillis(),
                            runMillis, floor, done.at("status.succeeded", Integer.class).orElse(0),
                            done.at("status.failed", Integer.class).orElse(0), mostActive.get());
                    System.out.printf("API writes: pods %d (%.2f per pod), Job status %d (%.3f per pod), all writes "
                                    + "to the store %d (%.2f per pod, node leases and events included)%n",
                            podWrites.get(), podWrites.get() / (double) completions, jobWrites.get(),
                            jobWrites.get() / (double) completions, writes, writes / (double) completions);
                    System.out.println(controllerApi.report(seconds));
                } finally {
                    observer.stop();
                    manager.close();
                }
            }
        }
    }

    private static <T extends KubeObject> ResourceEventHandler<T> counting(AtomicInteger writes) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj, boolean isInInitialList) {
                writes.incrementAndGet();
            }

            @Override
            public void onUpdate(T before, T after) {
                writes.incrementAndGet();
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                writes.incrementAndGet();
            }
        };
    }

    private static long revision(KubeClient api) {
        return Long.parseLong(api.resources(Namespace.class).list(null).resourceVersion());
    }

    private static boolean complete(GenericObject job) {
        for (Object o : job.at("status.conditions", List.class).orElse(List.of())) {
            if (o instanceof Map<?, ?> c && "Complete".equals(c.get("type")) && "True".equals(c.get("status"))) {
                return true;
            }
        }
        return false;
    }

    private static GenericObject job(int completions, int parallelism) {
        PodTemplateSpec template = PodTemplateSpec.of(ObjectMeta.builder().build(),
                PodSpec.builder().container(Container.of("work", "busybox")).restartPolicy("Never").build());
        return GenericObject.of(ResourceTypes.JOB, ObjectMeta.of("bench", "batch"))
                .withAt("spec.template", template)
                .withAt("spec.completions", completions)
                .withAt("spec.parallelism", parallelism)
                .withAt("spec.backoffLimit", 0);
    }
}
