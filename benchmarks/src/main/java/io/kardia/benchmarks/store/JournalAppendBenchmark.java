package io.kardia.benchmarks.store;

import io.kardia.store.journal.FileJournal;
import io.kardia.store.journal.Journal;
import io.kardia.store.journal.JournalRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Durable appends per second: each operation appends one record and waits until it is durable,
 * as the store does before acknowledging a write. With 8 threads the writes share fsyncs
 * (group commit). {@code memory} is the in-memory journal, the upper bound.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JournalAppendBenchmark {
    private static final int KEYS = 10_000;

    @Param({"file", "memory"})
    public String journal;

    @Param({"1024"})
    public int valueBytes;

    private final Object order = new Object();
    private final String[] keys = new String[KEYS];
    private Journal target;
    private Path dir;
    private byte[] value;
    private long revision;

    @Setup(Level.Trial)
    public void open() {
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "default/config-" + i;
        }
        value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'x');
        byte[] prefix = "{\"metadata\":{\"name\":\"config\"},\"data\":\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(prefix, 0, value, 0, Math.min(prefix.length, value.length));
        if (journal.equals("file")) {
            dir = BenchmarkDirs.create("kardia-journal-bench");
            target = FileJournal.open(dir);
        } else {
            target = Journal.inMemory();
        }
        revision = target.recover(r -> { });
    }

    @TearDown(Level.Trial)
    public void close() {
        target.close();
        BenchmarkDirs.delete(dir);
    }

    @Benchmark
    @Threads(1)
    public void append1Thread() {
        appendAndWait();
    }

    @Benchmark
    @Threads(8)
    public void append8Threads() {
        appendAndWait();
    }

    private void appendAndWait() {
        CompletableFuture<Void> durable;
        synchronized (order) { // revisions are assigned and appended in order, as in the store
            long rev = ++revision;
            durable = target.append(JournalRecord.put(rev, "configmaps", keys[(int) (rev % KEYS)], value));
        }
        durable.join();
    }
}
