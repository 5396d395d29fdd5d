package io.kardia.store;

import static io.kardia.store.TestKinds.CONFIGMAPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Streaming lists (WatchList) in process: the state as ADDED events, the annotated end bookmark at
 * the list's revision, then the live stream; kube-apiserver's 422s for the combinations it refuses;
 * and the modes that play servers without WatchList.
 */
@org.junit.jupiter.api.Timeout(60)
class WatchListTest {
    private ReferenceStore store = newStore(WatchListSupport.SERVED);

    private static ReferenceStore newStore(WatchListSupport mode) {
        return ReferenceStore.inMemory(StoreOptions.defaults().withCompactionInterval(Duration.ZERO)
                .withBookmarkInterval(Duration.ZERO).withWatchList(mode));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private StoredObject create(String name) {
        return store.create(CONFIGMAPS, "default", Json.toTree(TestKinds.configMap("default", name, "v")), WriteOptions.DEFAULT);
    }

    private static List<StoreEvent> take(StoreWatch w, int n) throws InterruptedException {
        List<StoreEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(w.next());
        }
        return events;
    }

    private static String endAnnotation(StoreEvent e) {
        return e.object().json().path("metadata").path("annotations").path(WatchOptions.INITIAL_EVENTS_END_ANNOTATION).asText(null);
    }

    @Test
    void theStateComesAsAddsThenTheAnnotatedBookmarkAtTheListRevisionThenChanges() throws Exception {
        create("a");
        create("b");
        long listRevision = store.currentRevision();

        try (StoreWatch w = store.watch(CONFIGMAPS, "default", WatchOptions.streamingList(""))) {
            List<StoreEvent> initial = take(w, 3);
            create("c");
            StoreEvent live = w.next();

            assertThat(initial).extracting(StoreEvent::type)
                    .containsExactly(StoreEvent.Type.ADDED, StoreEvent.Type.ADDED, StoreEvent.Type.BOOKMARK);
            assertThat(initial.subList(0, 2)).extracting(e -> e.object().name()).containsExactlyInAnyOrder("a", "b");
            assertThat(endAnnotation(initial.get(2))).isEqualTo("true");
            assertThat(initial.get(2).object().resourceVersion()).isEqualTo(Long.toString(listRevision));
            assertThat(live.type()).isEqualTo(StoreEvent.Type.ADDED);
            assertThat(live.object().name()).isEqualTo("c");
        }
    }

    @Test
    void aRevisionAsksForAStateNotOlderThanIt() throws Exception {
        StoredObject a = create("a");
        create("b");

        try (StoreWatch w = store.watch(CONFIGMAPS, "default", WatchOptions.streamingList(a.resourceVersion()))) {
            List<StoreEvent> initial = take(w, 3);
            assertThat(initial.subList(0, 2)).extracting(e -> e.object().name()).containsExactlyInAnyOrder("a", "b");
            assertThat(Long.parseLong(initial.get(2).object().resourceVersion())).isEqualTo(store.currentRevision());
        }
    }

    @Test
    void anEmptyStateStillEndsWithTheBookmark() throws Exception {
        try (StoreWatch w = store.watch(CONFIGMAPS, "default", WatchOptions.streamingList(null))) {
            StoreEvent first = w.next();
            assertThat(first.type()).isEqualTo(StoreEvent.Type.BOOKMARK);
            assertThat(endAnnotation(first)).isEqualTo("true");
        }
    }

    @Test
    void sendInitialEventsFalseSkipsTheState() throws Exception {
        create("a");
        WatchOptions noInitial = new WatchOptions(null, null, null, true, 0, Boolean.FALSE, WatchOptions.NOT_OLDER_THAN);

        try (StoreWatch w = store.watch(CONFIGMAPS, "default", noInitial)) {
            create("b");
            StoreEvent first = w.next();
            assertThat(first.type()).isEqualTo(StoreEvent.Type.ADDED);
            assertThat(first.object().name()).isEqualTo("b");
        }
    }

    @Test
    void badCombinationsAre422InKubeApiserversWords() {
        assertThatThrownBy(() -> store.watch(CONFIGMAPS, "default", WatchOptions.streamingList("").withBookmarks(false)))
                .isInstanceOf(KubeApiException.class)
                .satisfies(e -> assertThat(((KubeApiException) e).status().code()).isEqualTo(422))
                .hasMessageContaining("allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true");
        assertThatThrownBy(() -> store.watch(CONFIGMAPS, "default",
                WatchOptions.streamingList("").withSendInitialEvents(Boolean.TRUE, null)))
                .hasMessageContaining("resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
        assertThatThrownBy(() -> store.watch(CONFIGMAPS, "default",
                WatchOptions.streamingList("").withSendInitialEvents(Boolean.TRUE, "Exact")))
                .hasMessageContaining("resourceVersionMatch: Unsupported value: \"Exact\": supported values: \"NotOlderThan\"");
        assertThatThrownBy(() -> store.watch(CONFIGMAPS, "default",
                WatchOptions.from("").withSendInitialEvents(null, WatchOptions.NOT_OLDER_THAN)))
                .hasMessageContaining("resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")
                .hasMessageStartingWith("ListOptions.meta.k8s.io \"\" is invalid");
    }

    @Test
    void aStoreWithWatchListRefusedAnswersAsKubeWithTheFeatureGateOff() {
        store.close();
        store = newStore(WatchListSupport.REFUSED);

        assertThatThrownBy(() -> store.watch(CONFIGMAPS, "default", WatchOptions.streamingList("")))
                .satisfies(e -> assertThat(((KubeApiException) e).status().code()).isEqualTo(422))
                .hasMessageContaining("sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled");
    }

    @Test
    void aStoreIgnoringWatchListFollowsTheLegacyMeaningAndSendsNoEndBookmark() throws Exception {
        store.close();
        store = newStore(WatchListSupport.IGNORED);
        create("a");

        try (StoreWatch w = store.watch(CONFIGMAPS, "default", WatchOptions.streamingList(""))) {
            StoreEvent first = w.next();
            create("b");
            StoreEvent second = w.next();
            assertThat(first.type()).isEqualTo(StoreEvent.Type.ADDED);
            assertThat(first.object().name()).isEqualTo("a");
            assertThat(second.type()).as("no bookmark between state and changes").isEqualTo(StoreEvent.Type.ADDED);
            assertThat(second.object().name()).isEqualTo("b");
        }
    }
}
