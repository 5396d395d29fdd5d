package io.kardia.core.client.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A streaming list's initial ADDED events are decoded ahead on several threads
 * ({@link InitialEventsReadAhead}): they must come out in the stream's order, never wait for
 * events the server has not sent, and a bad stream must end as it does without the read-ahead.
 */
class HttpWatchReadAheadTest extends MockWatchApiTest {
    static final ResourceType<GenericObject> DEPLOYMENTS = HttpWatchTest.DEPLOYMENTS;

    Watch<GenericObject> streamingList() {
        return client.resources(DEPLOYMENTS).watch("ns1", WatchOptions.streamingList(null));
    }

    static String added(String name, String rv) {
        return HttpWatchTest.event("ADDED", name, rv);
    }

    static String endBookmark(String rv) {
        return "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{"
                + "\"resourceVersion\":\"" + rv + "\",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}}\n";
    }

    @Test
    void initialEventsComeOutInTheStreamsOrderThenTheLiveOnes() throws Exception {
        int count = InitialEventsReadAhead.AHEAD * 3 + 7; // more than are ever decoded ahead
        StringBuilder initial = new StringBuilder();
        for (int i = 0; i < count; i++) {
            initial.append(added("d" + i, Integer.toString(i + 1)));
        }
        String all = initial + endBookmark(Integer.toString(count));
        StreamingBody body = stream();
        for (int at = 0; at < all.length(); at += 4093) { // chunks that split events anywhere
            body.send(all.substring(at, Math.min(all.length(), at + 4093)));
        }
        Watch<GenericObject> watch = streamingList();
        for (int i = 0; i < count; i++) {
            WatchEvent<GenericObject> e = within(reader.submit(watch::next));
            assertThat(e.type()).isEqualTo(WatchEvent.Type.ADDED);
            assertThat(e.object().metadata().name()).isEqualTo("d" + i);
            assertThat(e.resourceVersion()).isEqualTo(Integer.toString(i + 1));
        }
        WatchEvent<GenericObject> bookmark = within(reader.submit(watch::next));
        assertThat(bookmark.type()).isEqualTo(WatchEvent.Type.BOOKMARK);
        assertThat(bookmark.object().metadata().annotations()).containsEntry(WatchOptions.INITIAL_EVENTS_END_ANNOTATION, "true");

        // After the end bookmark, a live event is handed out as soon as it arrives.
        Future<WatchEvent<GenericObject>> live = reader.submit(watch::next);
        body.send(HttpWatchTest.event("MODIFIED", "d0", Integer.toString(count + 1)));
        assertThat(within(live).type()).isEqualTo(WatchEvent.Type.MODIFIED);
        body.send(added("late", Integer.toString(count + 2))).end();
        assertThat(within(reader.submit(watch::next)).object().metadata().name()).isEqualTo("late");
        assertThat(within(reader.submit(watch::next))).isNull();
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().queryParameter("sendInitialEvents")).isEqualTo("true");
    }

    /** The server pauses after one initial event: it is handed out without waiting for a second. */
    @Test
    void aLoneInitialEventIsNotHeldBackWaitingForMore() throws Exception {
        StreamingBody body = stream().send(added("a", "1"));
        Watch<GenericObject> watch = streamingList();
        assertThat(within(reader.submit(watch::next)).object().metadata().name()).isEqualTo("a");
        Future<WatchEvent<GenericObject>> second = reader.submit(watch::next);
        body.send(added("b", "2"));
        assertThat(within(second).object().metadata().name()).isEqualTo("b");
        body.send(endBookmark("2")).end();
        assertThat(within(reader.submit(watch::next)).type()).isEqualTo(WatchEvent.Type.BOOKMARK);
        assertThat(within(reader.submit(watch::next))).isNull();
    }

    @Test
    void anUndecodableInitialObjectIsSkippedAsABookmarkOfItsRevision() throws Exception {
        stream().send(added("a", "1"))
                .send("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"bad\",\"resourceVersion\":\"7\",\"labels\":\"x\"}}}\n")
                .send(added("b", "8") + endBookmark("8")).end();
        Watch<GenericObject> watch = streamingList();
        assertThat(watch.next().object().metadata().name()).isEqualTo("a");
        WatchEvent<GenericObject> skipped = watch.next();
        assertThat(skipped.type()).isEqualTo(WatchEvent.Type.BOOKMARK);
        assertThat(skipped.resourceVersion()).isEqualTo("7");
        assertThat(watch.next().object().metadata().name()).isEqualTo("b");
        assertThat(watch.next().type()).isEqualTo(WatchEvent.Type.BOOKMARK);
        assertThat(watch.next()).isNull();
    }

    @Test
    void anInitialEventWithoutAnObjectEndsTheStreamWithAnErrorEvent() throws Exception {
        stream().send(added("a", "1") + "{\"type\":\"ADDED\",\"objekt\":{}}\n" + added("b", "3")).end();
        Watch<GenericObject> watch = streamingList();
        assertThat(watch.next().type()).isEqualTo(WatchEvent.Type.ADDED);
        WatchEvent<GenericObject> error = watch.next();
        assertThat(error.type()).isEqualTo(WatchEvent.Type.ERROR);
        assertThat(error.status().message()).contains("malformed watch event stream", "has no object");
        assertThat(watch.next()).isNull();
    }

    @Test
    void aStreamThatIsNotASequenceOfObjectsEndsWithAnErrorEvent() throws Exception {
        stream().send(added("a", "1") + "[1,2]\n").end();
        Watch<GenericObject> watch = streamingList();
        assertThat(watch.next().type()).isEqualTo(WatchEvent.Type.ADDED);
        WatchEvent<GenericObject> error = watch.next();
        assertThat(error.type()).isEqualTo(WatchEvent.Type.ERROR);
        assertThat(error.status().message()).contains("malformed watch event");
        assertThat(watch.next()).isNull();
    }

    @Test
    void aStreamCutInsideAnInitialEventEndsAfterTheWholeOnes() throws Exception {
        stream().send(added("a", "1") + added("b", "2") + "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"na").end();
        Watch<GenericObject> watch = streamingList();
        assertThat(watch.next().object().metadata().name()).isEqualTo("a");
        assertThat(watch.next().object().metadata().name()).isEqualTo("b");
        assertThat(watch.next()).isNull();
    }

    /** Braces and quotes inside strings do not confuse where an event ends. */
    @Test
    void bracketsAndEscapedQuotesInsideStringsAreText() throws Exception {
        String tricky = "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{"
                + "\"name\":\"t\",\"resourceVersion\":\"2\",\"annotations\":{\"note\":\"}]{\\\"x\\\\\\\"}\"}}}}\n";
        stream().send(added("a", "1") + tricky + added("b", "3") + endBookmark("3")).end();
        Watch<GenericObject> watch = streamingList();
        assertThat(watch.next().object().metadata().name()).isEqualTo("a");
        WatchEvent<GenericObject> t = watch.next();
        assertThat(t.object().metadata().annotations()).containsEntry("note", "}]{\"x\\\"}");
        assertThat(watch.next().object().metadata().name()).isEqualTo("b");
        assertThat(watch.next().type()).isEqualTo(WatchEvent.Type.BOOKMARK);
    }

    @Test
    void anInitialObjectSentBeforeItsTypeIsDecodedToo() throws Exception {
        stream().send("{\"object\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"a\","
                + "\"resourceVersion\":\"3\"}},\"type\":\"ADDED\"}\n" + added("b", "4") + endBookmark("4")).end();
        Watch<GenericObject> watch = streamingList();
        assertThat(watch.next().object().metadata().name()).isEqualTo("a");
        assertThat(watch.next().object().metadata().name()).isEqualTo("b");
        assertThat(watch.next().type()).isEqualTo(WatchEvent.Type.BOOKMARK);
    }

    @Test
    void closeFromAnotherThreadEndsANextBlockedInTheInitialEvents() throws Exception {
        stream().send(added("a", "1")).stall();
        Watch<GenericObject> watch = streamingList();
        assertThat(watch.next()).isNotNull();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Future<WatchEvent<GenericObject>> blocked = reader.submit(() -> {
            started.complete(null);
            return watch.next();
        });
        started.get(5, TimeUnit.SECONDS);
        watch.close();
        assertThat(within(blocked)).isNull();
        assertThat(watch.next()).isNull();
    }
}
