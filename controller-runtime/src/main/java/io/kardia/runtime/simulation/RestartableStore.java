package io.kardia.runtime.simulation;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ListPages;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.ServerResources;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.ResourceType;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.StoredObject;
import io.kardia.store.journal.RetainedJournal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The simulation's store across restarts: one {@link RetainedJournal}, the store open on it now,
 * and a client that always reaches the store open now. A restart closes the store (its watches
 * end, calls answer 503 while it is down) and opens a new one that recovers from the journal;
 * what the old one had acknowledged must all be there again, at the same resourceVersions.
 */
final class RestartableStore implements AutoCloseable {
    private final StoreOptions options;
    private final SplittableRandom random;
    private final StepScheduler scheduler;
    private final RetainedJournal journal = RetainedJournal.create();
    private final KubeClient client = new CurrentClient();
    private volatile Incarnation current;

    /** A store opened on the journal and its in-process client. */
    private record Incarnation(ReferenceStore store, KubeClient client) {
    }

    RestartableStore(StoreOptions options, SplittableRandom random, StepScheduler scheduler) {
        this.options = options;
        this.random = random;
        this.scheduler = scheduler;
        this.current = open();
    }

    private Incarnation open() {
        // A store's timed work (watch timeouts, bookmarks, compaction) on virtual time, on simulated threads;
        // its own timers, as the old store's stop with it.
        ReferenceStore s = ReferenceStore.open(options, journal.open(), random.split(), new VirtualTimers(scheduler));
        return new Incarnation(s, s.client());
    }

    /** The store open now (while it is down: the closed one, which answers 503). */
    ReferenceStore store() {
        return current.store();
    }

    /** A client that reaches whichever store is open when each call is made. */
    KubeClient client() {
        return client;
    }

    /** What the store holds now, object by object: compared across a restart. */
    Map<String, String> content() {
        ReferenceStore s = current.store();
        Map<String, String> out = new TreeMap<>();
        for (ResourceType<?> type : s.types().preferred()) {
            for (StoredObject o : s.list(type, null, ListOptions.all()).items()) {
                out.put(type.groupResource() + " " + o.namespace() + "/" + o.name(), o.resourceVersion() + " " + o.json());
            }
        }
        return out;
    }

    /** Closes the store: its watches end and calls answer 503 until {@link #start}. */
    void stop() {
        current.store().close();
    }

    /**
     * Opens a new store on the journal; returns null when it holds exactly {@code before} at
     * revision {@code revisionBefore}, else what was lost or changed.
     */
    String start(Map<String, String> before, long revisionBefore) {
        current = open();
        long revision = current.store().currentRevision();
        Map<String, String> after = content();
        if (revision == revisionBefore && after.equals(before)) {
            return null;
        }
        List<String> diff = new ArrayList<>();
        for (Map.Entry<String, String> e : before.entrySet()) {
            String now = after.get(e.getKey());
            if (!e.getValue().equals(now)) {
                diff.add(e.getKey() + (now == null ? " lost" : " changed: " + brief(e.getValue()) + " -> " + brief(now)));
            }
        }
        for (String key : after.keySet()) {
            if (!before.containsKey(key)) {
                diff.add(key + " appeared");
            }
        }
        return "the store restarted from its journal at revision " + revision + " (was " + revisionBefore
                + ") does not hold what it had acknowledged: " + String.join("; ", diff.subList(0, Math.min(10, diff.size())))
                + (diff.size() > 10 ? "; and " + (diff.size() - 10) + " more" : "");
    }

    private static String brief(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    @Override
    public void close() {
        current.store().close();
    }

    private KubeClient now() {
        return current.client();
    }

    /** Every call goes to the store open at the time of the call. */
    private final class CurrentClient implements KubeClient {
        @Override
        public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
            return new CurrentResources<>(Objects.requireNonNull(type, "type"));
        }

        @Override
        public void bindPod(String namespace, String podName, String nodeName) {
            now().bindPod(namespace, podName, nodeName);
        }

        @Override
        public ServerResources discoverResources() {
            return now().discoverResources();
        }

        @Override
        public Namespace finalizeNamespace(Namespace namespace) {
            return now().finalizeNamespace(namespace);
        }

        @Override
        public void close() {
            // the stores belong to the simulation
        }
    }

    private final class CurrentResources<T extends KubeObject> implements ResourceClient<T> {
        private final ResourceType<T> type;
        /** The resource client of the store it was made for; made again after a restart. */
        private volatile Bound<T> bound;

        private record Bound<T extends KubeObject>(Incarnation of, ResourceClient<T> resources) {
        }

        CurrentResources(ResourceType<T> type) {
            this.type = type;
        }

        private ResourceClient<T> d() {
            Incarnation now = current;
            Bound<T> b = bound;
            if (b == null || b.of() != now) {
                b = new Bound<>(now, now.client().resources(type));
                bound = b;
            }
            return b.resources();
        }

        @Override
        public ResourceType<T> type() {
            return type;
        }

        @Override
        public T get(String namespace, String name) {
            return d().get(namespace, name);
        }

        @Override
        public ObjectList<T> list(String namespace, ListOptions options) {
            return d().list(namespace, options);
        }

        @Override
        public ListPages<T> listPages(String namespace, ListOptions options) {
            return d().listPages(namespace, options);
        }

        @Override
        public Watch<T> watch(String namespace, WatchOptions options) {
            return d().watch(namespace, options);
        }

        @Override
        public T create(T object, WriteOptions options) {
            return d().create(object, options);
        }

        @Override
        public T update(T object, WriteOptions options) {
            return d().update(object, options);
        }

        @Override
        public T updateStatus(T object, WriteOptions options) {
            return d().updateStatus(object, options);
        }

        @Override
        public T patch(String namespace, String name, PatchType patchType, String patch, WriteOptions options) {
            return d().patch(namespace, name, patchType, patch, options);
        }

        @Override
        public T patchStatus(String namespace, String name, PatchType patchType, String patch, WriteOptions options) {
            return d().patchStatus(namespace, name, patchType, patch, options);
        }

        @Override
        public T delete(String namespace, String name, DeleteOptions options) {
            return d().delete(namespace, name, options);
        }

        @Override
        public void deleteCollection(String namespace, ListOptions selection, DeleteOptions options) {
            d().deleteCollection(namespace, selection, options);
        }
    }
}
