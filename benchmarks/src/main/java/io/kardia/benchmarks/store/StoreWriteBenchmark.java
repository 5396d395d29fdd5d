package io.kardia.benchmarks.store;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.store.StoreOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * Acknowledged writes per second through the store's in-process client (typed ConfigMaps of
 * about 1 KB): creates of new objects and updates of existing ones, 1 and 8 writer threads,
 * durable ({@code file}: every write fsynced, group commit) vs {@code memory}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreWriteBenchmark {
    private static final int OBJECT_BYTES = 1024;
    private static final int OBJECTS_PER_WRITER = 100;

    @Param({"file", "memory"})
    public String journal;

    StoreFixture fixture;
    ResourceClient<ConfigMap> configMaps;
    final AtomicLong created = new AtomicLong();
    final AtomicInteger writers = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() {
        fixture = StoreFixture.open(journal, StoreOptions.defaults());
        configMaps = fixture.store.client().resources(ConfigMap.class);
    }

    @TearDown(Level.Trial)
    public void close() {
        fixture.close();
    }

    /** Objects one writer thread owns and updates in turn, so updates never conflict. */
    @State(Scope.Thread)
    public static class Writer {
        ConfigMap[] objects;
        long version;
        int next;

        @Setup(Level.Trial)
        public void create(StoreWriteBenchmark bench) {
            int writer = bench.writers.getAndIncrement();
            objects = new ConfigMap[OBJECTS_PER_WRITER];
            for (int i = 0; i < OBJECTS_PER_WRITER; i++) {
                objects[i] = bench.configMaps.create(StoreFixture.configMap("update-" + writer + "-" + i, 0, OBJECT_BYTES));
            }
        }
    }

    @Benchmark
    @Threads(1)
    public ConfigMap create1Thread() {
        return create();
    }

    @Benchmark
    @Threads(8)
    public ConfigMap create8Threads() {
        return create();
    }

    @Benchmark
    @Threads(1)
    public ConfigMap update1Thread(Writer writer) {
        return update(writer);
    }

    @Benchmark
    @Threads(8)
    public ConfigMap update8Threads(Writer writer) {
        return update(writer);
    }

    private ConfigMap create() {
        long n = created.incrementAndGet();
        return configMaps.create(StoreFixture.configMap("create-" + n, n, OBJECT_BYTES));
    }

    private ConfigMap update(Writer writer) {
        int i = writer.next++ % OBJECTS_PER_WRITER;
        ConfigMap current = writer.objects[i];
        ConfigMap next = StoreFixture.configMap(current.metadata().name(), ++writer.version, OBJECT_BYTES);
        writer.objects[i] = configMaps.update(next.withMetadata(current.metadata()));
        return writer.objects[i];
    }
}
