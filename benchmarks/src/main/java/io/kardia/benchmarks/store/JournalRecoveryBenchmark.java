package io.kardia.benchmarks.store;

import io.kardia.store.journal.FileJournal;
import io.kardia.store.journal.JournalRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Journal restart time: open a data directory holding a snapshot of {@code objects} objects of
 * 1–3 KB plus {@code logRecords} logged changes after it, and replay everything (journal only;
 * {@code StoreRecoveryBenchmark} adds rebuilding the store's state).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class JournalRecoveryBenchmark {
    @Param({"100000"})
    public int objects;

    @Param({"10000"})
    public int logRecords;

    private Path dir;

    @Setup(Level.Trial)
    public void write() {
        dir = BenchmarkDirs.create("kardia-recovery-bench");
        SplittableRandom random = new SplittableRandom(42);
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.recover(r -> { });
            List<JournalRecord> live = new ArrayList<>(objects);
            long rev = 0;
            List<CompletableFuture<Void>> appended = new ArrayList<>(objects);
            for (int i = 0; i < objects; i++) {
                JournalRecord record = JournalRecord.put(++rev, "configmaps", "default/config-" + i, object(random, i, rev));
                appended.add(journal.append(record));
                live.add(record);
            }
            CompletableFuture.allOf(appended.toArray(CompletableFuture[]::new)).join();
            journal.snapshot(rev, live);
            appended.clear();
            for (int i = 0; i < logRecords; i++) {
                int target = random.nextInt(objects);
                appended.add(journal.append(JournalRecord.put(++rev, "configmaps", "default/config-" + target,
                        object(random, target, rev))));
            }
            CompletableFuture.allOf(appended.toArray(CompletableFuture[]::new)).join();
        }
    }

    static byte[] object(SplittableRandom random, int index, long revision) {
        int size = 1024 + random.nextInt(2048);
        StringBuilder json = new StringBuilder(size + 100).append("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",")
                .append("\"metadata\":{\"name\":\"config-").append(index).append("\",\"namespace\":\"default\",")
                .append("\"resourceVersion\":\"").append(revision).append("\"},\"data\":{\"payload\":\"");
        while (json.length() < size) {
            json.append((char) ('a' + random.nextInt(26)));
        }
        return json.append("\"}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @TearDown(Level.Trial)
    public void delete() {
        BenchmarkDirs.delete(dir);
    }

    @Benchmark
    public long recover() {
        long[] bytes = {0};
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.recover(r -> bytes[0] += r.value().length);
        }
        return bytes[0];
    }
}
