package io.kardia.runtime.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.store.ReferenceStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store restarts from its journal inside a simulation: acknowledged writes survive, watches
 * end and resume (or relist on 410 Gone), clients retry while it is down, and a controller that
 * mirrors ConfigMaps converges across the restarts.
 */
// A step that never waits cannot be stopped: time out on a thread of its own rather than hang the build.
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StoreRestartSimulationTest {
    private static final int SOURCES = 4;

    /** Keeps {@code copy-x} equal to {@code src-x} (data), from the cache, writing through the API. */
    private static void registerMirror(Manager m) {
        ResourceClient<ConfigMap> api = m.apiClient().resources(ConfigMap.class);
        m.newController().forKind(ConfigMap.class).named("mirror")
                .watches(ConfigMap.class, cm -> cm.metadata().name().startsWith("copy-")
                        ? List.of(new Request(cm.metadata().namespace(), "src-" + cm.metadata().name().substring(5)))
                        : List.of())
                .complete(cm -> {
                    String name = cm.metadata().name();
                    if (!name.startsWith("src-")) {
                        return Result.done();
                    }
                    String copyName = "copy-" + name.substring(4);
                    ConfigMap copy = m.client().resources(ConfigMap.class).find("ns", copyName).orElse(null);
                    if (copy == null) {
                        try {
                            api.create(ConfigMap.of(ObjectMeta.of("ns", copyName), cm.data()));
                        } catch (KubeApiException.AlreadyExistsException stale) {
                            return Result.requeue(); // the cache is behind: look again
                        }
                    } else if (!Objects.equals(copy.data(), cm.data())) {
                        api.update(copy.withData(cm.data())); // a conflict is retried with back-off
                    }
                    return Result.done();
                });
    }

    /** A call of the test's own, retried while the store is down (503) or the object moved on (409). */
    private static <T> T retried(Simulation sim, Supplier<T> call) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.get();
            } catch (KubeApiException e) {
                if ((e.code() != 503 && e.code() != 409) || attempt == 100) {
                    throw e;
                }
                sim.clock().sleep(Duration.ofMillis(500));
            }
        }
    }

    /**
     * Writes sources through the simulation's client and remembers every acknowledged
     * resourceVersion; the invariant: the store holds each at least at that version, after every
     * step and across every restart.
     */
    static void mirrorScenario(Simulation sim, boolean explicitRestarts) {
        Map<String, Long> acknowledged = new TreeMap<>();
        ResourceClient<ConfigMap> cms = sim.client().resources(ConfigMap.class);
        sim.startManager("mirror", StoreRestartSimulationTest::registerMirror);
        sim.invariant("every acknowledged write is in the store", () -> acknowledged.entrySet().stream().allMatch(e -> {
            ConfigMap stored = sim.store().client().resources(ConfigMap.class).find("ns", e.getKey()).orElse(null);
            return stored != null && Long.parseLong(stored.metadata().resourceVersion()) >= e.getValue();
        }));
        sim.run("create namespace", () -> retried(sim, () -> sim.client().resources(Namespace.class).create(Namespace.named("ns"))));
        for (int round = 0; round < 3; round++) {
            int value = round;
            sim.run("write sources, round " + round, () -> {
                for (int i = 0; i < SOURCES; i++) {
                    String name = "src-" + i;
                    ConfigMap written = retried(sim, () -> {
                        ConfigMap cur = cms.find("ns", name).orElse(null);
                        Map<String, String> data = Map.of("v", String.valueOf(value));
                        return cur == null ? cms.create(ConfigMap.of(ObjectMeta.of("ns", name), data)) : cms.update(cur.withData(data));
                    });
                    acknowledged.put(name, Long.parseLong(written.metadata().resourceVersion()));
                }
            });
            sim.runFor(Duration.ofSeconds(20));
            if (explicitRestarts) {
                sim.restartStore(Duration.ofSeconds(3));
            }
        }
        sim.runFor(Duration.ofMinutes(1));
        sim.stopFaults();
        sim.runUntil("every copy mirrors its source", () -> mirrored(sim, "2"), Duration.ofMinutes(10));
    }

    private static boolean mirrored(Simulation sim, String value) {
        ResourceClient<ConfigMap> cms = sim.store().client().resources(ConfigMap.class);
        for (int i = 0; i < SOURCES; i++) {
            ConfigMap copy = cms.find("ns", "copy-" + i).orElse(null);
            if (copy == null || !Map.of("v", value).equals(copy.data())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void acknowledgedWritesSurviveExplicitRestartsAndTheMirrorConverges() {
        for (long seed = 1; seed <= 3; seed++) {
            try (Simulation sim = Simulation.builder(seed).build()) {
                ReferenceStore first = sim.store();
                mirrorScenario(sim, true);
                assertThat(sim.store()).as("the store was restarted").isNotSameAs(first);
                assertThat(sim.storeRestarts()).isEqualTo(3);
                assertThat(sim.store().currentRevision()).isGreaterThan(first.currentRevision());
            }
        }
    }

    @Test
    void storeRestartsAsASeededFaultAmongTheOthers() {
        Faults faults = Faults.all().withStoreRestarts(0.002);
        int[] restarts = {0};
        Explorer.seeds(1, 4).faults(faults).configure(b -> b.maxSteps(200_000))
                .run(sim -> {
                    mirrorScenario(sim, false);
                    restarts[0] += sim.storeRestarts();
                });
        assertThat(restarts[0]).as("store restarts injected over four seeds").isPositive();
    }

    @Test
    void aRestartThatLosesAWriteIsReported() {
        try (Simulation sim = Simulation.builder(9).build()) {
            sim.run("create namespace", () -> sim.client().resources(Namespace.class).create(Namespace.named("ns")));
            RestartableStore store = new RestartableStore(io.kardia.store.StoreOptions.defaults()
                    .withClock(sim.clock().wallClock()), new java.util.SplittableRandom(9), schedulerOf(sim));
            try {
                Map<String, String> before = sim.call("read", store::content);
                Map<String, String> claimed = new TreeMap<>(before);
                claimed.put("configmaps ns/acknowledged", "17 {}");
                long revision = store.store().currentRevision();
                String problem = sim.call("restart", () -> {
                    store.stop();
                    return store.start(claimed, revision);
                });
                assertThat(problem).contains("does not hold what it had acknowledged").contains("configmaps ns/acknowledged lost");
                assertThat(sim.call("restart again", () -> {
                    Map<String, String> now = store.content();
                    store.stop();
                    return store.start(now, revision);
                })).as("nothing lost").isNull();
            } finally {
                store.close();
            }
        }
    }

    private static StepScheduler schedulerOf(Simulation sim) {
        return sim.scheduler();
    }
}
