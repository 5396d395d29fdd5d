package io.kardia.store;

import static io.kardia.store.TestKinds.CONFIGMAPS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Randomized: for random histories of creates, updates, patches and deletes (with and without a
 * label selector), a watch from any revision R replays exactly the changes after R, in order, and
 * applying them to the state at R gives the current state.
 */
@org.junit.jupiter.api.Timeout(60)
class WatchReplayPropertyTest {

    /** One acknowledged change, as the model records it. */
    record Change(long revision, String type, String name, String value, String app) { }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void watchFromAnyRevisionReplaysExactlyTheLaterChanges(long seed) throws Exception {
        Random rnd = new Random(seed);
        StoreOptions options = StoreOptions.defaults().withCompactionInterval(Duration.ZERO).withBookmarkInterval(Duration.ZERO);
        try (ReferenceStore store = ReferenceStore.inMemory(options)) {
            long start = store.currentRevision();
            List<Change> changes = new ArrayList<>();
            Map<String, ObjectNode> live = new TreeMap<>();
            for (int i = 0; i < 250; i++) {
                String name = "c" + rnd.nextInt(12);
                String value = Integer.toString(rnd.nextInt(4));
                String app = rnd.nextBoolean() ? "a" : "b";
                ObjectNode current = live.get(name);
                StoredObject result;
                String type;
                try {
                    if (current == null) {
                        ObjectNode body = Json.toTree(TestKinds.configMap("default", name, value));
                        ((ObjectNode) body.at("/metadata/labels")).put("app", app);
                        result = store.create(CONFIGMAPS, "default", body, WriteOptions.DEFAULT);
                        type = "ADDED";
                    } else if (rnd.nextInt(4) == 0) {
                        result = store.delete(CONFIGMAPS, "default", name, null);
                        type = "DELETED";
                    } else if (rnd.nextBoolean()) {
                        ObjectNode body = current.deepCopy();
                        ((ObjectNode) body.get("data")).put("k", value);
                        ((ObjectNode) body.at("/metadata/labels")).put("app", app);
                        result = store.update(CONFIGMAPS, "default", name, body, WriteOptions.DEFAULT);
                        type = "MODIFIED";
                    } else {
                        String patch = "{\"metadata\":{\"labels\":{\"app\":\"" + app + "\"}},\"data\":{\"k\":\"" + value + "\"}}";
                        result = store.patch(CONFIGMAPS, "default", name, PatchType.MERGE, patch.getBytes(StandardCharsets.UTF_8), WriteOptions.DEFAULT);
                        type = "MODIFIED";
                    }
                } catch (KubeApiException e) {
                    throw new AssertionError("unexpected API error", e);
                }
                if (type.equals("DELETED")) {
                    live.remove(name);
                } else {
                    if (current != null && result.revision() == Long.parseLong(current.at("/metadata/resourceVersion").asText())) {
                        continue; // no-op write: no revision, no event
                    }
                    live.put(name, result.json());
                }
                changes.add(new Change(result.revision(), type, name, result.json().at("/data/k").asText(),
                        result.json().at("/metadata/labels/app").asText()));
            }
            assertThat(changes).extracting(Change::revision).isSorted().doesNotHaveDuplicates();
            long end = store.currentRevision();
            assertThat(end).isEqualTo(changes.get(changes.size() - 1).revision());

            for (int probe = 0; probe < 6; probe++) {
                long from = start + rnd.nextInt((int) (end - start));
                boolean selective = probe % 2 == 1;
                List<String> expected = expectedEvents(changes, from, selective);
                StoreWatch w = store.watch(CONFIGMAPS, "default", WatchOptions.from(Long.toString(from))
                        .withBookmarks(false).withLabelSelector(selective ? "app=a" : null).withTimeoutSeconds(5));
                List<String> actual = new ArrayList<>();
                while (actual.size() < expected.size()) {
                    StoreEvent e = w.next();
                    assertThat(e).as("watch ended after %s of %s events", actual.size(), expected.size()).isNotNull();
                    actual.add(e.type() + " " + e.object().name() + " " + e.object().resourceVersion() + " "
                            + e.object().json().at("/data/k").asText());
                }
                w.close();
                assertThat(actual).as("seed %s from %s selective %s", seed, from, selective).isEqualTo(expected);
            }
        }
    }

    /** The model: what a watcher from {@code from} must see, with selector enter/leave semantics. */
    private static List<String> expectedEvents(List<Change> changes, long from, boolean selective) {
        Map<String, Change> state = new TreeMap<>();
        List<String> out = new ArrayList<>();
        for (Change c : changes) {
            Change before = state.get(c.name());
            boolean wasIn = before != null && (!selective || before.app().equals("a"));
            boolean isIn = !selective || c.app().equals("a");
            if (c.type().equals("DELETED")) {
                state.remove(c.name());
            } else {
                state.put(c.name(), c);
            }
            if (c.revision() <= from) {
                continue;
            }
            String type = switch (c.type()) {
                case "ADDED" -> isIn ? "ADDED" : null;
                case "DELETED" -> wasIn ? "DELETED" : null;
                default -> wasIn && isIn ? "MODIFIED" : isIn ? "ADDED" : wasIn ? "DELETED" : null;
            };
            if (type != null) {
                String value = c.type().equals("DELETED") ? before.value() : c.value();
                out.add(type + " " + c.name() + " " + c.revision() + " " + value);
            }
        }
        return out;
    }
}
