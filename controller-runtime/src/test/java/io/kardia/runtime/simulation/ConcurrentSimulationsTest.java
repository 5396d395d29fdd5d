package io.kardia.runtime.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Simulations that run side by side in one JVM (JUnit's parallel execution, a benchmark's threads)
 * must not change each other's steps: a seed's trace is the same as when it runs alone.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrentSimulationsTest {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConcurrentSimulationsTest.class);
    private static final long SEED = 5;
    private static final int SIDE_BY_SIDE = 3;

    /** A controller that keeps one ConfigMap per namespace in step with it, under every fault, logging as it goes. */
    private static long fingerprint(long seed) {
        try (Simulation sim = Simulation.builder(seed).faults(Faults.all().withWriteErrors(0)).maxSteps(200_000).build()) {
            sim.startManager("mirror", ConcurrentSimulationsTest::registerMirror);
            sim.run("create namespaces", () -> {
                for (int i = 0; i < 4; i++) {
                    sim.client().resources(Namespace.class).create(Namespace.named("ns-" + i));
                }
            });
            sim.runFor(Duration.ofMinutes(1));
            sim.stopFaults();
            sim.runUntil("every namespace has its mirror", () -> sim.store().client().resources(ConfigMap.class)
                    .list(null).items().stream().filter(c -> c.metadata().name().equals("mirror")).count() == 4,
                    Duration.ofMinutes(10));
            return sim.trace().fingerprint();
        }
    }

    private static void registerMirror(Manager m) {
        var live = m.apiClient().resources(ConfigMap.class);
        m.newController().forKind(Namespace.class).named("mirror")
                .watches(ConfigMap.class, cm -> List.of(new Request(null, cm.metadata().namespace())))
                .complete(ns -> {
                    if (!ns.metadata().name().startsWith("ns-")) {
                        return Result.done();
                    }
                    log.info("reconciling namespace {}", ns.metadata().name()); // output is what simulations share
                    if (live.find(ns.metadata().name(), "mirror").isEmpty()) {
                        live.create(ConfigMap.of(ObjectMeta.of(ns.metadata().name(), "mirror"),
                                Map.of("namespace", ns.metadata().name())));
                    }
                    return Result.requeueAfter(Duration.ofSeconds(2));
                });
    }

    /**
     * Each simulation logs as it goes, and log output is what simulations in one JVM share:
     * slf4j-simple writes under one JVM-wide monitor, and outside surefire System.err is a plain
     * PrintStream, whose lock is a j.u.c. lock. A thread that found either held by another
     * simulation's thread used to give up after 20 ms of real time (or park) and take another step
     * when the holder let go, so the seed's trace depended on the other simulation's timing. Both
     * streams are run here.
     */
    @Test
    void simulationsOfOneSeedSideBySideTakeTheStepsItTakesAlone() throws Exception {
        long alone = fingerprint(SEED);
        assertThat(fingerprint(SEED)).as("one after another").isEqualTo(alone);
        ExecutorService threads = Executors.newFixedThreadPool(SIDE_BY_SIDE);
        PrintStream surefires = System.err;
        try {
            assertSideBySide(threads, alone, "surefire's System.err");
            System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
            assertSideBySide(threads, alone, "a plain PrintStream as System.err");
        } finally {
            System.setErr(surefires);
            threads.shutdownNow();
        }
    }

    private static void assertSideBySide(ExecutorService threads, long alone, String output) throws Exception {
        CyclicBarrier start = new CyclicBarrier(SIDE_BY_SIDE);
        List<Future<Long>> runs = new ArrayList<>();
        for (int i = 0; i < SIDE_BY_SIDE; i++) {
            runs.add(threads.submit(() -> {
                start.await();
                return fingerprint(SEED);
            }));
        }
        for (Future<Long> run : runs) {
            assertThat(run.get()).as("seed " + SEED + " beside " + (SIDE_BY_SIDE - 1) + " others, logging to " + output)
                    .isEqualTo(alone);
        }
    }
}
