package io.kardia.benchmarks.workload;

import io.kardia.controllers.workload.WorkloadControllers;
import io.kardia.core.client.KubeApiException;
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
import io.kardia.runtime.simulation.Faults;
import io.kardia.runtime.simulation.Simulation;
import io.kardia.store.ReferenceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Issue 19's measurement: many seeds of a Deployment rollout of {@code replicas} pods under
 * deterministic simulation (faults on), and the same rollout with real threads, to show what
 * simulation mode costs. Each run creates the Deployment, waits until it is available, rolls out
 * a new image and waits until the rollout completes (in simulation, faults stop one virtual
 * minute into the rollout, as "eventually, once faults stop" properties need).
 * Arguments: {@code seeds=200 replicas=100 faults=all|none real=5 jvms=1} ({@code jvms}: the seeds are
 * spread over that many child JVMs run side by side; each seed's trace stays what it is alone). Needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} and JDK 25 for the simulation.
 */
public final class SimulationBenchmark {
    private static final Map<String, String> LABELS = Map.of("app", "web");

    private SimulationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seeds = 200;
        int replicas = 100;
        int realRuns = 5;
        int jvms = 1;
        boolean faults = true;
        String slice = null;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "seeds" -> seeds = Integer.parseInt(kv[1]);
                case "replicas" -> replicas = Integer.parseInt(kv[1]);
                case "real" -> realRuns = Integer.parseInt(kv[1]);
                case "faults" -> faults = kv[1].equals("all");
                case "jvms" -> jvms = Integer.parseInt(kv[1]);
                case "slice" -> slice = kv[1];
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + "; use seeds= replicas= faults= real= jvms=");
            }
        }
        if (slice != null) {
            // a child JVM: its share of the seeds, one result line per seed, for the parent to add up
            String[] kn = slice.split("/", 2);
            runSlice(seeds, Integer.parseInt(kn[0]), Integer.parseInt(kn[1]), replicas, faults, System.out::println);
            System.exit(0);
        }
        long t0 = System.nanoTime();
        List<SeedResult> results = jvms <= 1 ? runSeeds(1, seeds, replicas, faults) : runInJvms(seeds, replicas, faults, jvms);
        double simSeconds = (System.nanoTime() - t0) / 1e9;
        long steps = 0;
        long virtualNanos = 0;
        int failed = 0;
        for (SeedResult r : results) {
            steps += r.steps();
            virtualNanos += r.virtualNanos();
            if (r.failure() != null) {
                failed++;
                System.out.println("seed " + r.seed() + " failed: " + r.failure());
            }
        }
        System.out.printf("simulation: %d seeds of a %d-replica rollout (faults %s) in %d JVM(s): %.1f s wall, "
                        + "%.0f ms per seed, %d steps (%.0f steps/s), %.0f s of virtual time per seed, %d failed%n",
                seeds, replicas, faults ? "all" : "none", Math.max(1, jvms), simSeconds, simSeconds * 1000 / seeds, steps,
                steps / simSeconds, virtualNanos / 1e9 / seeds, failed);
        if (realRuns > 0) {
            long r0 = System.nanoTime();
            for (int i = 0; i < realRuns; i++) {
                realRollout(replicas);
            }
            double realSeconds = (System.nanoTime() - r0) / 1e9;
            System.out.printf("real threads: %d runs of the same rollout (no faults): %.1f s wall, %.0f ms per run%n",
                    realRuns, realSeconds, realSeconds * 1000 / realRuns);
        }
        System.exit(failed == 0 && results.size() == seeds ? 0 : 1);
    }

    /** One seed's outcome: its steps, virtual time, trace fingerprint, and the failure (null when it passed). */
    record SeedResult(long seed, long steps, long virtualNanos, long fingerprint, String failure) {
        private static final String PREFIX = "seed-result ";

        String line() {
            return PREFIX + seed + " " + steps + " " + virtualNanos + " " + fingerprint + " "
                    + (failure == null ? "-" : failure.lines().limit(3).collect(java.util.stream.Collectors.joining(" | ")));
        }

        static java.util.Optional<SeedResult> parse(String line) {
            if (!line.startsWith(PREFIX)) {
                return java.util.Optional.empty();
            }
            String[] f = line.substring(PREFIX.length()).split(" ", 5);
            return java.util.Optional.of(new SeedResult(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    Long.parseLong(f[3]), f[4].equals("-") ? null : f[4]));
        }
    }

    /** Seeds {@code first..last}, one after another in this JVM. */
    static List<SeedResult> runSeeds(long first, long last, int replicas, boolean faults) {
        List<SeedResult> out = new ArrayList<>();
        for (long seed = first; seed <= last; seed++) {
            out.add(runSeed(seed, replicas, faults));
        }
        return out;
    }

    /** Child {@code k} of {@code n}: seeds k+1, k+1+n, k+1+2n... of 1..seeds, one after another. */
    private static void runSlice(int seeds, int k, int n, int replicas, boolean faults, java.util.function.Consumer<String> out) {
        for (long seed = k + 1; seed <= seeds; seed += n) {
            out.accept(runSeed(seed, replicas, faults).line());
        }
    }

    /**
     * Seeds 1..seeds spread over {@code jvms} child JVMs run side by side (same JVM options and class
     * path as this one), results in seed order. Separate processes, so that each has its own heap
     * and collector; a seed's trace does not depend on what else runs on the machine
     * (SimulationBenchmarkTest checks both ways give the same fingerprints), nor, since their shared
     * log lock no longer ties them, on simulations beside it in one JVM (ConcurrentSimulationsTest).
     */
    static List<SeedResult> runInJvms(int seeds, int replicas, boolean faults, int jvms) throws Exception {
        String launcher = ProcessHandle.current().info().command().orElse("java");
        List<Process> children = new ArrayList<>();
        for (int k = 0; k < jvms; k++) {
            List<String> cmd = new ArrayList<>();
            cmd.add(launcher);
            cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(o -> !o.startsWith("-XX:StartFlightRecording") && !o.startsWith("-agentlib:jdwp")).toList());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SimulationBenchmark.class.getName(),
                    "seeds=" + seeds, "replicas=" + replicas, "faults=" + (faults ? "all" : "none"), "slice=" + k + "/" + jvms));
            children.add(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        }
        Map<Long, SeedResult> bySeed = new TreeMap<>();
        for (Process p : children) {
            try (var lines = p.inputReader().lines()) {
                lines.map(SeedResult::parse).flatMap(java.util.Optional::stream).forEach(r -> bySeed.put(r.seed(), r));
            }
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IllegalStateException("a child JVM of the benchmark ended with exit code " + rc);
            }
        }
        return new ArrayList<>(bySeed.values());
    }

    static SeedResult runSeed(long seed, int replicas, boolean faults) {
        try (Simulation sim = Simulation.builder(seed).faults(faults ? Faults.all() : Faults.none())
                .maxSteps(5_000_000).build()) {
            String failure = null;
            try {
                simulatedRollout(sim, replicas);
            } catch (RuntimeException e) {
                failure = String.valueOf(e.getMessage());
            }
            return new SeedResult(seed, sim.steps(), sim.clock().elapsed().toNanos(), sim.trace().fingerprint(), failure);
        }
    }

    private static void simulatedRollout(Simulation sim, int replicas) {
        sim.startManager("controllers", m -> {
            WorkloadControllers.register(m);
            kubelet(m, () -> sim.clock().wallClock().instant());
        });
        ResourceClient<Deployment> deployments = sim.client().resources(Deployment.class);
        sim.run("create", () -> {
            sim.client().resources(Namespace.class).create(Namespace.named("ns"));
            deployments.create(deployment(replicas, "app:1"));
        });
        sim.runUntil("available", () -> rolledOut(sim.store().client(), replicas, "app:1"), Duration.ofHours(1));
        sim.run("roll out app:2", () -> edit(deployments, "app:2"));
        sim.runFor(Duration.ofMinutes(1));
        sim.stopFaults();
        sim.runUntil("rolled out", () -> rolledOut(sim.store().client(), replicas, "app:2"), Duration.ofHours(1));
    }

    private static void realRollout(int replicas) throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory()) {
            KubeClient api = store.client();
            api.resources(Namespace.class).create(Namespace.named("ns"));
            try (Manager m = Manager.builder(store.client()).build()) {
                WorkloadControllers.register(m);
                kubelet(m, () -> Clock.systemUTC().instant());
                m.start();
                ResourceClient<Deployment> deployments = api.resources(Deployment.class);
                deployments.create(deployment(replicas, "app:1"));
                await(() -> rolledOut(api, replicas, "app:1"));
                edit(deployments, "app:2");
                await(() -> rolledOut(api, replicas, "app:2"));
            }
        }
    }

    private static void await(Supplier<Boolean> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!done.get()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the real-thread rollout did not complete within 5 minutes");
            }
            Thread.sleep(5); // polling interval of a measurement loop, not synchronisation of the system under test
        }
    }

    /** A stand-in kubelet: every pod Running and Ready at once. */
    private static void kubelet(Manager m, Supplier<Instant> now) {
        ResourceClient<Pod> pods = m.apiClient().resources(Pod.class);
        m.newController().forKind(Pod.class).named("kubelet").maxConcurrentReconciles(4).complete(pod -> {
            if (!pod.ready() && pod.metadata().deletionTimestamp() == null) {
                Instant t = now.get().truncatedTo(ChronoUnit.SECONDS);
                PodStatus base = pod.status() == null ? PodStatus.ofPhase(PodStatus.RUNNING) : pod.status();
                pods.updateStatus(pod.withStatus(base.withPhase(PodStatus.RUNNING)
                        .withCondition(Condition.of("Ready", Condition.TRUE, null, null, t), t)));
            }
            return Result.done();
        });
    }

    private static Deployment deployment(int replicas, String image) {
        return Deployment.of(ObjectMeta.of("ns", "web"), DeploymentSpec.of(replicas, LabelSelector.of(LABELS),
                PodTemplateSpec.of(ObjectMeta.builder().labels(LABELS).build(), PodSpec.of(Container.of("app", image)))));
    }

    private static void edit(ResourceClient<Deployment> deployments, String image) {
        for (int attempt = 0; ; attempt++) {
            Deployment d = deployments.get("ns", "web");
            var t = d.spec().template();
            Container c = Json.fromTree(Json.toTree(t.spec().containers().get(0)).put("image", image), Container.class);
            try {
                deployments.update(d.withSpec(d.spec().withTemplate(t.withSpec(t.spec().withContainers(List.of(c))))));
                return;
            } catch (KubeApiException.ConflictException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private static boolean rolledOut(KubeClient api, int replicas, String image) {
        Deployment d = api.resources(Deployment.class).find("ns", "web").orElse(null);
        if (d == null || d.status() == null) {
            return false;
        }
        var s = d.status();
        if (!(Objects.equals(s.observedGeneration(), d.metadata().generation())
                && Objects.equals(s.updatedReplicas(), replicas) && Objects.equals(s.availableReplicas(), replicas)
                && Objects.equals(s.replicas(), replicas))) {
            return false; // checked after every step: the pods are listed only once the status says done
        }
        List<Pod> pods = api.resources(Pod.class).list("ns").items().stream()
                .filter(p -> p.metadata().deletionTimestamp() == null).toList();
        return pods.size() == replicas && pods.stream().allMatch(p -> p.spec().containers().get(0).image().equals(image));
    }
}
