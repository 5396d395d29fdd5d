package io.kardia.informer;

import static io.kardia.informer.StorePods.newPod;
import static io.kardia.informer.StorePods.relabeled;
import static io.kardia.informer.StorePods.storeVersions;
import static io.kardia.informer.StorePods.versions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceType;
import io.kardia.core.selector.Selector;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informer's first duty: whatever happens to the connection, the cache ends equal to the
 * store and every handler sees every key's events in order. Thousands of random writes run while
 * watches are cut (ended or failed) at random, watches are held back while the store moves on
 * and compacts, and the store keeps only a tiny history and cuts off slow watchers, so resumes,
 * 410 relists and tombstones all happen. Another kind changes meanwhile, which must never leak
 * into the pod cache.
 *
 * <p>Seeds: a fixed set plus one random per run, each logged; rerun one with
 * {@code -Dinformer.convergence.seeds=1234}.
 */
class ConvergenceUnderFaultsTest {
    private static final Logger log = LoggerFactory.getLogger(ConvergenceUnderFaultsTest.class);
    private static final int OPERATIONS = 4000;
    private static final int NAMES = 80;
    private static final List<String> NAMESPACES = List.of("default", "kube-public");

    static Stream<Long> seeds() {
        String fixed = System.getProperty("informer.convergence.seeds");
        if (fixed != null && !fixed.isBlank()) {
            return Stream.of(fixed.split(",")).map(String::trim).map(Long::parseLong);
        }
        return Stream.of(1L, 2L, 3L, 4L, 5L, 42L, 4711L, System.nanoTime());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung write or watch fails the seed instead of the build
    void cacheAndHandlersConvergeOnTheStore(long seed) throws Exception {
        log.info("convergence under faults, seed {} (rerun with -Dinformer.convergence.seeds={})", seed, seed);
        Random random = new Random(seed);
        StoreOptions options = StoreOptions.defaults()
                .withHistory(40, Duration.ZERO)
                .withCompactionInterval(Duration.ofMillis(5))
                .withBookmarkInterval(Duration.ofMillis(20))
                .withWatchBufferSize(64);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ReferenceStore store = ReferenceStore.inMemory(options)) {
            FaultyKubeClient client = new FaultyKubeClient(store.client());
            ResourceClient<Pod> pods = client.resources(Pod.class);
            ResourceClient<GenericObject> configMaps = client.resources(
                    ResourceType.generic("", "v1", "ConfigMap", "configmaps", true));
            // Backoff waits are skipped (no real sleeping): the faults come fast here.
            InformerOptions informerOptions = new InformerOptions(
                    ReflectorOptions.defaults().withSleeper(d -> { }).withRandom(new Random(seed)), registry);
            SharedInformer<Pod> informer = new SharedInformer<>(pods, null, Selector.EVERYTHING, informerOptions);
            List<OrderCheckingHandler> handlers = new ArrayList<>();
            handlers.add(register(informer, new OrderCheckingHandler("early")));
            handlers.add(register(informer, new OrderCheckingHandler("second")));
            RelistAtomicityChecker atomicity = new RelistAtomicityChecker(informer);
            informer.addEventHandler("relist-atomicity", atomicity, null);
            informer.start();

            // Another writer changes another kind meanwhile: its events must never reach the pod informer.
            NoiseWriter noise = new NoiseWriter(configMaps);
            Map<String, Pod> current = new HashMap<>();
            int doorClosedUntil = -1;
            for (int op = 0; op < OPERATIONS; op++) {
                if (op == OPERATIONS / 3) {
                    handlers.add(register(informer, new OrderCheckingHandler("late")));
                }
                if (op == OPERATIONS / 2) {
                    // a guaranteed 410: the watch is held back while the store moves past its history
                    client.closeDoor();
                    client.cutWatches(false);
                    doorClosedUntil = Math.max(doorClosedUntil, op + 60);
                }
                if (op == doorClosedUntil) {
                    store.compact();
                    client.openDoor();
                    doorClosedUntil = -1;
                }
                double fault = random.nextDouble();
                if (fault < 0.02) {
                    client.cutWatches(random.nextBoolean());
                } else if (fault < 0.03) {
                    store.compact();
                } else if (fault < 0.035 && doorClosedUntil < 0) {
                    client.closeDoor();
                    client.cutWatches(random.nextBoolean());
                    doorClosedUntil = op + 5 + random.nextInt(50);
                }
                write(pods, current, random);
            }
            noise.stop();
            client.openDoor();

            Map<String, String> expected = storeVersions(pods);
            try {
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(versions(informer.lister().list())).as("cache (seed %d)", seed).isEqualTo(expected);
                    for (OrderCheckingHandler h : handlers) {
                        assertThat(h.view).as("final state seen by handler %s (seed %d)", h.name, seed).isEqualTo(expected);
                    }
                });
            } finally {
                informer.stop();
            }

            for (OrderCheckingHandler h : handlers) {
                assertThat(h.violations).as("order violations seen by handler %s (seed %d)", h.name, seed).isEmpty();
            }
            assertThat(atomicity.violations).as("cache read during a relist's notifications (seed %d)", seed).isEmpty();
            double relists = registry.get("informer.relists").counter().count();
            log.info("seed {}: {} objects at the end, {} watches opened, {} cut, {} relists, {} tombstones, {} events to the first handler",
                    seed, expected.size(), client.watchesOpened.get(), client.cuts.get(), (long) relists,
                    handlers.get(0).tombstones.get(), handlers.get(0).events.get());
            assertThat(relists).as("the run must have relisted after 410 at least once").isGreaterThanOrEqualTo(1.0);
            assertThat(client.cuts.get()).as("watches were cut").isPositive();
        }
    }

    /**
     * Reads the cache on every relist tombstone: the relist replaced the cache before any handler
     * heard of it, so the object a tombstone reports gone is never still cached at that version.
     */
    private static final class RelistAtomicityChecker implements ResourceEventHandler<Pod> {
        final List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final SharedInformer<Pod> informer;

        RelistAtomicityChecker(SharedInformer<Pod> informer) {
            this.informer = informer;
        }

        @Override
        public void onDelete(Pod obj, boolean finalStateUnknown) {
            if (!finalStateUnknown) {
                return;
            }
            informer.indexer().getByKey(obj.key())
                    .filter(cached -> cached.metadata().resourceVersion().equals(obj.metadata().resourceVersion()))
                    .ifPresent(cached -> violations.add("tombstone of " + obj.key() + "@" + obj.metadata().resourceVersion()
                            + " while the cache still held it"));
        }
    }

    /** Creates config maps at a steady pace on its own thread until stopped. */
    private static final class NoiseWriter {
        private volatile boolean stopped;
        private final Thread thread;

        NoiseWriter(ResourceClient<GenericObject> configMaps) {
            thread = Thread.ofVirtual().name("noise-writer").start(() -> {
                for (int i = 0; !stopped; i++) {
                    configMaps.create(new GenericObject("v1", "ConfigMap", ObjectMeta.of(NAMESPACES.get(i % 2), "noise-" + i),
                            Map.of("data", Map.of("i", Integer.toString(i)))));
                    LockSupport.parkNanos(2_000_000); // pacing, not synchronisation
                }
            });
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join();
        }
    }

    private static OrderCheckingHandler register(SharedInformer<Pod> informer, OrderCheckingHandler h) {
        informer.addEventHandler(h.name, h, null);
        return h;
    }

    /** One random create, update or delete, tracking what the store holds. */
    private static void write(ResourceClient<Pod> pods, Map<String, Pod> current, Random random) {
        String ns = NAMESPACES.get(random.nextInt(NAMESPACES.size()));
        String name = "w-" + random.nextInt(NAMES);
        String key = ns + "/" + name;
        Pod existing = current.get(key);
        if (existing == null) {
            current.put(key, pods.create(newPod(ns, name, Map.of("gen", "0"))));
        } else if (random.nextDouble() < 0.65) {
            current.put(key, pods.update(relabeled(existing, "gen", Integer.toString(random.nextInt(1000)))));
        } else {
            pods.delete(ns, name);
            current.remove(key);
        }
    }
}
