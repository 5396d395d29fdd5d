package io.kardia.informer;

import io.kardia.core.client.KubeClient;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.PartialObjectMetadata;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Hands every caller asking for the same kind, namespace scope and label selector the same
 * {@link SharedInformer}, so a process lists and watches each of them once however many
 * controllers read it.
 *
 * <pre>{@code
 * var factory = new SharedInformerFactory(client);
 * SharedInformer<Pod> pods = factory.informerFor(Pod.class);
 * pods.addIndex("node", Indexers.podsByNodeName());
 * pods.addEventHandler(new ResourceEventHandler<>() {
 *     public void onAdd(Pod p, boolean initial) { queue.add(p.key()); }
 * });
 * factory.start();
 * factory.awaitCacheSync(Duration.ofSeconds(30));
 * List<Pod> onNode = pods.indexer().byIndex("node", "node-1");
 * }</pre>
 *
 * Once the factory is started, informers it creates later start at once.
 */
public final class SharedInformerFactory implements AutoCloseable {
    private final KubeClient client;
    private final InformerOptions options;
    /** One client, one server: what one informer learns of its streaming lists, all use. */
    private final WatchListSupport watchListSupport = new WatchListSupport();
    private final Map<InformerKey, SharedInformer<?>> informers = new ConcurrentHashMap<>();
    /**
     * The same informers in the order they were created: started, waited for and stopped in that
     * order, not in the map's, which follows the keys' hashes (a Class's differs from one JVM to the
     * next) and would make a simulation's seed replay differently in another test run.
     */
    private final List<SharedInformer<?>> inOrder = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean started;
    private volatile boolean stopped;

    /** Identity of a shared informer. */
    private record InformerKey(ResourceType<?> type, String namespace, String selector) {
    }

    public SharedInformerFactory(KubeClient client) {
        this(client, InformerOptions.defaults());
    }

    public SharedInformerFactory(KubeClient client, InformerOptions options) {
        this.client = client;
        this.options = options;
    }

    /** The options of the informers this factory makes (an informer made apart can share them). */
    public InformerOptions options() {
        return options;
    }

    /** The informer for every object of a built-in kind. */
    public <T extends KubeObject> SharedInformer<T> informerFor(Class<T> type) {
        return informerFor(ResourceTypes.of(type), null, Selector.EVERYTHING);
    }

    /** The informer for every object of a kind. */
    public <T extends KubeObject> SharedInformer<T> informerFor(ResourceType<T> type) {
        return informerFor(type, null, Selector.EVERYTHING);
    }

    /**
     * The informer for a kind limited to a namespace (null for all) and a label selector
     * ({@link Selector#EVERYTHING} for all objects).
     */
    public <T extends KubeObject> SharedInformer<T> informerFor(ResourceType<T> type, String namespace, Selector selector) {
        return informerFor(type, namespace, selector, null);
    }

    @SuppressWarnings("unchecked")
    private <T extends KubeObject> SharedInformer<T> informerFor(ResourceType<T> type, String namespace, Selector selector,
                                                                 UnaryOperator<T> initialTransform) {
        if (stopped) {
            throw new IllegalStateException("this informer factory is stopped: cannot create an informer for " + type.kind());
        }
        String ns = namespace == null || namespace.isEmpty() ? null : namespace;
        Selector sel = selector == null ? Selector.EVERYTHING : selector;
        var key = new InformerKey(type, ns, sel.toString());
        SharedInformer<?> informer = informers.computeIfAbsent(key, k -> {
            SharedInformer<T> created = new SharedInformer<>(client.resources(type), ns, sel, options, watchListSupport);
            if (initialTransform != null) {
                created.setTransform(initialTransform);
            }
            inOrder.add(created);
            return created;
        });
        if (started) {
            informer.start();
        }
        return (SharedInformer<T>) informer;
    }

    /**
     * The metadata-only informer of a kind: a cache of {@link PartialObjectMetadata} (name,
     * namespace, labels, annotations, owners, finalizers, resourceVersion...), listed and watched
     * with {@code as=PartialObjectMetadata}: a fraction of the full objects' memory, for
     * controllers that need no spec or status (the garbage collector, owner lookups). managedFields
     * are dropped before caching and repeated labels, annotations and owners shared
     * ({@link Transforms#metadataOnly()}).
     */
    public SharedInformer<PartialObjectMetadata> metadataInformer(ResourceType<?> type) {
        return metadataInformer(type, null, Selector.EVERYTHING);
    }

    /** The metadata-only informer of a built-in kind. */
    public SharedInformer<PartialObjectMetadata> metadataInformer(Class<? extends KubeObject> type) {
        return metadataInformer(ResourceTypes.of(type));
    }

    /** The metadata-only informer of a kind, limited to a namespace (null for all) and a label selector. */
    public SharedInformer<PartialObjectMetadata> metadataInformer(ResourceType<?> type, String namespace,
                                                                  Selector selector) {
        return informerFor(ResourceTypes.metadataOf(type), namespace, selector, Transforms.metadataOnly());
    }

    /** Starts every informer created so far and, from now on, each one created later. */
    public void start() {
        if (stopped) {
            throw new IllegalStateException("this informer factory is stopped; create a new one");
        }
        started = true;
        inOrder.forEach(SharedInformer::start);
    }

    /** Waits until every informer has synced; false if {@code timeout} passed first. */
    public boolean waitForCacheSync(Duration timeout) throws InterruptedException {
        return unsynced(timeout).isEmpty();
    }

    /**
     * Waits until every informer has synced.
     *
     * @throws CacheSyncTimeoutException naming each informer that had not synced
     */
    public void awaitCacheSync(Duration timeout) throws InterruptedException {
        List<SharedInformer<?>> late = unsynced(timeout);
        if (!late.isEmpty()) {
            List<String> why = new ArrayList<>();
            for (SharedInformer<?> i : late) {
                why.add(i.timeoutMessage(timeout));
            }
            throw new CacheSyncTimeoutException(String.join("; ", why));
        }
    }

    private List<SharedInformer<?>> unsynced(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SharedInformer<?>> late = new ArrayList<>();
        for (SharedInformer<?> i : inOrder) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!i.waitForCacheSync(Duration.ofNanos(left))) {
                late.add(i);
            }
        }
        return late;
    }

    /** What this factory's informers learnt of the server's streaming lists. */
    public WatchListSupport watchListSupport() {
        return watchListSupport;
    }

    /** The informers created so far. */
    public List<SharedInformer<?>> informers() {
        return List.copyOf(inOrder);
    }

    /** Stops every informer. */
    public void stop() {
        stopped = true;
        inOrder.forEach(SharedInformer::stop);
    }

    @Override
    public void close() {
        stop();
    }
}
