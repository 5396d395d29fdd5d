package io.kardia.runtime.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The simulation kit on its own: bad reconcilers are reported, failures shrink and replay. */
// A step that never waits cannot be stopped: time out on a thread of its own rather than hang the build.
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SimulationTest {

    private static void createNamespace(Simulation sim) {
        sim.run("create namespace ns", () -> sim.client().resources(Namespace.class).create(Namespace.named("ns")));
    }

    @Test
    void aReconcilerThatSleepsIsReportedWithItsStackInsteadOfHanging() {
        try (Simulation sim = Simulation.builder(1).build()) {
            sim.startManager("sleepy", m -> m.newController().forKind(Namespace.class).named("sleepy").complete(ns -> {
                Thread.sleep(Duration.ofSeconds(30));
                return Result.done();
            }));
            assertThatThrownBy(() -> {
                createNamespace(sim);
                sim.runFor(Duration.ofMinutes(5));
            }).isInstanceOf(SimulationFailure.class)
                    .hasMessageContaining("called Thread.sleep")
                    .hasMessageContaining("Result.requeueAfter")
                    .hasMessageContaining("SimulationTest")
                    .hasMessageContaining("replay: Simulation.builder(1L)");
        }
    }

    @Test
    void aPropertyThatNeverHoldsFailsWithTheLastStepsOfTheTrace() {
        try (Simulation sim = Simulation.builder(2).build()) {
            sim.startManager("idle", m -> m.newController().forKind(Namespace.class).named("idle")
                    .complete(ns -> Result.requeueAfter(Duration.ofMinutes(1))));
            createNamespace(sim);
            assertThatThrownBy(() -> sim.runUntil("namespace gone", () -> false, Duration.ofMinutes(10)))
                    .isInstanceOf(SimulationFailure.class)
                    .hasMessageContaining("property 'namespace gone' did not hold within PT10M")
                    .hasMessageContaining("last steps:")
                    .hasMessageContaining("controller-idle-worker-0");
        }
    }

    @Test
    void aStepBudgetStopsALivelock() {
        try (Simulation sim = Simulation.builder(3).maxSteps(500).build()) {
            sim.startManager("busy", m -> m.newController().forKind(Namespace.class).named("busy")
                    .complete(ns -> Result.requeue()));
            assertThatThrownBy(() -> {
                createNamespace(sim);
                sim.runUntil("never", () -> false, Duration.ofDays(36_500));
            }).isInstanceOf(SimulationFailure.class).hasMessageContaining("step budget of 500 steps");
        }
    }

    /**
     * A crash kills the manager: a reconcile in flight (here waiting 3 s of virtual time before it
     * writes, well within a graceful stop's 5 s drain) never lands its write, while the manager
     * started in its place lists the store afresh and writes.
     */
    @Test
    void aCrashedManagersReconcileInFlightNeverWritesAfterTheCrash() {
        long first = crashScenario();
        assertThat(crashScenario()).as("the same seed, the same steps, crash included").isEqualTo(first);
    }

    /** Crashes a manager whose reconcile is in flight; returns the trace's fingerprint. */
    private static long crashScenario() {
        try (Simulation sim = Simulation.builder(4).build()) {
            java.util.concurrent.atomic.AtomicInteger incarnations = new java.util.concurrent.atomic.AtomicInteger();
            AtomicBoolean waiting = new AtomicBoolean();
            sim.startManager("slow", m -> {
                int incarnation = incarnations.incrementAndGet();
                var api = m.apiClient().resources(ConfigMap.class);
                m.newController().forKind(Namespace.class).named("slow").complete(ns -> {
                    if (ns.metadata().name().equals("ns")) {
                        waiting.set(true);
                        sim.clock().sleep(Duration.ofSeconds(3));
                        api.create(ConfigMap.of(ObjectMeta.of("ns", "from-" + incarnation), Map.of()));
                    }
                    return Result.done();
                });
            });
            createNamespace(sim);
            sim.runUntil("the first manager's reconcile waits", waiting::get, Duration.ofMinutes(1));
            sim.restartManager("slow");
            sim.runUntil("the new manager writes", () -> configMap(sim, "from-2"), Duration.ofMinutes(1));
            sim.runFor(Duration.ofMinutes(1));
            assertThat(configMap(sim, "from-1")).as("the crashed manager's write").isFalse();
            return sim.trace().fingerprint();
        }
    }

    /**
     * A reconcile that writes through the test's client (not its manager's) would bypass the
     * manager's link, so its write would survive a crash: the write is refused and the run fails,
     * naming the fix, even though the reconciler swallows the exception.
     */
    @Test
    void aReconcileThatWritesThroughTheTestsClientFailsTheRunNamingTheManagersClient() {
        try (Simulation sim = Simulation.builder(5).build()) {
            AtomicBoolean refused = new AtomicBoolean();
            sim.startManager("bypassing", m -> m.newController().forKind(Namespace.class).named("bypassing").complete(ns -> {
                try {
                    sim.client().resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of("ns", "bypass"), Map.of()));
                } catch (WriteBypassesManagerException e) {
                    refused.set(true);
                }
                return Result.done();
            }));
            assertThatThrownBy(() -> {
                createNamespace(sim);
                sim.runFor(Duration.ofMinutes(1));
            }).isInstanceOf(SimulationFailure.class)
                    .hasMessageContaining("of manager bypassing wrote through sim.client() (create configmaps ns/bypass)")
                    .hasMessageContaining("manager.apiClient()")
                    .hasMessageContaining("replay: Simulation.builder(5L)")
                    .hasCauseInstanceOf(WriteBypassesManagerException.class);
            assertThat(refused).as("the write was refused on the reconcile's thread").isTrue();
            assertThat(configMap(sim, "bypass")).as("the refused write").isFalse();
        }
    }

    /** The test's client may still be read from a reconcile (a test wrapper observing the store), and written from the test's tasks. */
    @Test
    void aReconcileMayReadThroughTheTestsClient() {
        try (Simulation sim = Simulation.builder(6).build()) {
            AtomicBoolean sawIt = new AtomicBoolean();
            sim.startManager("reading", m -> m.newController().forKind(Namespace.class).named("reading").complete(ns -> {
                sawIt.compareAndSet(false, sim.client().resources(Namespace.class).find(null, ns.metadata().name()).isPresent());
                return Result.done();
            }));
            createNamespace(sim);
            sim.runUntil("the reconcile read the namespace", sawIt::get, Duration.ofMinutes(1));
        }
    }

    /**
     * A graceful stop waits for in-flight reconciles up to its drain deadline on the manager's
     * clock: here 5 s pass in virtual time, then the reconcile that would wait an hour is
     * interrupted (a drain on real time re-parked after each virtual wake-up and was reported).
     */
    @Test
    void aGracefulStopDrainsForItsDeadlineInVirtualTimeThenInterrupts() {
        try (Simulation sim = Simulation.builder(5).build()) {
            AtomicBoolean waiting = new AtomicBoolean();
            AtomicBoolean interrupted = new AtomicBoolean();
            Manager m = sim.startManager("stubborn", mgr -> mgr.newController().forKind(Namespace.class).named("stubborn")
                    .complete(ns -> {
                        if (ns.metadata().name().equals("ns")) {
                            waiting.set(true);
                            try {
                                sim.clock().sleep(Duration.ofHours(1));
                            } catch (InterruptedException e) {
                                interrupted.set(true);
                                throw e;
                            }
                        }
                        return Result.done();
                    }));
            createNamespace(sim);
            sim.runUntil("the reconcile waits", waiting::get, Duration.ofMinutes(1));
            long before = sim.clock().nanoTime();
            sim.stopManager(m);
            assertThat(interrupted).as("the reconcile was interrupted at the drain deadline").isTrue();
            assertThat(Duration.ofNanos(sim.clock().nanoTime() - before))
                    .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(30));
        }
    }

    private static boolean configMap(Simulation sim, String name) {
        return sim.store().client().resources(ConfigMap.class).find("ns", name).isPresent();
    }

    /**
     * A reconciler that keeps one child ConfigMap per namespace, but reads only its cache before
     * creating: when a create's answer is lost (applied, then a 5xx) its retry creates a second.
     */
    private static void childScenario(Simulation sim) {
        sim.startManager("children", m -> registerChildren(m));
        sim.invariant("at most one child ConfigMap", () -> children(sim).size() <= 1);
        createNamespace(sim);
        sim.runFor(Duration.ofMinutes(2));
        sim.stopFaults();
        sim.runUntil("one child", () -> children(sim).size() == 1, Duration.ofMinutes(5));
    }

    private static void registerChildren(Manager m) {
        var api = m.apiClient().resources(ConfigMap.class);
        m.newController().forKind(Namespace.class).named("children")
                .watches(ConfigMap.class, cm -> List.of(new Request(null, cm.metadata().namespace())))
                .complete(ns -> {
                    if (!ns.metadata().name().equals("ns")) {
                        return Result.done();
                    }
                    boolean exists = m.client().resources(ConfigMap.class).list("ns").items().stream()
                            .anyMatch(c -> c.metadata().name().startsWith("child-"));
                    if (!exists) {
                        api.create(ConfigMap.of(ObjectMeta.builder().namespace("ns").generateName("child-").build(),
                                Map.of("k", "v")));
                    }
                    return Result.done();
                });
    }

    private static List<ConfigMap> children(Simulation sim) {
        return sim.store().client().resources(ConfigMap.class).list("ns").items().stream()
                .filter(c -> c.metadata().name().startsWith("child-")).toList();
    }

    @Test
    void withoutFaultsTheChildReconcilerHolds() {
        Explorer.seeds(1, 5).run(SimulationTest::childScenario);
    }

    @Test
    void lostAnswersBreakTheChildReconcilerAndTheFailureShrinksAndReplays() {
        // Lost answers alone do not do it: a retry's back-off only fires once the informer is idle,
        // i.e. has the created child. Delayed watch events make the cache stale when the retry runs.
        Faults lostAnswers = Faults.none().withWriteErrors(0.5).withMaxEventDelay(Duration.ofSeconds(1));
        SimulationFailure failure = null;
        try {
            Explorer.seeds(1, 30).faults(lostAnswers).shrinkRuns(10).run(SimulationTest::childScenario);
        } catch (SimulationFailure f) {
            failure = f;
        }
        assertThat(failure).as("30 seeds with half the writes failing find the duplicate").isNotNull();
        assertThat(failure.getMessage())
                .contains("invariant 'at most one child ConfigMap' broke")
                .contains("replay: Simulation.builder(" + failure.seed() + "L)")
                .contains("fault #")
                .contains("transient 5xx on create configmaps ns/child-*");
        // The replay is deterministic: the same seed fails again the same way.
        long seed = failure.seed();
        assertThatThrownBy(() -> Explorer.seeds(seed, 1).faults(lostAnswers).shrinkRuns(0).run(SimulationTest::childScenario))
                .isInstanceOf(SimulationFailure.class)
                .hasMessageContaining("invariant 'at most one child ConfigMap' broke");
    }

    /** Delete collection goes through the fault hook as every other write does (WriteInterceptingResources). */
    @Test
    void faultsReachDeleteCollection() {
        try (Simulation sim = Simulation.builder(6).faults(Faults.none().withWriteConflicts(1.0)).keepFullTrace(true).build()) {
            createNamespace(sim);
            sim.run("create a ConfigMap", () -> sim.client().resources(ConfigMap.class)
                    .create(ConfigMap.of(ObjectMeta.of("ns", "doomed"), Map.of())));
            Manager m = sim.startManager("deleter", manager -> { });
            assertThatThrownBy(() -> sim.run("delete collection", () -> m.apiClient().resources(ConfigMap.class)
                    .deleteCollection("ns", io.kardia.core.client.ListOptions.all(), io.kardia.core.client.DeleteOptions.DEFAULT)))
                    .isInstanceOf(io.kardia.core.client.KubeApiException.ConflictException.class);
            assertThat(sim.trace().entriesKept()).anyMatch(e -> e.contains("409 Conflict on delete collection configmaps ns/(all)"));
            assertThat(sim.store().client().resources(ConfigMap.class).find("ns", "doomed")).as("refused before the store").isPresent();
        }
    }

    /**
     * A thread the simulation leaves behind must not keep a lock forever: closing runs the ready
     * ones on real carriers (a logger stopped mid-write once held System.out's lock and hung a CI run).
     */
    @Test
    void closingLetsAThreadLeftReadyFinishAndReleaseItsLock() throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        try (Simulation sim = Simulation.builder(4).build()) {
            AtomicBoolean holding = new AtomicBoolean();
            sim.run("start holder", () -> Thread.ofVirtual().name("holder").start(() -> {
                lock.lock();
                try {
                    holding.set(true);
                    Thread.yield(); // ready again, holding the lock, when the simulation closes
                } finally {
                    lock.unlock();
                }
            }));
            sim.runUntil("the holder holds the lock", holding::get, Duration.ofSeconds(1));
            assertThat(lock.isLocked()).isTrue();
        }
        assertThat(lock.tryLock(30, TimeUnit.SECONDS)).as("the holder finished after the close").isTrue();
    }

    /** ... and a thread in a timed wait on virtual time ends its wait: its deadline no longer comes otherwise. */
    @Test
    void closingEndsTheVirtualTimedWaitOfAThreadThatHoldsALock() throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        try (Simulation sim = Simulation.builder(5).build()) {
            AtomicBoolean holding = new AtomicBoolean();
            sim.run("start holder", () -> Thread.ofVirtual().name("holder").start(() -> {
                lock.lock();
                try {
                    holding.set(true);
                    sim.clock().sleep(Duration.ofHours(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    lock.unlock();
                }
            }));
            sim.runUntil("the holder holds the lock", holding::get, Duration.ofSeconds(1));
            assertThat(lock.isLocked()).isTrue();
        }
        assertThat(lock.tryLock(30, TimeUnit.SECONDS)).as("the holder's wait ended with the close").isTrue();
    }
}
