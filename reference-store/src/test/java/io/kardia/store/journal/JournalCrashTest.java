package io.kardia.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a real separate JVM (SIGKILL) while it appends with several threads, then checks that
 * recovery returns every acknowledged record and nothing that was never written.
 */
class JournalCrashTest {
    private static final Logger LOG = LoggerFactory.getLogger(JournalCrashTest.class);
    private static final long SEGMENT_BYTES = 256 * 1024;
    private static final long SNAPSHOT_EVERY = 700;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedAppendSurvivesKillDashNine() throws Exception {
        long[] seeds = {11, 23, 37, 41};
        boolean lockChecked = false;
        for (long seed : seeds) {
            Path dir = tmp.resolve("seed-" + seed);
            Random random = new Random(seed);
            JournalWorkload workload = new JournalWorkload(seed, 300, 3000);
            long acknowledgedBefore = 0;
            for (int round = 0; round < 3; round++) {
                int killAfterAcks = 1 + random.nextInt(4000);
                Child child = Child.start(dir, tmp.resolve("child-" + seed + "-" + round + ".log"), seed, 4);
                assertThat(child.readyRevision()).as("seed %d round %d: recovered on start", seed, round)
                        .isGreaterThanOrEqualTo(acknowledgedBefore);
                if (!lockChecked) {
                    assertThatThrownBy(() -> FileJournal.open(dir)).isInstanceOf(JournalLockedException.class)
                            .hasMessageContaining(dir.toString());
                    lockChecked = true;
                }
                long acknowledged = child.killAfter(killAfterAcks);
                acknowledgedBefore = Math.max(acknowledgedBefore, acknowledged);

                List<JournalRecord> recovered = new ArrayList<>();
                long highest;
                try (FileJournal journal = FileJournal.open(dir)) {
                    highest = journal.recover(recovered::add);
                }
                String context = "seed " + seed + " round " + round + ", killed after " + killAfterAcks
                        + " acks, highest acknowledged " + acknowledgedBefore + ", child log " + child.log;
                assertThat(highest).as(context).isGreaterThanOrEqualTo(acknowledgedBefore);
                assertThat(recovered).as(context).allSatisfy(r -> assertThat(r).isEqualTo(workload.record(r.revision())));
                Map<String, JournalRecord> expected = workload.stateAt(highest);
                assertThat(JournalWorkload.state(recovered)).as(context).isEqualTo(expected);
                LOG.info("Crash {}: recovered up to revision {}", context, highest);
            }
        }
    }

    /** The child JVM and what it printed. */
    private static final class Child {
        final Process process;
        final Path log;
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicLong ackCount = new AtomicLong();
        final AtomicLong ready = new AtomicLong(-1);
        final CountDownLatch readyLatch = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);
        volatile CountDownLatch enoughAcks = new CountDownLatch(1);
        volatile long wantedAcks = Long.MAX_VALUE;

        private Child(Process process, Path log) {
            this.process = process;
            this.log = log;
            Thread.ofPlatform().daemon(true).start(this::readOutput);
        }

        static Child start(Path dir, Path log, long seed, int threads) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), JournalCrashChild.class.getName(),
                    dir.toString(), Long.toString(seed), Integer.toString(threads), Long.toString(SEGMENT_BYTES),
                    Long.toString(SNAPSHOT_EVERY))
                    .redirectError(log.toFile())
                    .start();
            return new Child(process, log);
        }

        private void readOutput() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("READY ")) {
                        ready.set(Long.parseLong(line.substring(6)));
                        readyLatch.countDown();
                    } else if (line.startsWith("ACK ")) {
                        acknowledged.accumulateAndGet(Long.parseLong(line.substring(4)), Math::max);
                        if (ackCount.incrementAndGet() >= wantedAcks) {
                            enoughAcks.countDown();
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the pipe closes when the child is killed
            } finally {
                readyLatch.countDown();
                enoughAcks.countDown();
                ended.countDown();
            }
        }

        long readyRevision() throws Exception {
            assertThat(readyLatch.await(30, TimeUnit.SECONDS)).as("child ready, log " + log).isTrue();
            assertThat(ready.get()).as("child started, log: %s", Files.readString(log)).isNotNegative();
            return ready.get();
        }

        /** Lets the child run until it acknowledged {@code acks} appends, kills it, returns the highest acknowledged. */
        long killAfter(long acks) throws Exception {
            wantedAcks = acks;
            if (ackCount.get() >= acks) {
                enoughAcks.countDown();
            }
            assertThat(enoughAcks.await(30, TimeUnit.SECONDS)).as("child acknowledged %d appends", acks).isTrue();
            assertThat(process.isAlive()).as("child still running, log: %s", Files.readString(log)).isTrue();
            process.destroyForcibly(); // SIGKILL
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
            return acknowledged.get();
        }
    }
}
