package io.kardia.informer;

import static io.kardia.informer.StorePods.newPod;
import static io.kardia.informer.StorePods.relabeled;
import static io.kardia.informer.StorePods.storeVersions;
import static io.kardia.informer.StorePods.versions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.store.ReferenceStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Informers against the real in-process reference store. */
class InformerStoreIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ReferenceStore store = ReferenceStore.inMemory();
    private final FaultyKubeClient client = new FaultyKubeClient(store.client());
    private final ResourceClient<Pod> pods = client.resources(Pod.class);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SharedInformerFactory factory = new SharedInformerFactory(client,
            InformerOptions.defaults().withRegistry(registry));

    @AfterEach
    void close() {
        factory.stop();
        client.openDoor();
        store.close();
    }

    @Test
    void initialListThenCreatesUpdatesAndDeletesReachHandlersInOrder() throws Exception {
        Pod a = pods.create(newPod("default", "a", Map.of("app", "web")));
        pods.create(newPod("default", "b", Map.of("app", "web")));
        SharedInformer<Pod> informer = factory.informerFor(Pod.class);
        RecordingHandler<Pod> h = new RecordingHandler<>();
        HandlerRegistration reg = informer.addEventHandler(h);
        factory.start();
        factory.awaitCacheSync(WAIT);
        await().atMost(WAIT).until(reg::hasSynced);
        assertThat(h.snapshot()).containsExactlyInAnyOrder(
                "add default/a@" + a.metadata().resourceVersion() + " initial",
                "add default/b@" + pods.get("default", "b").metadata().resourceVersion() + " initial");

        Pod c = pods.create(newPod("default", "c", Map.of()));
        Pod a2 = pods.update(relabeled(a, "version", "2"));
        Pod bGone = pods.delete("default", "b");

        await().atMost(WAIT).until(() -> h.calls.size() == 5);
        assertThat(h.calls.subList(2, 5)).containsExactly(
                "add default/c@" + c.metadata().resourceVersion(),
                "update default/a@" + a.metadata().resourceVersion() + "->" + a2.metadata().resourceVersion(),
                "delete default/b@" + deletedVersion(bGone));
        assertThat(versions(informer.lister().list())).isEqualTo(storeVersions(pods));
        assertThat(informer.lister().get("default/a").orElseThrow().metadata().labels()).containsEntry("version", "2");
    }

    @Test
    void aHandlerAddedLateGetsTheCurrentContentsFirst() throws Exception {
        pods.create(newPod("default", "a", Map.of()));
        SharedInformer<Pod> informer = factory.informerFor(Pod.class);
        factory.start();
        factory.awaitCacheSync(WAIT);
        pods.create(newPod("default", "b", Map.of()));
        await().atMost(WAIT).until(() -> informer.indexer().size() == 2);

        RecordingHandler<Pod> late = new RecordingHandler<>();
        HandlerRegistration reg = informer.addEventHandler(late);
        Pod c = pods.create(newPod("default", "c", Map.of()));

        await().atMost(WAIT).until(() -> late.calls.size() == 3);
        assertThat(late.calls.subList(0, 2)).allMatch(s -> s.endsWith(" initial"))
                .anyMatch(s -> s.startsWith("add default/a@")).anyMatch(s -> s.startsWith("add default/b@"));
        assertThat(late.calls.get(2)).isEqualTo("add default/c@" + c.metadata().resourceVersion());
        assertThat(reg.hasSynced()).isTrue();
    }

    @Test
    void resyncRedeliversTheCacheAsUpdates() throws Exception {
        Pod a = pods.create(newPod("default", "a", Map.of()));
        SharedInformer<Pod> informer = factory.informerFor(Pod.class);
        RecordingHandler<Pod> h = new RecordingHandler<>();
        informer.addEventHandler(h, Duration.ofMillis(100));
        factory.start();

        String rv = a.metadata().resourceVersion();
        await().atMost(WAIT).until(() -> h.calls.contains("update default/a@" + rv + "->" + rv + " resync"));
    }

    @Test
    void namespaceAndLabelSelectorScopesAreAppliedByTheServer() throws Exception {
        SharedInformer<Pod> web = factory.informerFor(ResourceTypes.of(Pod.class), "default", Selector.parse("app=web"));
        RecordingHandler<Pod> h = new RecordingHandler<>();
        web.addEventHandler(h);
        factory.start();
        factory.awaitCacheSync(WAIT);

        Pod inScope = pods.create(newPod("default", "web-1", Map.of("app", "web")));
        pods.create(newPod("default", "db-1", Map.of("app", "db")));
        pods.create(newPod("kube-public", "web-2", Map.of("app", "web")));
        Pod relabeled = pods.update(relabeled(inScope, "app", "retired"));

        await().atMost(WAIT).until(() -> h.calls.size() == 2);
        assertThat(h.calls.get(0)).isEqualTo("add default/web-1@" + inScope.metadata().resourceVersion());
        assertThat(h.calls.get(1)).startsWith("delete default/web-1@");
        assertThat(web.indexer().size()).isZero();
        assertThat(relabeled.metadata().labels()).containsEntry("app", "retired");
    }

    @Test
    void withoutWatchListTheInitialListIsPaged() throws Exception {
        for (int i = 0; i < 1100; i++) {
            pods.create(newPod("default", "p-" + i, Map.of()));
        }
        factory.stop();
        SharedInformerFactory factory = new SharedInformerFactory(client, InformerOptions.defaults().withRegistry(registry)
                .withReflector(ReflectorOptions.defaults().withWatchList(false)));
        SharedInformer<Pod> informer = factory.informerFor(Pod.class);
        factory.start();
        factory.awaitCacheSync(WAIT);
        factory.stop();

        assertThat(informer.indexer().size()).isEqualTo(1100);
        assertThat(registry.get("informer.list.pages").counter().count()).isEqualTo(3.0);
        assertThat(informer.lister().namespace("default").list()).hasSize(1100);
    }

    @Test
    void aCutWatchResumesFromTheLastRevisionWithoutRelisting() throws Exception {
        SharedInformer<Pod> informer = factory.informerFor(Pod.class);
        RecordingHandler<Pod> h = new RecordingHandler<>();
        informer.addEventHandler(h);
        factory.start();
        factory.awaitCacheSync(WAIT);
        pods.create(newPod("default", "a", Map.of()));
        await().atMost(WAIT).until(() -> h.calls.size() == 1);

        client.closeDoor();
        client.cutWatches(true);
        Pod b = pods.create(newPod("default", "b", Map.of()));
        client.openDoor();

        await().atMost(WAIT).until(() -> h.calls.size() == 2);
        assertThat(h.calls.get(1)).isEqualTo("add default/b@" + b.metadata().resourceVersion());
        assertThat(registry.get("informer.relists").counter().count()).isZero();
        assertThat(registry.get("informer.lists").counter().count()).isEqualTo(1.0);
        assertThat(client.watchesOpened.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aWatchTooOldForTheHistoryRelistsAndDeliversMissedDeletionsAsTombstones() throws Exception {
        Pod doomed = pods.create(newPod("default", "doomed", Map.of()));
        Pod kept = pods.create(newPod("default", "kept", Map.of()));
        SharedInformer<Pod> informer = factory.informerFor(Pod.class);
        RecordingHandler<Pod> h = new RecordingHandler<>();
        informer.addEventHandler(h);
        factory.start();
        factory.awaitCacheSync(WAIT);
        await().atMost(WAIT).until(() -> h.calls.size() == 2);

        client.closeDoor();
        client.cutWatches(false);
        pods.delete("default", "doomed");
        Pod kept2 = pods.update(relabeled(kept, "x", "y"));
        Pod fresh = pods.create(newPod("default", "fresh", Map.of()));
        store.compact();
        client.openDoor();

        await().atMost(WAIT).until(() -> h.calls.size() == 5);
        assertThat(h.calls.subList(2, 5)).containsExactlyInAnyOrder(
                "delete default/doomed@" + doomed.metadata().resourceVersion() + " tombstone",
                "update default/kept@" + kept.metadata().resourceVersion() + "->" + kept2.metadata().resourceVersion(),
                "add default/fresh@" + fresh.metadata().resourceVersion());
        assertThat(registry.get("informer.relists").counter().count()).isEqualTo(1.0);
        assertThat(versions(informer.lister().list())).isEqualTo(storeVersions(pods));
    }

    private static String deletedVersion(Pod deleteResult) {
        return deleteResult.metadata().resourceVersion();
    }
}
