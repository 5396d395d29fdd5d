package io.kardia.benchmarks.store;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.journal.FileJournal;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
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
 * Restart time of the durable store: open a data directory holding {@code objects} ConfigMaps of
 * 1–3 KB (written through the store, which snapshots every {@code snapshotEveryWrites} writes; 0
 * means never, so everything is replayed from the log) and rebuild the store's state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StoreRecoveryBenchmark {
    @Param({"100000"})
    public int objects;

    @Param({"90000", "0"})
    public long snapshotEveryWrites;

    private Path dir;

    @Setup(Level.Trial)
    public void write() throws Exception {
        dir = BenchmarkDirs.create("kardia-store-recovery-bench");
        StoreOptions options = StoreOptions.defaults().withSnapshotEveryWrites(snapshotEveryWrites);
        FileJournal.Options journalOptions = snapshotEveryWrites == 0
                ? FileJournal.Options.defaults().withSnapshotThresholdBytes(Long.MAX_VALUE)
                : FileJournal.Options.defaults();
        try (ReferenceStore store = ReferenceStore.open(options, FileJournal.open(dir, journalOptions))) {
            ResourceClient<ConfigMap> configMaps = store.client().resources(ConfigMap.class);
            int writers = 8;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(writer);
                    for (int i = writer; i < objects; i += writers) {
                        configMaps.create(StoreFixture.configMap("object-" + i, i, 1024 + random.nextInt(2048)));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }
    }

    @TearDown(Level.Trial)
    public void delete() {
        BenchmarkDirs.delete(dir);
    }

    @Benchmark
    public long openAndRecover() {
        try (ReferenceStore store = ReferenceStore.open(StoreOptions.defaults(), FileJournal.open(dir))) {
            return store.currentRevision();
        }
    }
}
