package io.kardia.store;

import static io.kardia.store.TestKinds.CONFIGMAPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The live buffer of a watch: a consumer parked without a timer must still wake for events, for
 * close and for interrupts, the timeout must end the stream after what was buffered, and nothing may
 * be lost or reordered when writers race the consumer.
 */
@org.junit.jupiter.api.Timeout(60)
class StoreWatchTest {

    private static StoreOptions quiet() {
        return StoreOptions.defaults().withCompactionInterval(Duration.ZERO).withBookmarkInterval(Duration.ZERO);
    }

    private static StoredObject create(ReferenceStore store, String name) {
        return store.create(CONFIGMAPS, "default", Json.toTree(TestKinds.configMap("default", name, "v")), WriteOptions.DEFAULT);
    }

    private static StoreWatch watchFromNow(ReferenceStore store, long timeoutSeconds) {
        return store.watch(CONFIGMAPS, "default", WatchOptions.from(Long.toString(store.currentRevision()))
                .withBookmarks(false).withTimeoutSeconds(timeoutSeconds));
    }

    /** Starts a thread that takes the watch's next event into {@code next}. */
    private static Thread consumeNext(StoreWatch w, CompletableFuture<StoreEvent> next, Thread.Builder builder) {
        return builder.start(() -> {
            try {
                next.complete(w.next());
            } catch (Throwable e) {
                next.completeExceptionally(e);
            }
        });
    }

    /** Waits until {@code t} is parked (blocked in next()), so the test exercises the wake-up path. */
    private static void awaitParked(Thread t) {
        await().atMost(Duration.ofSeconds(10)).until(() -> t.getState() == Thread.State.WAITING);
    }

    @Test
    void parkedConsumerWakesForAnEvent() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet())) {
            StoreWatch w = watchFromNow(store, 0);
            CompletableFuture<StoreEvent> next = new CompletableFuture<>();
            Thread consumer = consumeNext(w, next, Thread.ofVirtual());
            awaitParked(consumer);
            create(store, "a");
            StoreEvent e = next.get(10, TimeUnit.SECONDS);
            assertThat(e.type()).isEqualTo(StoreEvent.Type.ADDED);
            assertThat(e.object().name()).isEqualTo("a");
            w.close();
        }
    }

    @Test
    void closeFromAnotherThreadEndsAParkedConsumer() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet())) {
            StoreWatch w = watchFromNow(store, 0);
            CompletableFuture<StoreEvent> next = new CompletableFuture<>();
            Thread consumer = consumeNext(w, next, Thread.ofPlatform());
            awaitParked(consumer);
            w.close();
            assertThat(next.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(w.isEnded()).isTrue();
        }
    }

    @Test
    void interruptOfAParkedConsumerThrows() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet())) {
            StoreWatch w = watchFromNow(store, 0);
            CompletableFuture<StoreEvent> next = new CompletableFuture<>();
            Thread consumer = consumeNext(w, next, Thread.ofVirtual());
            awaitParked(consumer);
            consumer.interrupt();
            assertThatThrownBy(() -> next.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(InterruptedException.class);
            w.close();
        }
    }

    @Test
    void timeoutEndsTheStreamAfterTheBufferedEvents() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet())) {
            StoreWatch w = watchFromNow(store, 1);
            create(store, "a");
            create(store, "b");
            // Not read until the timeout has passed: the buffered events still come first.
            await().atMost(Duration.ofSeconds(10)).until(w::isEnded);
            assertThat(w.hasReadyEvent()).isTrue();
            assertThat(w.next().object().name()).isEqualTo("a");
            assertThat(w.next().object().name()).isEqualTo("b");
            assertThat(w.next()).isNull();
            assertThat(w.wasCutOff()).isFalse();
        }
    }

    @Test
    void hasReadyEventSeesBufferedEventsAndTheEnd() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet())) {
            StoreWatch w = watchFromNow(store, 0);
            assertThat(w.hasReadyEvent()).isFalse();
            create(store, "a");
            assertThat(w.hasReadyEvent()).isTrue();
            assertThat(w.next().object().name()).isEqualTo("a");
            assertThat(w.hasReadyEvent()).isFalse();
            w.close();
            assertThat(w.hasReadyEvent()).isTrue();
            assertThat(w.next()).isNull();
        }
    }

    @Test
    void concurrentWritersAndSlowConsumersLoseAndReorderNothing() throws Exception {
        int writers = 4;
        int perWriter = 250;
        int watchers = 8;
        try (ReferenceStore store = ReferenceStore.inMemory(quiet())) {
            List<StoreWatch> watches = new ArrayList<>();
            for (int i = 0; i < watchers; i++) {
                watches.add(watchFromNow(store, 0));
            }
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<List<Long>>> seen = new ArrayList<>();
                for (StoreWatch w : watches) {
                    seen.add(pool.submit(() -> {
                        List<Long> revisions = new ArrayList<>();
                        ThreadLocalRandom rnd = ThreadLocalRandom.current();
                        while (revisions.size() < writers * perWriter) {
                            StoreEvent e = w.next();
                            revisions.add(Long.parseLong(e.object().resourceVersion()));
                            if (rnd.nextInt(50) == 0) {
                                Thread.yield(); // let events pile up now and then, so batches form
                            }
                        }
                        return revisions;
                    }));
                }
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> writes = new ArrayList<>();
                for (int t = 0; t < writers; t++) {
                    int id = t;
                    writes.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < perWriter; i++) {
                            create(store, "w" + id + "-" + i);
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : writes) {
                    f.get(30, TimeUnit.SECONDS);
                }
                for (Future<List<Long>> f : seen) {
                    List<Long> revisions = f.get(30, TimeUnit.SECONDS);
                    assertThat(revisions).hasSize(writers * perWriter).isSorted().doesNotHaveDuplicates();
                }
            }
            watches.forEach(StoreWatch::close);
        }
    }
}
