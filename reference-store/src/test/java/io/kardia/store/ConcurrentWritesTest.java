package io.kardia.store;

import static io.kardia.store.TestKinds.CONFIGMAPS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many writers: every acknowledged write has its own revision, revisions are gapless, each write is
 * visible to its writer at once, optimistic concurrency loses no update, and a watcher sees every
 * write exactly once in order.
 */
@org.junit.jupiter.api.Timeout(60)
class ConcurrentWritesTest {
    private static final int THREADS = 8;
    private static final int WRITES = 250;

    @Test
    void revisionsAreUniqueGaplessAndEveryAcknowledgedWriteIsVisible() throws Exception {
        ControllableJournal journal = new ControllableJournal();
        StoreOptions options = StoreOptions.defaults().withCompactionInterval(Duration.ZERO).withBookmarkInterval(Duration.ZERO)
                .withWatchBufferSize(1_000_000);
        try (ReferenceStore store = ReferenceStore.open(options, journal)) {
            store.create(CONFIGMAPS, "default", Json.toTree(TestKinds.configMap("default", "counter", "0")), WriteOptions.DEFAULT);
            long start = store.currentRevision();
            StoreWatch watch = store.watch(CONFIGMAPS, "default", WatchOptions.from(Long.toString(start)).withBookmarks(false));
            ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < WRITES; i++) {
                        StoredObject w;
                        if (i % 5 == 0) {
                            w = incrementCounter(store);
                        } else {
                            w = store.create(CONFIGMAPS, "default", Json.toTree(TestKinds.configMap("default", "t" + thread + "-" + i, "v")),
                                    WriteOptions.DEFAULT);
                            assertThat(store.get(CONFIGMAPS, "default", w.name(), null).revision()).isEqualTo(w.revision());
                        }
                        acknowledged.add(w.revision());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            List<Long> revs = new ArrayList<>(acknowledged);
            revs.sort(null);
            assertThat(revs).hasSize(THREADS * WRITES).doesNotHaveDuplicates();
            assertThat(revs.get(0)).isEqualTo(start + 1);
            assertThat(revs.get(revs.size() - 1)).isEqualTo(start + THREADS * WRITES);
            assertThat(store.currentRevision()).isEqualTo(start + THREADS * WRITES);
            int increments = THREADS * (WRITES / 5);
            assertThat(store.get(CONFIGMAPS, "default", "counter", null).json().at("/data/k").asText())
                    .isEqualTo(Integer.toString(increments));
            assertThat(journal.records).extracting(r -> r.revision()).isSorted().doesNotHaveDuplicates();
            long expected = start + 1;
            for (int i = 0; i < THREADS * WRITES; i++) {
                StoreEvent e = watch.next();
                assertThat(e.object().revision()).isEqualTo(expected++);
            }
            watch.close();
        }
    }

    /** Read-modify-write with retry on conflict, as controllers do. */
    private static StoredObject incrementCounter(ReferenceStore store) {
        while (true) {
            ObjectNode c = store.get(CONFIGMAPS, "default", "counter", null).json();
            ObjectNode data = (ObjectNode) c.get("data");
            data.put("k", Integer.toString(Integer.parseInt(data.get("k").asText()) + 1));
            try {
                return store.update(CONFIGMAPS, "default", "counter", c, WriteOptions.DEFAULT);
            } catch (KubeApiException.ConflictException retry) {
                // someone else won; re-read
            }
        }
    }
}
