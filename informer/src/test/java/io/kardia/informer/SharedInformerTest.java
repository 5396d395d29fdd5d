package io.kardia.informer;

import static io.kardia.informer.TestPods.added;
import static io.kardia.informer.TestPods.deleted;
import static io.kardia.informer.TestPods.gone;
import static io.kardia.informer.TestPods.modified;
import static io.kardia.informer.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeClientException;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.selector.Selector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedInformerTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private final FakeResourceClient<Pod> client = new FakeResourceClient<>(TestPods.TYPE);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SharedInformer<Pod> informer = new SharedInformer<>(client, null, Selector.EVERYTHING,
            InformerOptions.defaults().withRegistry(registry)
                    .withReflector(ReflectorOptions.defaults().withWatchList(false).withSleeper(d -> { })));

    @AfterEach
    void stop() {
        informer.stop();
    }

    @Test
    void initialListArrivesAsInitialAddsThenWatchEventsInOrder() throws Exception {
        client.put(pod("ns", "a", 1));
        client.put(pod("ns", "b", 2));
        client.revision = 2;
        RecordingHandler<Pod> h = new RecordingHandler<>();
        HandlerRegistration reg = informer.addEventHandler(h);
        informer.start();
        assertThat(informer.waitForCacheSync(WAIT)).isTrue();

        FakeWatch<Pod> watch = client.nextWatch();
        watch.send(added(pod("ns", "c", 3)));
        watch.send(modified(pod("ns", "a", 4)));
        watch.send(deleted(pod("ns", "b", 5)));
        watch.send(deleted(pod("ns", "never-seen", 6)));

        await().atMost(WAIT).until(() -> h.calls.size() == 5);
        assertThat(h.snapshot()).containsExactly("add ns/a@1 initial", "add ns/b@2 initial", "add ns/c@3",
                "update ns/a@1->4", "delete ns/b@5");
        assertThat(reg.hasSynced()).isTrue();
        assertThat(informer.lister().list()).extracting(Pod::key).containsExactlyInAnyOrder("ns/a", "ns/c");
        assertThat(informer.indexer().getByKey("ns/a").orElseThrow().metadata().resourceVersion()).isEqualTo("4");
        await().atMost(WAIT).until(() -> "6".equals(informer.lastSyncResourceVersion()));
    }

    @Test
    void aHandlerAddedAfterSyncFirstGetsTheCurrentContentsThenNewEvents() throws Exception {
        client.put(pod("ns", "a", 1));
        informer.start();
        informer.awaitCacheSync(WAIT);
        FakeWatch<Pod> watch = client.nextWatch();
        watch.send(added(pod("ns", "b", 2)));
        await().atMost(WAIT).until(() -> informer.indexer().size() == 2);

        RecordingHandler<Pod> late = new RecordingHandler<>();
        HandlerRegistration reg = informer.addEventHandler(late);
        watch.send(modified(pod("ns", "a", 3)));

        await().atMost(WAIT).until(() -> late.calls.size() == 3);
        assertThat(late.calls.subList(0, 2)).containsExactlyInAnyOrder("add ns/a@1 initial", "add ns/b@2 initial");
        assertThat(late.calls.get(2)).isEqualTo("update ns/a@1->3");
        await().atMost(WAIT).until(reg::hasSynced);
    }

    @Test
    void aRelistReconcilesTheCacheAndDeliversMissingObjectsAsTombstones() throws Exception {
        client.put(pod("ns", "same", 1));
        client.put(pod("ns", "changed", 1));
        client.put(pod("ns", "vanished", 1));
        client.revision = 1;
        RecordingHandler<Pod> h = new RecordingHandler<>();
        informer.addEventHandler(h);
        informer.start();
        FakeWatch<Pod> watch = client.nextWatch();
        await().atMost(WAIT).until(() -> h.calls.size() == 3);

        // While the watch was down, the store moved on and compacted its history.
        client.removeKey("ns/vanished");
        client.put(pod("ns", "changed", 5));
        client.put(pod("ns", "new", 6));
        client.revision = 6;
        watch.send(gone());

        FakeWatch<Pod> after = client.nextWatch();
        await().atMost(WAIT).until(() -> h.calls.size() == 6);
        assertThat(h.calls.subList(3, 6)).containsExactlyInAnyOrder("update ns/changed@1->5", "add ns/new@6",
                "delete ns/vanished@1 tombstone");
        assertThat(informer.indexer().listKeys()).containsExactlyInAnyOrder("ns/same", "ns/changed", "ns/new");
        assertThat(after.options.resourceVersion()).isEqualTo("6");
        assertThat(registry.get("informer.relists").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("informer.lists").counter().count()).isEqualTo(2.0);
    }

    @Test
    void aThrowingHandlerIsLoggedAndKeepsReceiving() throws Exception {
        RecordingHandler<Pod> h = new RecordingHandler<>() {
            @Override
            public void onAdd(Pod obj, boolean initial) {
                super.onAdd(obj, initial);
                throw new IllegalStateException("handler bug");
            }
        };
        informer.addEventHandler("buggy", h, null);
        informer.start();
        FakeWatch<Pod> watch = client.nextWatch();
        watch.send(added(pod("ns", "a", 2)));
        watch.send(added(pod("ns", "b", 3)));
        watch.send(deleted(pod("ns", "a", 4)));

        await().atMost(WAIT).until(() -> h.calls.size() == 3);
        assertThat(h.snapshot()).containsExactly("add ns/a@2", "add ns/b@3", "delete ns/a@4");
        assertThat(registry.get("informer.handler.errors").tag("handler", "buggy").counter().count()).isEqualTo(2.0);
    }

    @Test
    void aSlowHandlerDelaysNobodyElse() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch slowEntered = new CountDownLatch(1);
        informer.addEventHandler("slow", new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod obj, boolean initial) {
                slowEntered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, null);
        RecordingHandler<Pod> fast = new RecordingHandler<>();
        informer.addEventHandler(fast);
        informer.start();
        FakeWatch<Pod> watch = client.nextWatch();
        for (int i = 0; i < 100; i++) {
            watch.send(added(pod("ns", "p" + i, 10 + i)));
        }

        await().atMost(WAIT).until(() -> fast.calls.size() == 100);
        assertThat(slowEntered.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        HandlerRegistration slow = informer.handlers().stream().filter(r -> r.name().equals("slow")).findFirst().orElseThrow();
        assertThat(slow.pending()).isEqualTo(99);
        assertThat(registry.get("informer.handler.queue.size").tag("handler", "slow").gauge().value()).isEqualTo(99.0);
        release.countDown();
        await().atMost(WAIT).until(() -> slow.pending() == 0);
    }

    @Test
    void resyncRedeliversEveryCachedObjectAsAnUpdateToTheSameInstance() throws Exception {
        client.put(pod("ns", "a", 1));
        RecordingHandler<Pod> resyncing = new RecordingHandler<>();
        RecordingHandler<Pod> plain = new RecordingHandler<>();
        informer.addEventHandler(resyncing, Duration.ofMillis(50));
        informer.addEventHandler(plain);
        informer.start();

        await().atMost(WAIT).until(() -> resyncing.calls.stream().filter(c -> c.equals("update ns/a@1->1 resync")).count() >= 2);
        assertThat(plain.snapshot()).containsExactly("add ns/a@1 initial");
    }

    @Test
    void waitForCacheSyncTimesOutWithAMessageNamingTheKindAndTheLastError() throws Exception {
        client.permanentListFailure = new KubeClientException("connection refused by 10.0.0.1");
        // the real backoff: the reflector waits rather than spinning while the test waits
        SharedInformer<Pod> informer = new SharedInformer<>(client, null, Selector.EVERYTHING,
                InformerOptions.defaults().withReflector(ReflectorOptions.defaults().withWatchList(false)));
        informer.start();

        assertThat(informer.waitForCacheSync(Duration.ofMillis(200))).isFalse();
        assertThat(informer.hasSynced()).isFalse();
        // a busy machine may not have run the first list yet: the message names the error once there is one
        await().atMost(WAIT).until(() -> informer.timeoutMessage(Duration.ZERO).contains("connection refused"));
        assertThatThrownBy(() -> informer.awaitCacheSync(Duration.ofMillis(10)))
                .isInstanceOf(CacheSyncTimeoutException.class)
                .hasMessageContaining("Pod (pods) informer did not sync within 10 ms")
                .hasMessageContaining("connection refused");
        informer.stop();
    }

    @Test
    void theTransformRunsBeforeCachingAndMustBeSetBeforeStart() throws Exception {
        Pod heavy = Pod.of(ObjectMeta.builder().namespace("ns").name("a").resourceVersion("1")
                .annotation("small", "x").annotation("big", "y".repeat(10_000))
                .extra("managedFields", List.of(Map.of("manager", "kubectl"))).build(), null);
        client.put(heavy);
        informer.setTransform(Transforms.chain(Transforms.dropManagedFields(), Transforms.dropAnnotationsLongerThan(1000)));
        RecordingHandler<Pod> h = new RecordingHandler<>();
        informer.addEventHandler(h);
        informer.start();
        informer.awaitCacheSync(WAIT);

        Pod cached = informer.indexer().getByKey("ns/a").orElseThrow();
        assertThat(cached.metadata().extra()).doesNotContainKey("managedFields");
        assertThat(cached.metadata().annotations()).containsOnlyKeys("small");
        assertThatThrownBy(() -> informer.setTransform(p -> p)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before it starts");
    }

    @Test
    void optionsThatDropManagedFieldsDropThemBeforeTheInformersOwnTransform() throws Exception {
        client.put(Pod.of(ObjectMeta.builder().namespace("ns").name("a").resourceVersion("1").annotation("k", "v")
                .extra("managedFields", List.of(Map.of("manager", "kubectl"))).build(), null));
        SharedInformer<Pod> dropping = new SharedInformer<>(client, null, Selector.EVERYTHING,
                InformerOptions.defaults().withManagedFieldsDropped(true)
                        .withReflector(ReflectorOptions.defaults().withWatchList(false).withSleeper(d -> { })));
        try {
            List<Boolean> sawManagedFields = new java.util.concurrent.CopyOnWriteArrayList<>();
            dropping.setTransform(p -> {
                sawManagedFields.add(p.metadata().extra().containsKey("managedFields"));
                return p;
            });
            dropping.start();
            assertThat(dropping.waitForCacheSync(WAIT)).isTrue();

            Pod cached = dropping.indexer().getByKey("ns/a").orElseThrow();
            assertThat(cached.metadata().extra()).doesNotContainKey("managedFields");
            assertThat(cached.metadata().annotations()).containsEntry("k", "v");
            assertThat(sawManagedFields).containsOnly(false).isNotEmpty();
        } finally {
            dropping.stop();
        }
        assertThat(InformerOptions.defaults().dropManagedFields()).as("client-go's default: kept").isFalse();
    }

    @Test
    void stoppedInformersCannotRestartOrTakeHandlers() {
        informer.start();
        informer.stop();
        assertThatThrownBy(informer::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot be restarted");
        assertThatThrownBy(() -> informer.addEventHandler(new RecordingHandler<>()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");
    }

    @Test
    void aRemovedHandlerGetsNothingMore() throws Exception {
        RecordingHandler<Pod> h = new RecordingHandler<>();
        HandlerRegistration reg = informer.addEventHandler(h);
        RecordingHandler<Pod> witness = new RecordingHandler<>();
        informer.addEventHandler(witness);
        informer.start();
        FakeWatch<Pod> watch = client.nextWatch();
        watch.send(added(pod("ns", "a", 2)));
        await().atMost(WAIT).until(() -> h.calls.size() == 1);

        reg.remove();
        watch.send(added(pod("ns", "b", 3)));

        await().atMost(WAIT).until(() -> witness.calls.size() == 2);
        assertThat(h.snapshot()).containsExactly("add ns/a@2");
        assertThat(informer.handlers()).hasSize(1);
    }

    @Test
    void metricsCountListsWatchesAndEvents() throws Exception {
        client.revision = 3;
        informer.start();
        FakeWatch<Pod> watch = client.nextWatch();
        watch.send(added(pod("ns", "a", 4)));
        watch.send(TestPods.bookmark(9));

        await().atMost(WAIT).until(() -> registry.get("informer.last.resource.version").gauge().value() == 9.0);
        assertThat(registry.get("informer.lists").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("informer.watches").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("informer.events").tag("type", "ADDED").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("informer.events").tag("type", "BOOKMARK").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("informer.cache.size").gauge().value()).isEqualTo(1.0);
    }
}
