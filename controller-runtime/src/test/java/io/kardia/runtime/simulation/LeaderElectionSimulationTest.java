package io.kardia.runtime.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Lease;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Result;
import io.kardia.runtime.leader.LeaderElectionConfig;
import io.kardia.runtime.leader.LeadershipLossPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two managers elect a leader on one Lease; the leader is cut off the store (a partition, or a
 * pause, longer than the lease) or stopped, and the other takes over. Safety, checked at every
 * write that reaches the store: only the manager the store's Lease names writes the work object,
 * so there are never two leaders acting at once. Liveness: the other manager takes the work over.
 */
// A step that never waits cannot be stopped: time out on a thread of its own rather than hang the build.
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LeaderElectionSimulationTest {
    private static final String LEASE = "work-leader";
    private static final Duration EVERY = Duration.ofSeconds(1);

    /** Writes the work ConfigMap at most once a second, naming itself: a leader's visible activity. */
    private static void worker(Manager m, String identity) {
        ResourceClient<ConfigMap> cms = m.apiClient().resources(ConfigMap.class);
        m.newController().forKind(ConfigMap.class).named("worker").complete(cm -> {
            if (!cm.metadata().name().equals("work")) {
                return Result.done();
            }
            Instant now = m.clock().wallClock().instant();
            String at = cm.data() == null ? null : cm.data().get("at");
            if (at != null) {
                Duration since = Duration.between(Instant.parse(at), now);
                if (since.compareTo(EVERY) < 0) {
                    return Result.requeueAfter(EVERY.minus(since));
                }
            }
            cms.update(cm.withData(Map.of("writer", identity, "at", now.toString())));
            return Result.requeueAfter(EVERY);
        });
    }

    private static Manager start(Simulation sim, String identity, boolean releaseOnCancel) {
        LeaderElectionConfig election = LeaderElectionConfig.of("ns", LEASE).withIdentity(identity)
                .withReleaseOnCancel(releaseOnCancel);
        return sim.startManager(identity, b -> b.leaderElection(election).onLeadershipLoss(LeadershipLossPolicy.CAMPAIGN_AGAIN),
                m -> worker(m, identity));
    }

    /** The managers whose writes of the work object reached the store, and the violations seen. */
    private static final class Writes {
        final List<String> writers = Collections.synchronizedList(new ArrayList<>());
        final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    }

    private static Writes watchWrites(Simulation sim) {
        Writes w = new Writes();
        sim.onWrite((manager, verb, type, namespace, name) -> {
            if (!type.plural().equals("configmaps") || !"work".equals(name)) {
                return;
            }
            String holder = sim.store().client().resources(Lease.class).find("ns", LEASE)
                    .map(l -> l.spec().holderIdentity()).orElse(null);
            if (!manager.equals(holder)) {
                w.violations.add(manager + " wrote at " + sim.clock().elapsed() + " while the lease named " + holder);
            }
            w.writers.add(manager);
        });
        sim.invariant("only the manager the Lease names writes the work object", w.violations::isEmpty);
        return w;
    }

    private static String leader(Simulation sim) {
        return sim.store().client().resources(Lease.class).find("ns", LEASE).map(l -> l.spec().holderIdentity()).orElse(null);
    }

    private static void setUp(Simulation sim) {
        sim.run("create the work", () -> {
            sim.client().resources(Namespace.class).create(Namespace.named("ns"));
            sim.client().resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of("ns", "work"), Map.of()));
        });
    }

    static void partitionScenario(Simulation sim) {
        Writes writes = watchWrites(sim);
        setUp(sim);
        start(sim, "a", true);
        start(sim, "b", true);
        sim.runUntil("a leader writes", () -> !writes.writers.isEmpty(), Duration.ofMinutes(1));
        String first = writes.writers.get(0);
        String second = first.equals("a") ? "b" : "a";
        sim.partition(first, Duration.ofSeconds(40)); // far past the 15 s lease
        int before = writes.writers.size();
        sim.runUntil(second + " takes over and writes", () -> writes.writers.subList(before, writes.writers.size())
                .contains(second), Duration.ofMinutes(1));
        sim.runFor(Duration.ofMinutes(1)); // the partition heals; the old leader comes back as a follower
        assertThat(leader(sim)).isEqualTo(second);
        int after = writes.writers.size();
        sim.runFor(Duration.ofSeconds(30));
        assertThat(Set.copyOf(writes.writers.subList(after, writes.writers.size()))).containsExactly(second);
    }

    static void crashScenario(Simulation sim, boolean releaseOnCancel) {
        Writes writes = watchWrites(sim);
        setUp(sim);
        start(sim, "a", releaseOnCancel);
        start(sim, "b", releaseOnCancel);
        sim.runUntil("a leader writes", () -> !writes.writers.isEmpty(), Duration.ofMinutes(1));
        String first = writes.writers.get(0);
        String second = first.equals("a") ? "b" : "a";
        sim.stopManager(sim.manager(first));
        int before = writes.writers.size();
        sim.runUntil(second + " takes over and writes", () -> writes.writers.subList(before, writes.writers.size())
                .contains(second), Duration.ofMinutes(1));
        assertThat(leader(sim)).isEqualTo(second);
    }

    @Test
    void anotherManagerTakesOverFromALeaderCutOffLongerThanItsLeaseAndNeverTwoWrite() {
        Explorer.seeds(1, 2).run(LeaderElectionSimulationTest::partitionScenario);
    }

    @Test
    void anotherManagerTakesOverFromAStoppedLeaderWhetherItReleasedTheLeaseOrLetItExpire() {
        Explorer.seeds(1, 1).run(sim -> crashScenario(sim, true));
        Explorer.seeds(3, 1).run(sim -> crashScenario(sim, false));
    }

    @Test
    void writeConflictsAndDelayedEventsDoNotMakeTwoLeaders() {
        Explorer.seeds(10, 1).faults(Faults.none().withWriteConflicts(0.1).withMaxEventDelay(Duration.ofSeconds(2)))
                .run(LeaderElectionSimulationTest::partitionScenario);
    }

    /** The check can fail: a manager that takes part in no election writes while the Lease names another. */
    @Test
    void aWriterOutsideTheElectionBreaksTheInvariant() {
        try (Simulation sim = Simulation.builder(1).build()) {
            watchWrites(sim);
            setUp(sim);
            start(sim, "a", true);
            sim.startManager("rogue", m -> worker(m, "rogue"));
            assertThatThrownBy(() -> sim.runFor(Duration.ofMinutes(1))).isInstanceOf(SimulationFailure.class)
                    .hasMessageContaining("invariant 'only the manager the Lease names writes the work object' broke");
        }
    }
}
