package io.kardia.informer;

import static io.kardia.informer.TestPods.added;
import static io.kardia.informer.TestPods.bookmark;
import static io.kardia.informer.TestPods.deleted;
import static io.kardia.informer.TestPods.gone;
import static io.kardia.informer.TestPods.modified;
import static io.kardia.informer.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReflectorTest {
    private final FakeResourceClient<Pod> client = new FakeResourceClient<>(TestPods.TYPE);
    private final RecordingSink sink = new RecordingSink();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    /** Advances 2 s per reading, so no watch counts as "ended early" unless a test says so. */
    private final AtomicLong clock = new AtomicLong();
    private Reflector<Pod> reflector;

    @AfterEach
    void stop() {
        if (reflector != null) {
            reflector.stop();
        }
    }

    private Reflector<Pod> start(ReflectorOptions options) {
        reflector = new Reflector<>(client, null, "app=web", sink, options,
                new InformerMetrics(InformerMetrics.noopRegistry(), "pods", null));
        reflector.start();
        return reflector;
    }

    private ReflectorOptions options() {
        return ReflectorOptions.defaults().withWatchList(false).withSleeper(sleeps::add)
                .withNanoClock(() -> clock.addAndGet(Duration.ofSeconds(2).toNanos()));
    }

    @Test
    void listsInPagesOf500ThenWatchesFromTheListRevisionWithBookmarksAndARandomTimeout() throws Exception {
        for (int i = 0; i < 1200; i++) {
            client.put(pod("ns", "p" + i, 5));
        }
        client.revision = 42;
        start(options());

        FakeWatch<Pod> watch = client.nextWatch();

        assertThat(client.listCalls).hasSize(3);
        assertThat(client.listCalls).allSatisfy(o -> {
            assertThat(o.limit()).isEqualTo(500);
            assertThat(o.labelSelector()).isEqualTo("app=web");
        });
        assertThat(client.listCalls.get(0).continueToken()).isNull();
        assertThat(client.listCalls.get(1).continueToken()).isEqualTo("500");
        assertThat(sink.calls).containsExactly("replace initial 1200 @42");
        WatchOptions w = watch.options;
        assertThat(w.resourceVersion()).isEqualTo("42");
        assertThat(w.allowBookmarks()).isTrue();
        assertThat(w.labelSelector()).isEqualTo("app=web");
        assertThat(w.timeoutSeconds()).isBetween(300L, 600L);
    }

    @Test
    void watchTimeoutsAreSpreadOverMinToTwiceMin() throws Exception {
        start(options());
        for (int i = 0; i < 20; i++) {
            client.nextWatch().end();
        }
        client.nextWatch();
        List<Long> timeouts = client.watchCalls.stream().map(WatchOptions::timeoutSeconds).distinct().toList();
        assertThat(timeouts).allSatisfy(t -> assertThat(t).isBetween(300L, 600L));
        assertThat(timeouts).hasSizeGreaterThan(5);
    }

    @Test
    void appliesEventsAndResumesFromTheLastRevisionWhenAWatchEnds() throws Exception {
        client.revision = 10;
        start(options());
        FakeWatch<Pod> first = client.nextWatch();
        first.send(added(pod("ns", "a", 11)));
        first.send(modified(pod("ns", "a", 12)));
        first.send(deleted(pod("ns", "a", 13)));
        first.end();

        FakeWatch<Pod> second = client.nextWatch();

        assertThat(second.options.resourceVersion()).isEqualTo("13");
        assertThat(sink.calls).containsExactly("replace initial 0 @10", "ADDED ns/a@11", "MODIFIED ns/a@12", "DELETED ns/a@13");
        assertThat(client.listCalls).hasSize(1);
        assertThat(sleeps).isEmpty();
        assertThat(reflector.lastSyncResourceVersion()).isEqualTo("13");
    }

    @Test
    void bookmarksAdvanceTheResumePoint() throws Exception {
        client.revision = 10;
        start(options());
        FakeWatch<Pod> first = client.nextWatch();
        first.send(added(pod("ns", "a", 11)));
        first.send(bookmark(57));
        first.end();

        assertThat(client.nextWatch().options.resourceVersion()).isEqualTo("57");
        assertThat(sink.calls).containsExactly("replace initial 0 @10", "ADDED ns/a@11");
    }

    @Test
    void resumesFromTheLastRevisionAfterAConnectionFailure() throws Exception {
        client.revision = 10;
        start(options());
        FakeWatch<Pod> first = client.nextWatch();
        first.send(added(pod("ns", "a", 11)));
        first.fail(new KubeClientException("connection reset"));

        FakeWatch<Pod> second = client.nextWatch();

        assertThat(second.options.resourceVersion()).isEqualTo("11");
        assertThat(first.closed).isTrue();
        assertThat(client.listCalls).hasSize(1);
    }

    @Test
    void relistsWhenTheWatchStartsWith410() throws Exception {
        client.revision = 10;
        client.watchFailures.add(new KubeApiException.GoneException(Status.expired("too old")));
        start(options());

        FakeWatch<Pod> watch = client.nextWatch();

        assertThat(client.listCalls).hasSize(2);
        assertThat(sink.calls).containsExactly("replace initial 0 @10", "replace relist 0 @10");
        assertThat(watch.options.resourceVersion()).isEqualTo("10");
    }

    @Test
    void relistsOnAnErrorEventWith410AndWatchesFromTheNewListRevision() throws Exception {
        client.revision = 10;
        start(options());
        FakeWatch<Pod> first = client.nextWatch();
        first.send(added(pod("ns", "a", 11)));
        client.revision = 99;
        first.send(gone());

        FakeWatch<Pod> second = client.nextWatch();

        assertThat(first.closed).isTrue();
        assertThat(sink.calls).containsExactly("replace initial 0 @10", "ADDED ns/a@11", "replace relist 0 @99");
        assertThat(second.options.resourceVersion()).isEqualTo("99");
    }

    @Test
    void aNon410ErrorEventResumesFromTheLastRevisionWithoutRelisting() throws Exception {
        client.revision = 10;
        start(options());
        FakeWatch<Pod> first = client.nextWatch();
        first.send(added(pod("ns", "a", 11)));
        first.send(WatchEvent.error(Status.internalError("etcd hiccup")));

        assertThat(client.nextWatch().options.resourceVersion()).isEqualTo("11");
        assertThat(client.listCalls).hasSize(1);
        assertThat(reflector.lastError()).contains("etcd hiccup");
    }

    @Test
    void repeatedFailuresBackOffWithGrowingJitteredDelays() throws Exception {
        client.revision = 10;
        for (int i = 0; i < 6; i++) {
            client.watchFailures.add(new KubeClientException("connection refused"));
        }
        start(options().withRandom(BackoffTest.fixedRandom(0.0)));

        client.nextWatch();

        // first failure retried at once, then 0.8, 1.6, 3.2, 6.4, 12.8 s
        assertThat(sleeps).containsExactly(Duration.ofMillis(800), Duration.ofMillis(1600), Duration.ofMillis(3200),
                Duration.ofMillis(6400), Duration.ofMillis(12800));
        assertThat(client.listCalls).hasSize(1);
    }

    @Test
    void listFailuresAreRetriedWithBackoffBeforeAnyWatch() throws Exception {
        client.listFailures.add(new KubeClientException("connection refused"));
        client.listFailures.add(new KubeClientException("connection refused"));
        client.revision = 7;
        start(options().withRandom(BackoffTest.fixedRandom(0.0)));

        FakeWatch<Pod> watch = client.nextWatch();

        assertThat(watch.options.resourceVersion()).isEqualTo("7");
        assertThat(client.listCalls).hasSize(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(800));
        assertThat(sink.calls).containsExactly("replace initial 0 @7");
    }

    @Test
    void aWatchThatEndsAtOnceWithoutEventsCountsAsAFailure() throws Exception {
        client.revision = 10;
        // a frozen clock: every watch "lasts" 0 ms
        start(options().withNanoClock(() -> 0L).withRandom(BackoffTest.fixedRandom(0.0)));
        client.nextWatch().end();
        client.nextWatch().end();
        client.nextWatch().end();
        client.nextWatch();

        assertThat(sleeps).containsExactly(Duration.ofMillis(800), Duration.ofMillis(1600));
        assertThat(reflector.lastError()).contains("without any event");
    }

    @Test
    void objectsOfAnotherKindAreNeverDeliveredButTheirRevisionCounts() throws Exception {
        client.revision = 10;
        start(options());
        FakeWatch<Pod> first = client.nextWatch();
        Pod foreign = new Pod("v1", "ConfigMap", ObjectMeta.builder().namespace("ns").name("cm").resourceVersion("11").build(),
                null, null, null);
        first.send(added(foreign));
        first.send(added(pod("ns", "a", 12)));
        first.end();

        assertThat(client.nextWatch().options.resourceVersion()).isEqualTo("12");
        assertThat(sink.calls).containsExactly("replace initial 0 @10", "ADDED ns/a@12");
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() throws Exception {
        client.revision = 10;
        client.watchFailures.add(new KubeApiException.TooManyRequestsException(Status.tooManyRequests("slow down", 7)));
        start(options());

        client.nextWatch();

        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void stopEndsTheLoopAndClosesTheWatch() throws Exception {
        start(options());
        FakeWatch<Pod> watch = client.nextWatch();

        reflector.stop();

        await().atMost(Duration.ofSeconds(5)).until(() -> watch.closed && !reflector.isRunning());
        assertThat(client.watchCalls).hasSize(1);
    }

    /** Records what the reflector delivers, compactly. */
    static final class RecordingSink implements ReflectorSink<Pod> {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void replace(List<Pod> items, String resourceVersion, boolean initial) {
            calls.add("replace " + (initial ? "initial " : "relist ") + items.size() + " @" + resourceVersion);
        }

        @Override
        public void apply(WatchEvent.Type type, Pod object) {
            calls.add(type + " " + object.key() + "@" + object.metadata().resourceVersion());
        }
    }
}
