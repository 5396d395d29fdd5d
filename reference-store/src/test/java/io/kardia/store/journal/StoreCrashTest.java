package io.kardia.store.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End to end: a real separate JVM runs the durable reference store and writes through its
 * in-process client; it is killed with SIGKILL at a random moment and the store reopened from
 * the same directory must hold every acknowledged write with its content and resourceVersion,
 * and nothing that was never written.
 */
class StoreCrashTest {
    private static final Logger LOG = LoggerFactory.getLogger(StoreCrashTest.class);
    private static final Pattern NAME = Pattern.compile("crash-t\\d+-\\d+");

    @TempDir
    Path tmp;

    /** The newest acknowledged write of one object. */
    private record Ack(long resourceVersion, long seq) {
    }

    @Test
    void everyAcknowledgedStoreWriteSurvivesKillDashNine() throws Exception {
        for (long seed : new long[] {5, 17}) {
            Path dir = tmp.resolve("store-" + seed);
            Random random = new Random(seed);
            Map<String, Ack> acknowledged = new HashMap<>();
            for (int round = 0; round < 2; round++) {
                int killAfterAcks = 1 + random.nextInt(1500);
                Child child = Child.start(dir, tmp.resolve("store-child-" + seed + "-" + round + ".log"), seed, 4);
                child.awaitReady();
                child.killAfter(killAfterAcks);
                child.acks.forEach((name, ack) -> acknowledged.merge(name, ack,
                        (a, b) -> a.resourceVersion() >= b.resourceVersion() ? a : b));
                String context = "seed " + seed + " round " + round + " killed after " + killAfterAcks
                        + " acks, child log " + child.log;
                verify(dir, acknowledged, context);
            }
        }
    }

    private static void verify(Path dir, Map<String, Ack> acknowledged, String context) {
        try (ReferenceStore store = ReferenceStore.open(StoreOptions.defaults(), FileJournal.open(dir))) {
            ResourceClient<ConfigMap> configMaps = store.client().resources(ConfigMap.class);
            Map<String, ConfigMap> stored = new HashMap<>();
            for (ConfigMap cm : configMaps.list(StoreCrashChild.NAMESPACE).items()) {
                if (cm.metadata().name().startsWith("crash-")) {
                    stored.put(cm.metadata().name(), cm);
                }
            }
            acknowledged.forEach((name, ack) -> {
                ConfigMap cm = stored.get(name);
                assertThat(cm).as("%s: acknowledged %s %s", context, name, ack).isNotNull();
                long rv = Long.parseLong(cm.metadata().resourceVersion());
                long seq = Long.parseLong(cm.data().get("seq"));
                assertThat(rv).as("%s: %s resourceVersion", context, name).isGreaterThanOrEqualTo(ack.resourceVersion());
                if (rv == ack.resourceVersion()) {
                    assertThat(seq).as("%s: %s content at its acknowledged resourceVersion", context, name).isEqualTo(ack.seq());
                } else {
                    assertThat(seq).as("%s: %s was written again after the acknowledged write", context, name)
                            .isGreaterThan(ack.seq());
                }
            });
            stored.forEach((name, cm) -> {
                assertThat(name).as(context).matches(NAME);
                long seq = Long.parseLong(cm.data().get("seq"));
                assertThat(cm.data()).as("%s: %s content is exactly what was written", context, name)
                        .isEqualTo(StoreCrashChild.data(name, seq));
                assertThat(Long.parseLong(cm.metadata().resourceVersion())).isLessThanOrEqualTo(store.currentRevision());
            });
            LOG.info("Store crash {}: {} acknowledged objects, {} stored, revision {}", context, acknowledged.size(),
                    stored.size(), store.currentRevision());
        }
    }

    /** The child JVM and the writes it acknowledged. */
    private static final class Child {
        final Process process;
        final Path log;
        final Map<String, Ack> acks = new ConcurrentHashMap<>();
        final AtomicLong ackCount = new AtomicLong();
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);
        final CountDownLatch enoughAcks = new CountDownLatch(1);
        volatile long wantedAcks = Long.MAX_VALUE;
        volatile boolean started;

        private Child(Process process, Path log) {
            this.process = process;
            this.log = log;
            Thread.ofPlatform().daemon(true).start(this::readOutput);
        }

        static Child start(Path dir, Path log, long seed, int threads) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", System.getProperty("java.class.path"), StoreCrashChild.class.getName(),
                    dir.toString(), Long.toString(seed), Integer.toString(threads))
                    .redirectError(log.toFile())
                    .start();
            return new Child(process, log);
        }

        private void readOutput() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("READY ")) {
                        started = true;
                        ready.countDown();
                    } else if (line.startsWith("ACK ")) {
                        String[] parts = line.split(" ");
                        Ack ack = new Ack(Long.parseLong(parts[2]), Long.parseLong(parts[3]));
                        acks.merge(parts[1], ack, (a, b) -> a.resourceVersion() >= b.resourceVersion() ? a : b);
                        if (ackCount.incrementAndGet() >= wantedAcks) {
                            enoughAcks.countDown();
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the pipe closes when the child is killed
            } finally {
                ready.countDown();
                enoughAcks.countDown();
                ended.countDown();
            }
        }

        void awaitReady() throws Exception {
            assertThat(ready.await(60, TimeUnit.SECONDS)).as("child ready, log " + log).isTrue();
            assertThat(started).as("child started, log: %s", Files.readString(log)).isTrue();
        }

        void killAfter(long wanted) throws Exception {
            wantedAcks = wanted;
            if (ackCount.get() >= wanted) {
                enoughAcks.countDown();
            }
            assertThat(enoughAcks.await(60, TimeUnit.SECONDS)).as("child acknowledged %d writes", wanted).isTrue();
            assertThat(process.isAlive()).as("child still running, log: %s", Files.readString(log)).isTrue();
            process.destroyForcibly(); // SIGKILL
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
