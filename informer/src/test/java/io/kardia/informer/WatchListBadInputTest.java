package io.kardia.informer;

import static io.kardia.informer.TestPods.added;
import static io.kardia.informer.TestPods.bookmark;
import static io.kardia.informer.TestPods.modified;
import static io.kardia.informer.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.selector.Selector;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server whose streaming list is broken (no end bookmark, objects newer than the list, events out
 * of order, a plain bookmark before the end): the informer falls back to a LIST relist, and its
 * cache and handlers only ever see the old state or the new one, never a mix or a partial list.
 */
class WatchListBadInputTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final FakeResourceClient<Pod> client = new FakeResourceClient<>(TestPods.TYPE);
    private final RecordingHandler<Pod> handler = new RecordingHandler<>();
    private final SharedInformer<Pod> informer = new SharedInformer<>(client, null, Selector.EVERYTHING,
            InformerOptions.defaults().withReflector(ReflectorOptions.defaults().withSleeper(d -> { })
                    .withInitialEventsIdle(Duration.ofSeconds(30))));

    @AfterEach
    void stop() {
        informer.stop();
    }

    private static WatchEvent<Pod> endBookmark(long rv) {
        return new WatchEvent<>(WatchEvent.Type.BOOKMARK, Pod.of(ObjectMeta.builder().resourceVersion(Long.toString(rv))
                .annotations(Map.of(WatchOptions.INITIAL_EVENTS_END_ANNOTATION, "true")).build(), null), null);
    }

    private FakeWatch<Pod> start() throws InterruptedException {
        informer.addEventHandler(handler);
        informer.start();
        FakeWatch<Pod> first = client.nextWatch();
        assertThat(first.options.isStreamingList()).isTrue();
        assertThat(first.options.allowBookmarks()).isTrue();
        assertThat(first.options.resourceVersionMatch()).isEqualTo("NotOlderThan");
        return first;
    }

    private void serverListsAt(long revision, Pod... pods) {
        client.revision = revision;
        for (Pod p : pods) {
            client.put(p);
        }
    }

    @Test
    void aStreamEndingWithoutTheEndBookmarkIsNeverCachedAndARelistByListFollows() throws Exception {
        serverListsAt(6, pod("ns", "a", 5), pod("ns", "b", 6));
        FakeWatch<Pod> stream = start();
        stream.send(added(pod("ns", "x", 3)));
        stream.end();

        FakeWatch<Pod> next = client.nextWatch();
        assertThat(next.options.isStreamingList()).as("the relist was a LIST; this watch resumes from it").isFalse();
        assertThat(next.options.resourceVersion()).isEqualTo("6");
        assertThat(client.listCalls).hasSize(1);
        assertThat(informer.indexer().listKeys()).containsExactlyInAnyOrder("ns/a", "ns/b");
        await().atMost(WAIT).until(() -> handler.calls.size() == 2);
        assertThat(handler.calls).containsExactlyInAnyOrder("add ns/a@5 initial", "add ns/b@6 initial");
        assertThat(informer.lastSyncResourceVersion()).isEqualTo("6");
    }

    @Test
    void anInitialObjectNewerThanTheListRevisionFallsBackToAList() throws Exception {
        serverListsAt(9, pod("ns", "a", 9));
        FakeWatch<Pod> stream = start();
        stream.send(added(pod("ns", "a", 9)));
        stream.send(endBookmark(6));

        FakeWatch<Pod> next = client.nextWatch();
        assertThat(next.options.isStreamingList()).isFalse();
        assertThat(next.options.resourceVersion()).isEqualTo("9");
        assertThat(client.listCalls).hasSize(1);
        assertThat(informer.hasSynced()).isTrue();
        assertThat(informer.indexer().getByKey("ns/a").orElseThrow().metadata().resourceVersion()).isEqualTo("9");
    }

    @Test
    void anEventOutOfOrderIsNotAppliedAndTheCacheGoesStraightToTheRelistedState() throws Exception {
        FakeWatch<Pod> stream = start();
        stream.send(added(pod("ns", "a", 5)));
        stream.send(endBookmark(6));
        await().atMost(WAIT).until(informer::hasSynced);
        serverListsAt(8, pod("ns", "a", 7), pod("ns", "c", 8));

        stream.send(modified(pod("ns", "a", 4)));

        FakeWatch<Pod> next = client.nextWatch();
        assertThat(next.options.isStreamingList()).isFalse();
        assertThat(next.options.resourceVersion()).isEqualTo("8");
        await().atMost(WAIT).until(() -> handler.calls.size() == 3);
        assertThat(handler.calls).containsExactly("add ns/a@5 initial", "update ns/a@5->7", "add ns/c@8");
        assertThat(informer.indexer().listKeys()).containsExactlyInAnyOrder("ns/a", "ns/c");
    }

    @Test
    void aPlainBookmarkBeforeTheEndMeansTheServerIgnoresWatchListAndIsRemembered() throws Exception {
        serverListsAt(4, pod("ns", "a", 4));
        FakeWatch<Pod> stream = start();
        stream.send(added(pod("ns", "a", 4)));
        stream.send(bookmark(4));

        FakeWatch<Pod> next = client.nextWatch();
        assertThat(next.options.isStreamingList()).isFalse();
        assertThat(client.listCalls).hasSize(1);
        assertThat(informer.indexer().listKeys()).containsExactly("ns/a");
        next.send(TestPods.gone());
        FakeWatch<Pod> afterGone = client.nextWatch();
        assertThat(afterGone.options.isStreamingList()).as("a later relist lists too: the finding is remembered").isFalse();
        assertThat(client.listCalls).hasSize(2);
    }
}
