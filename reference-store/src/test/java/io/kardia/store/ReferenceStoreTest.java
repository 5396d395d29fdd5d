package io.kardia.store;

import static io.kardia.store.TestKinds.CONFIGMAPS;
import static io.kardia.store.TestKinds.CRDS;
import static io.kardia.store.TestKinds.PODS;
import static io.kardia.store.TestKinds.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.store.journal.JournalRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Store behaviour below the client API: binding, watch flow control, bookmarks, durability ordering, recovery. */
@org.junit.jupiter.api.Timeout(60)
class ReferenceStoreTest {

    private static ObjectNode tree(GenericObject o) {
        return Json.toTree(o);
    }

    private static StoreOptions quiet() {
        return StoreOptions.defaults().withCompactionInterval(Duration.ZERO).withBookmarkInterval(Duration.ZERO);
    }

    private static StoreEvent firstEvent(StoreWatch w) {
        try {
            return w.next();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void bindSetsTheNodeOnceAndConflictsAfter() {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet())) {
            store.create(PODS, "default", tree(TestKinds.pod("default", "p", null)), WriteOptions.DEFAULT);
            StoredObject bound = store.bind("default", "p", "node-1", null);
            assertThat(bound.json().at("/spec/nodeName").asText()).isEqualTo("node-1");
            assertThat(bound.json().at("/status/conditions/0/type").asText()).isEqualTo("PodScheduled");
            assertThatThrownBy(() -> store.bind("default", "p", "node-2", null))
                    .isInstanceOf(KubeApiException.ConflictException.class)
                    .hasMessage("Operation cannot be fulfilled on pods/binding \"p\": pod p is already assigned to node \"node-1\"");
            assertThatThrownBy(() -> store.bind("default", "missing", "node-2", null))
                    .isInstanceOf(KubeApiException.NotFoundException.class);
        }
    }

    @Test
    void slowWatcherIsCutOffWithoutBlockingWriters() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet().withWatchBufferSize(5))) {
            StoreWatch w = store.watch(CONFIGMAPS, "default", WatchOptions.from(Long.toString(store.currentRevision())));
            for (int i = 0; i < 20; i++) {
                store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", "c" + i, "v")), WriteOptions.DEFAULT);
            }
            int delivered = 0;
            while (w.next() != null) {
                delivered++;
            }
            assertThat(w.wasCutOff()).isTrue();
            assertThat(delivered).isEqualTo(5);
            StoreWatch resumed = store.watch(CONFIGMAPS, "default", WatchOptions.from(
                    Long.toString(store.list(CONFIGMAPS, "default", null).revision() - 15)));
            assertThat(resumed.next().object().name()).isEqualTo("c5");
            resumed.close();
        }
    }

    @Test
    void bookmarksCarryTheCurrentRevision() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet().withBookmarkInterval(Duration.ofMillis(20)))) {
            StoredObject c = store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", "c", "v")), WriteOptions.DEFAULT);
            StoreWatch w = store.watch(CONFIGMAPS, "default", WatchOptions.from(c.resourceVersion()));
            StoreEvent e = w.next();
            assertThat(e.type()).isEqualTo(StoreEvent.Type.BOOKMARK);
            assertThat(e.object().resourceVersion()).isEqualTo(c.resourceVersion());
            assertThat(e.object().json().path("kind").asText()).isEqualTo("ConfigMap");
            w.close();
            StoreWatch noBookmarks = store.watch(CONFIGMAPS, "default", WatchOptions.from(c.resourceVersion()).withBookmarks(false).withTimeoutSeconds(1));
            assertThat(noBookmarks.next()).isNull();
        }
    }

    @Test
    void writesBecomeVisibleInRevisionOrderOnlyWhenDurable() throws Exception {
        ControllableJournal journal = new ControllableJournal();
        try (ReferenceStore store = ReferenceStore.open(quiet(), journal)) {
            long start = store.currentRevision();
            journal.holdAppends = true;
            CompletableFuture<StoredObject> first = CompletableFuture.supplyAsync(() ->
                    store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", "a", "v")), WriteOptions.DEFAULT));
            await().until(() -> journal.pendingCount() == 1);
            CompletableFuture<StoredObject> second = CompletableFuture.supplyAsync(() ->
                    store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", "b", "v")), WriteOptions.DEFAULT));
            await().until(() -> journal.pendingCount() == 2);
            journal.pending(1).complete(null);
            assertThat(store.currentRevision()).isEqualTo(start);
            assertThat(store.list(CONFIGMAPS, "default", null).items()).isEmpty();
            assertThat(first).isNotDone();
            assertThat(second).isNotDone();
            journal.pending(0).complete(null);
            assertThat(first.get(5, TimeUnit.SECONDS).revision()).isEqualTo(start + 1);
            assertThat(second.get(5, TimeUnit.SECONDS).revision()).isEqualTo(start + 2);
            assertThat(store.currentRevision()).isEqualTo(start + 2);
        }
    }

    @Test
    void aJournalFailureStopsTheStore() {
        ControllableJournal journal = new ControllableJournal();
        try (ReferenceStore store = ReferenceStore.open(quiet(), journal)) {
            journal.failAppends = new IllegalStateException("disk full");
            assertThatThrownBy(() -> store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", "a", "v")), WriteOptions.DEFAULT))
                    .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isEqualTo(500));
            assertThatThrownBy(() -> store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", "b", "v")), WriteOptions.DEFAULT))
                    .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isEqualTo(503));
        }
    }

    @Test
    void restartRecoversStateAndCustomKinds() {
        ControllableJournal journal = new ControllableJournal();
        StoredObject kept;
        long revision;
        try (ReferenceStore store = ReferenceStore.open(quiet(), journal)) {
            store.create(CRDS, null, tree(TestKinds.widgetCrd()), WriteOptions.DEFAULT);
            store.create(WIDGETS, "default", tree(TestKinds.widget("default", "w")), WriteOptions.DEFAULT);
            store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", "gone", "v")), WriteOptions.DEFAULT);
            store.delete(CONFIGMAPS, "default", "gone", null);
            kept = store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", "kept", "v")), WriteOptions.DEFAULT);
            revision = store.currentRevision();
        }
        try (ReferenceStore again = ReferenceStore.open(quiet(), new ControllableJournal(journal))) {
            assertThat(again.currentRevision()).isEqualTo(revision);
            assertThat(again.get(CONFIGMAPS, "default", "kept", null).bytes()).isEqualTo(kept.bytes());
            assertThatThrownBy(() -> again.get(CONFIGMAPS, "default", "gone", null)).isInstanceOf(KubeApiException.NotFoundException.class);
            assertThat(again.get(WIDGETS, "default", "w", null).name()).isEqualTo("w");
            assertThat(again.types().served()).extracting(ResourceType::groupResource).contains("widgets.example.kardia.io");
            StoredObject next = again.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", "new", "v")), WriteOptions.DEFAULT);
            assertThat(next.revision()).isEqualTo(revision + 1);
            assertThat(firstEvent(again.watch(CONFIGMAPS, "default", WatchOptions.from(Long.toString(revision - 1)))).type())
                    .as("history before a restart is gone").isEqualTo(StoreEvent.Type.ERROR);
        }
    }

    @Test
    void snapshotsHoldTheLiveObjectsAtTheirRevision() {
        ControllableJournal journal = new ControllableJournal();
        try (ReferenceStore store = ReferenceStore.open(quiet().withSnapshotEveryWrites(10), journal)) {
            for (int i = 0; i < 12; i++) {
                store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", "c" + i, "v")), WriteOptions.DEFAULT);
            }
            await().until(() -> !journal.snapshots().isEmpty());
            ControllableJournal.Snapshot s = journal.snapshots().get(0);
            List<String> keys = new ArrayList<>();
            for (JournalRecord r : s.records()) {
                assertThat(r.revision()).isLessThanOrEqualTo(s.revision());
                assertThat(r.op()).isEqualTo(JournalRecord.Op.PUT);
                keys.add(r.resource() + " " + r.key());
            }
            assertThat(keys).contains("namespaces default", "configmaps default/c0");
            assertThat(keys).hasSize(4 + (int) (s.revision() - 4));
        }
    }

    @Test
    void oversizedObjectsAreRejected() {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet().withMaxObjectBytes(2048))) {
            ObjectNode big = tree(TestKinds.configMap("default", "big", "x".repeat(4096)));
            assertThatThrownBy(() -> store.create(CONFIGMAPS, "default", big, WriteOptions.DEFAULT))
                    .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isEqualTo(413));
            assertThat(store.list(CONFIGMAPS, "default", null).items()).isEmpty();
        }
    }

    @Test
    void automaticCompactionKeepsTheConfiguredWindow() {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet().withHistory(5, null).withCompactionInterval(Duration.ofMillis(10)))) {
            for (int i = 0; i < 20; i++) {
                store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", "c" + i, "v")), WriteOptions.DEFAULT);
            }
            await().until(() -> store.compactedRevision() == store.currentRevision() - 5);
            StoreWatch w = store.watch(CONFIGMAPS, "default", WatchOptions.from(Long.toString(store.currentRevision() - 6)));
            assertThat(firstEvent(w).type()).isEqualTo(StoreEvent.Type.ERROR);
            assertThat(firstEvent(store.watch(CONFIGMAPS, "default", WatchOptions.from(Long.toString(store.currentRevision() - 5))
                    .withBookmarks(false)))).extracting(StoreEvent::type).isEqualTo(StoreEvent.Type.ADDED);
        }
    }

    @Test
    void compactionDuringReplayEndsTheWatchWithGone() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet())) {
            long start = store.currentRevision();
            for (int i = 0; i < 5; i++) {
                store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", "c" + i, "v")), WriteOptions.DEFAULT);
            }
            StoreWatch w = store.watch(CONFIGMAPS, "default", WatchOptions.from(Long.toString(start)).withBookmarks(false));
            store.compact();
            StoreEvent e = w.next();
            while (e.type() != StoreEvent.Type.ERROR) {
                e = w.next();
            }
            assertThat(e.status().code()).isEqualTo(410);
            assertThat(e.status().message()).startsWith("too old resource version: " + start + " (");
            assertThat(w.next()).isNull();
        }
    }

    @Test
    void hasReadyEventSkipsFilteredHistory() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet())) {
            long start = store.currentRevision();
            store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", "a", "v")), WriteOptions.DEFAULT);
            StoreWatch w = store.watch(CONFIGMAPS, "default", WatchOptions.from(Long.toString(start))
                    .withBookmarks(false).withLabelSelector("app=none"));
            assertThat(w.hasReadyEvent()).as("only filtered-out history: next() would block").isFalse();
            StoreWatch all = store.watch(CONFIGMAPS, "default", WatchOptions.from(Long.toString(start)).withBookmarks(false));
            assertThat(all.hasReadyEvent()).isTrue();
            assertThat(all.next().object().name()).isEqualTo("a");
            assertThat(all.hasReadyEvent()).isFalse();
            all.close();
            assertThat(all.hasReadyEvent()).isTrue();
            assertThat(all.next()).isNull();
            w.close();
        }
    }

    @Test
    void aFailedDefinitionDeleteLeavesItsObjects() {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet())) {
            store.create(CRDS, null, tree(TestKinds.widgetCrd()), WriteOptions.DEFAULT);
            store.create(WIDGETS, "default", tree(TestKinds.widget("default", "w")), WriteOptions.DEFAULT);
            assertThatThrownBy(() -> store.delete(CRDS, null, "widgets.example.kardia.io",
                    io.kardia.core.client.DeleteOptions.DEFAULT.withPreconditions("wrong-uid", null)))
                    .isInstanceOf(KubeApiException.ConflictException.class);
            assertThat(store.get(WIDGETS, "default", "w", null).name()).isEqualTo("w");
            StoreWatch w = store.watch(WIDGETS, "default", WatchOptions.from(Long.toString(store.currentRevision())).withBookmarks(false));
            store.delete(CRDS, null, "widgets.example.kardia.io", null);
            assertThat(firstEvent(w).type()).as("watchers see the objects go").isEqualTo(StoreEvent.Type.DELETED);
            assertThat(firstEvent(w)).as("then the stream ends").isNull();
            assertThat(store.types().byGroupResource("widgets.example.kardia.io")).isEmpty();
        }
    }

    @Test
    void pagingUnderConcurrentWritesMatchesTheStateAtTheFirstPage() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet())) {
            for (int i = 0; i < 200; i++) {
                store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", String.format("c%03d", i), "0")), WriteOptions.DEFAULT);
            }
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
            CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
                java.util.Random rnd = new java.util.Random(7);
                int writes = 0;
                while (!stop.get()) {
                    String name = String.format("c%03d", rnd.nextInt(260));
                    try {
                        if (rnd.nextBoolean()) {
                            store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", name, "new")), WriteOptions.DEFAULT);
                        } else {
                            store.delete(CONFIGMAPS, "default", name, null);
                        }
                        writes++;
                        written.incrementAndGet();
                    } catch (KubeApiException expected) {
                        // exists already / not there: fine
                    }
                }
                return writes;
            });
            try {
                for (int round = 0; round < 5; round++) {
                    // Each round pages while the writer is known to be writing.
                    long before = written.get();
                    await().atMost(Duration.ofSeconds(10)).until(() -> written.get() > before);
                    StoreList page = store.list(CONFIGMAPS, "default", io.kardia.core.client.ListOptions.all().withLimit(17));
                    List<String> paged = new ArrayList<>();
                    page.items().forEach(o -> paged.add(o.name() + "@" + o.resourceVersion()));
                    while (page.continueToken() != null) {
                        page = store.list(CONFIGMAPS, "default", io.kardia.core.client.ListOptions.all().withLimit(17).withContinue(page.continueToken()));
                        page.items().forEach(o -> paged.add(o.name() + "@" + o.resourceVersion()));
                    }
                    List<String> exact = new ArrayList<>();
                    store.list(CONFIGMAPS, "default", io.kardia.core.client.ListOptions.all()
                            .withResourceVersion(page.resourceVersion(), "Exact")).items()
                            .forEach(o -> exact.add(o.name() + "@" + o.resourceVersion()));
                    assertThat(paged).isEqualTo(exact);
                }
            } finally {
                stop.set(true);
            }
            assertThat(writer.get(10, TimeUnit.SECONDS)).isPositive();
        }
    }

    @Test
    void aReadAtAFutureRevisionWaitsForIt() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet())) {
            long next = store.currentRevision() + 1;
            CompletableFuture<StoreList> read = CompletableFuture.supplyAsync(() -> store.list(CONFIGMAPS, "default",
                    io.kardia.core.client.ListOptions.all().withResourceVersion(Long.toString(next), "NotOlderThan")));
            assertThat(read).as("nothing at revision %d yet", next).isNotDone();
            store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", "late", "v")), WriteOptions.DEFAULT);
            StoreList list = read.get(5, TimeUnit.SECONDS);
            assertThat(list.revision()).isGreaterThanOrEqualTo(next);
            assertThat(list.items()).extracting(StoredObject::name).contains("late");
        }
    }

    @Test
    void aWatchResumedFromThePastReplaysOnlyItsOwnKind() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory(quiet())) {
            long from = store.currentRevision();
            store.create(CONFIGMAPS, "default", tree(TestKinds.configMap("default", "c", "v")), WriteOptions.DEFAULT);
            store.create(PODS, "default", tree(TestKinds.pod("default", "p", null)), WriteOptions.DEFAULT);
            try (StoreWatch w = store.watch(PODS, null, WatchOptions.from(Long.toString(from)).withBookmarks(false))) {
                StoreEvent first = w.next();
                assertThat(first.object().json().path("kind").asText()).isEqualTo("Pod");
                assertThat(first.object().name()).isEqualTo("p");
                assertThat(w.hasReadyEvent()).as("no event of another kind follows").isFalse();
            }
        }
    }

    @Test
    void writesNeverHangWhileWatchesComeAndGo() throws Exception {
        // A write that became durable while a watch was registering used to be left unpublished,
        // and its writer waited forever.
        try (ReferenceStore store = ReferenceStore.inMemory(quiet())) {
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread watcher = Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    store.watch(PODS, "default", WatchOptions.from(null).withBookmarks(false)).close();
                }
            });
            try {
                CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        store.create(PODS, "default", tree(TestKinds.pod("default", "p" + i, null)), WriteOptions.DEFAULT);
                    }
                });
                // a hang never finishes; the bound only has to outlast 2,000 creates on a busy 2-core machine
                writes.get(60, TimeUnit.SECONDS);
            } finally {
                stop.set(true);
                watcher.join();
            }
            assertThat(store.list(PODS, "default", io.kardia.core.client.ListOptions.all()).items()).hasSize(2_000);
        }
    }

    @Test
    void anUnchangedTypedObjectWrittenBackIsANoOp() {
        // Java-built bodies carry long numbers where parsed JSON carries ints; the store must not
        // see that as a change (it used to refuse the pod update as an immutable-field change).
        try (ReferenceStore store = ReferenceStore.inMemory(quiet())) {
            var pods = store.client().resources(io.kardia.core.model.Pod.class);
            var pod = pods.create(io.kardia.core.model.Pod.of(
                    io.kardia.core.model.ObjectMeta.builder().namespace("default").name("p").build(),
                    io.kardia.core.model.PodSpec.of(io.kardia.core.model.Container.of("app", "nginx:1"))));
            var again = pods.update(pod);
            assertThat(again.metadata().resourceVersion()).isEqualTo(pod.metadata().resourceVersion());
            var relabeled = pods.update(pod.withMetadata(pod.metadata().toBuilder().label("x", "y").build()));
            assertThat(relabeled.metadata().labels()).containsEntry("x", "y");
            assertThat(relabeled.metadata().generation()).isEqualTo(pod.metadata().generation());
        }
    }
}
