package io.kardia.benchmarks.workload;

import io.kardia.benchmarks.controlplane.RequestCounter;
import io.kardia.controllers.workload.WorkloadControllers;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Json;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Container;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.DeploymentSpec;
import io.kardia.core.model.LabelSelector;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodStatus;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Result;
import io.kardia.store.ReferenceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * End-to-end rollout cost of the workload controllers on the in-process reference store, with a
 * simulated kubelet (its own manager and client) marking every pod Running and Ready at once:
 * <ol>
 *   <li>a Deployment from 0 to {@code replicas} available;</li>
 *   <li>a rolling update of it (25%/25%) until {@code kubectl rollout status} would finish;</li>
 *   <li>{@code deployments} Deployments × 5 replicas created at once, until all are available.</li>
 * </ol>
 * For each: wall time and the API writes of the controllers' manager (the kubelet's are not
 * counted). Arguments: {@code replicas=1000 deployments=200}.
 */
public final class RolloutBenchmark {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private RolloutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int replicas = 1000;
        int deployments = 200;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "replicas" -> replicas = Integer.parseInt(kv[1]);
                case "deployments" -> deployments = Integer.parseInt(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + a + "; use replicas= deployments=");
            }
        }
        try (ReferenceStore store = ReferenceStore.inMemory()) {
            KubeClient api = store.client();
            api.resources(Namespace.class).create(Namespace.named("bench"));
            RequestCounter counted = new RequestCounter(store.client());
            try (Manager controllers = Manager.builder(counted).build();
                 Manager kubelet = Manager.builder(store.client()).build()) {
                WorkloadControllers.register(controllers);
                ResourceClient<Pod> kubeletPods = kubelet.apiClient().resources(Pod.class);
                kubelet.newController().forKind(Pod.class).named("simulated-kubelet").maxConcurrentReconciles(8)
                        .complete(pod -> {
                            if (!pod.ready() && pod.metadata().deletionTimestamp() == null) {
                                kubeletPods.updateStatus(ready(pod));
                            }
                            return Result.done();
                        });
                kubelet.start();
                controllers.start();
                ResourceClient<Deployment> deploys = api.resources(Deployment.class);

                counted.reset();
                long t0 = System.nanoTime();
                deploys.create(deployment("big", replicas, "app:1"));
                await(deploys, "big", d -> rolledOut(d) && Objects.equals(d.status().availableReplicas(), d.spec().replicas()));
                report("0 -> " + replicas + " available", t0, counted);

                counted.reset();
                t0 = System.nanoTime();
                Deployment d = deploys.get("bench", "big");
                deploys.update(withImage(d, "app:2"));
                await(deploys, "big", x -> rolledOut(x) && "app:2".equals(image(x)));
                report("rolling update of " + replicas, t0, counted);

                deploys.delete("bench", "big");
                awaitPods(api, 0);

                counted.reset();
                t0 = System.nanoTime();
                for (int i = 0; i < deployments; i++) {
                    deploys.create(deployment("small-" + i, 5, "app:1"));
                }
                int n = deployments;
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (deploys.list("bench").items().stream().filter(RolloutBenchmark::rolledOut).count() < n) {
                    check(deadline, n + " deployments to be available");
                    Thread.sleep(20); // polling interval of a measurement loop, not synchronisation of the system under test
                }
                report(deployments + " deployments x 5 available", t0, counted);
            }
        }
    }

    private static void report(String what, long t0, RequestCounter counted) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-36s %8.2f s   %6d API writes  %s%n", what, seconds, counted.writes(), counted.snapshot());
    }

    static boolean rolledOut(Deployment d) {
        var s = d.status();
        int want = d.spec().desiredReplicas();
        return s != null && s.observedGeneration() != null && s.observedGeneration() >= d.metadata().generation()
                && Objects.equals(s.updatedReplicas(), want) && Objects.equals(s.replicas(), want)
                && Objects.equals(s.availableReplicas(), want);
    }

    private static void await(ResourceClient<Deployment> deploys, String name, Predicate<Deployment> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!done.test(deploys.get("bench", name))) {
            check(deadline, name + " to roll out");
            Thread.sleep(10); // polling interval of a measurement loop
        }
    }

    private static void awaitPods(KubeClient api, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (api.resources(Pod.class).list("bench").items().size() != count) {
            check(deadline, count + " pods");
            Thread.sleep(20);
        }
    }

    private static void check(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out after " + TIMEOUT + " waiting for " + what);
        }
    }

    private static Deployment deployment(String name, int replicas, String image) {
        Map<String, String> labels = Map.of("app", name);
        return Deployment.of(ObjectMeta.of("bench", name), DeploymentSpec.of(replicas, LabelSelector.of(labels),
                PodTemplateSpec.of(ObjectMeta.builder().labels(labels).build(), PodSpec.of(Container.of("app", image)))));
    }

    private static String image(Deployment d) {
        return d.spec().template().spec().containers().get(0).image();
    }

    private static Deployment withImage(Deployment d, String image) {
        var t = d.spec().template();
        Container c = Json.fromTree(Json.toTree(t.spec().containers().get(0)).put("image", image), Container.class);
        return d.withSpec(d.spec().withTemplate(t.withSpec(t.spec().withContainers(List.of(c)))));
    }

    private static Pod ready(Pod pod) {
        Instant now = Instant.now();
        PodStatus base = pod.status() == null ? PodStatus.ofPhase(PodStatus.RUNNING) : pod.status();
        return pod.withStatus(base.withPhase(PodStatus.RUNNING)
                .withCondition(Condition.of("Ready", Condition.TRUE, null, null, now), now));
    }
}
