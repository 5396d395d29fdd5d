package io.kardia.benchmarks.informer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.StoredObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reference store's heap per object, in the steps that add to it: the stored versions alone
 * (tree and bytes), the decoded model an in-process reader leaves on each current version, and one
 * more version per object kept in the watch history (an update of each, its answer decoded as an
 * in-process client does). Nothing but the store holds the decoded values here, so the numbers are
 * what the store itself keeps. Heap after full collections.
 *
 * <p>Arguments: {@code pods=10000}. Run with a fixed heap, e.g. {@code -Xms2g -Xmx2g}.
 */
public final class StoreHeapPerVersion {
    private StoreHeapPerVersion() {
    }

    public static void main(String[] args) throws Exception {
        int pods = 10_000;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv[0].equals("pods")) {
                pods = Integer.parseInt(kv[1]);
            } else {
                throw new IllegalArgumentException("unknown argument " + a + "; use pods=");
            }
        }
        ResourceType<Pod> type = ResourceTypes.of(Pod.class);
        long empty = Measure.usedHeapAfterGc();
        // history long enough to keep every version written here; no compaction meanwhile
        try (ReferenceStore store = ReferenceStore.inMemory(StoreOptions.defaults()
                .withHistory(4L * pods + 100, Duration.ofHours(1)).withBookmarkInterval(Duration.ZERO))) {
            for (int i = 0; i < RealisticPods.NAMESPACES; i++) {
                store.client().resources(Namespace.class).create(Namespace.named(RealisticPods.namespace(i)));
            }
            List<String[]> names = new ArrayList<>();
            for (int i = 0; i < pods; i++) {
                StoredObject o = store.create(type, null, (ObjectNode) Json.tree(RealisticPods.json(i)), WriteOptions.DEFAULT);
                names.add(new String[] {o.namespace(), o.name()});
            }
            long stored = Measure.usedHeapAfterGc();
            for (String[] n : names) {
                store.get(type, n[0], n[1], null).decode(Pod.class); // an in-process get
            }
            long decoded = Measure.usedHeapAfterGc();
            for (String[] n : names) {
                ObjectNode next = store.get(type, n[0], n[1], null).json();
                ((ObjectNode) next.path("metadata").path("labels")).put("revision", "2");
                store.update(type, n[0], n[1], next, WriteOptions.DEFAULT).decode(Pod.class); // an in-process update's answer
            }
            long updated = Measure.usedHeapAfterGc();
            System.out.printf(Locale.ROOT, "%,d pods: stored %,d B/pod; + decoded current version %,d B/pod; "
                            + "+ one update each (one version more in history, the new one decoded) %,d B/pod%n",
                    pods, (stored - empty) / pods, (decoded - stored) / pods, (updated - decoded) / pods);
        }
    }
}
