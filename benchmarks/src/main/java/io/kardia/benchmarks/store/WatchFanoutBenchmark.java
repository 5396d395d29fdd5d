package io.kardia.benchmarks.store;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.ConfigMap;
import io.kardia.store.StoreOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
 * Watch fan-out latency: one update, measured until every one of {@code watchers} watchers
 * (each on its own virtual thread, blocking in {@code Watch.next()}) has received it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WatchFanoutBenchmark {
    @Param({"100"})
    public int watchers;

    @Param({"memory", "file"})
    public String journal;

    private StoreFixture fixture;
    private ResourceClient<ConfigMap> configMaps;
    private final List<Watch<ConfigMap>> watches = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private volatile CountDownLatch delivered;
    private ConfigMap object;
    private long version;

    @Setup(Level.Trial)
    public void open() {
        fixture = StoreFixture.open(journal, StoreOptions.defaults());
        configMaps = fixture.store.client().resources(ConfigMap.class);
        object = configMaps.create(StoreFixture.configMap("fanout", 0, 1024));
        delivered = new CountDownLatch(0);
        for (int i = 0; i < watchers; i++) {
            Watch<ConfigMap> watch = configMaps.watch("default",
                    WatchOptions.from(object.metadata().resourceVersion()).withBookmarks(false));
            watches.add(watch);
            readers.add(Thread.ofVirtual().start(() -> read(watch)));
        }
    }

    private void read(Watch<ConfigMap> watch) {
        try {
            WatchEvent<ConfigMap> event;
            while ((event = watch.next()) != null) {
                if (event.type() == WatchEvent.Type.MODIFIED) {
                    delivered.countDown();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        watches.forEach(Watch::close);
        readers.forEach(Thread::interrupt);
        fixture.close();
    }

    @Benchmark
    public void updateReachesAllWatchers() throws InterruptedException {
        CountDownLatch all = new CountDownLatch(watchers);
        delivered = all;
        ConfigMap next = StoreFixture.configMap("fanout", ++version, 1024);
        object = configMaps.update(next.withMetadata(object.metadata()));
        if (!all.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (watchers - all.getCount()) + " of " + watchers + " watchers got the update");
        }
    }
}
