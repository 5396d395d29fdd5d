package io.kardia.informer;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.selector.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind (in one namespace / label-selector scope) mirrored into a local indexed cache by a
 * {@link Reflector}, with event handlers. Obtain one from a {@link SharedInformerFactory} so every
 * controller in the process shares it.
 *
 * <p>Each change is applied to the cache and queued to every handler under one lock, so a handler
 * added late receives a consistent snapshot (as adds) followed by exactly the changes after it.
 * Each handler has its own dispatcher thread and unbounded queue ({@link HandlerRegistration#pending()}).
 *
 * <p>On a relist (after 410 Gone) the cache is replaced by the new list in one step, before any
 * handler hears of it (as client-go 1.36's atomic FIFO): new objects are then delivered as adds,
 * changed ones (different resourceVersion) as updates, and objects missing from the list as
 * deletes with a tombstone ({@code finalStateUnknown}) carrying their last known state. A handler
 * that reads the cache while handling any of them sees the whole relisted state (or newer), never
 * a mix of the old and the new.
 */
public final class SharedInformer<T extends KubeObject> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SharedInformer.class);

    private final ResourceType<T> type;
    private final String namespace;
    private final Selector selector;
    private final ThreadSafeIndexer<T> indexer = new ThreadSafeIndexer<>();
    private final Lister<T> lister = new Lister<>(indexer);
    private final InformerMetrics metrics;
    private final Reflector<T> reflector;
    private final Object processLock = new Object();
    private final List<HandlerDispatcher<T>> dispatchers = new CopyOnWriteArrayList<>();
    private final CountDownLatch synced = new CountDownLatch(1);
    /** Completed with {@link #synced}: lets a caller wait on a clock of its own ({@link #whenSynced()}). */
    private final java.util.concurrent.CompletableFuture<Void> syncedFuture = new java.util.concurrent.CompletableFuture<>();
    private final AtomicInteger handlerNumber = new AtomicInteger();
    /** {@link InformerOptions#dropManagedFields()}: managedFields go before any transform set here. */
    private final boolean dropManagedFields;
    private volatile UnaryOperator<T> transform;
    private volatile State state = State.NEW;
    /** One thread per handler with a resync period, paced by the reflector's clock and sleeper (virtual in a simulation). */
    private final List<Thread> resyncers = new java.util.ArrayList<>();
    private final ReflectorOptions timing;

    private enum State { NEW, STARTED, STOPPED }

    /**
     * @param namespace a namespace, or null for all (and for cluster-scoped kinds)
     * @param selector  the label selector the server applies, {@link Selector#EVERYTHING} for all objects
     */
    public SharedInformer(ResourceClient<T> client, String namespace, Selector selector, InformerOptions options) {
        this(client, namespace, selector, options, new WatchListSupport());
    }

    /** @param watchListSupport what the informers of one client learnt of the server's streaming lists */
    SharedInformer(ResourceClient<T> client, String namespace, Selector selector, InformerOptions options,
                   WatchListSupport watchListSupport) {
        this.type = client.type();
        if (namespace != null && !type.namespaced()) {
            throw new IllegalArgumentException(type.kind() + " is cluster-scoped: its informer cannot be limited to namespace '"
                    + namespace + "'");
        }
        this.namespace = namespace == null || namespace.isEmpty() ? null : namespace;
        this.selector = selector == null ? Selector.EVERYTHING : selector;
        this.dropManagedFields = options.dropManagedFields();
        this.transform = dropManagedFields ? Transforms.dropManagedFields() : UnaryOperator.identity();
        this.metrics = new InformerMetrics(options.registry(), type.groupResource(), this.namespace);
        metrics.cacheSize(indexer::size);
        this.reflector = new Reflector<>(client, this.namespace, this.selector.isEmpty() ? null : this.selector.toString(),
                new CacheUpdater(), options.reflector(), metrics, watchListSupport);
        this.timing = options.reflector();
    }

    public ResourceType<T> type() {
        return type;
    }

    /** The namespace scope, or null for all namespaces. */
    public String namespace() {
        return namespace;
    }

    public Selector selector() {
        return selector;
    }

    /** The cache (read-only view). */
    public Indexer<T> indexer() {
        return indexer;
    }

    public Lister<T> lister() {
        return lister;
    }

    /**
     * Adds a named index (e.g. {@link Indexers#podsByNodeName()}); the current contents are
     * indexed at once, so it may be called before or after start.
     */
    public SharedInformer<T> addIndex(String name, IndexFunction<T> function) {
        synchronized (processLock) {
            indexer.addIndex(name, function);
        }
        return this;
    }

    /**
     * Sets a function applied to every object before it is cached and handed to handlers (e.g.
     * {@link Transforms#dropManagedFields()}). It must return an object of the same kind and key.
     * With {@link InformerOptions#dropManagedFields()}, managedFields are dropped first.
     *
     * @throws IllegalStateException once started: objects already cached would not be transformed
     */
    public SharedInformer<T> setTransform(UnaryOperator<T> fn) {
        synchronized (processLock) {
            if (state != State.NEW) {
                throw new IllegalStateException("the transform of the " + describe() + " informer must be set before it starts");
            }
            Objects.requireNonNull(fn, "transform");
            transform = dropManagedFields ? Transforms.chain(Transforms.<T>dropManagedFields(), fn) : fn;
        }
        return this;
    }

    /** Adds a handler with no resync. */
    public HandlerRegistration addEventHandler(ResourceEventHandler<T> handler) {
        return addEventHandler(null, handler, null);
    }

    /** Adds a handler that also receives every cached object as an update ({@code old == new}) each {@code resyncPeriod}. */
    public HandlerRegistration addEventHandler(ResourceEventHandler<T> handler, Duration resyncPeriod) {
        return addEventHandler(null, handler, resyncPeriod);
    }

    /**
     * Adds a handler. If the informer has synced already, the handler first receives the current
     * contents as adds ({@code isInInitialList = true}).
     *
     * @param name         names the handler in metrics and logs; null for a generated one
     * @param resyncPeriod null or zero for no resync
     */
    public HandlerRegistration addEventHandler(String name, ResourceEventHandler<T> handler, Duration resyncPeriod) {
        Objects.requireNonNull(handler, "handler");
        if (resyncPeriod != null && resyncPeriod.isNegative()) {
            throw new IllegalArgumentException("resyncPeriod must not be negative, got " + resyncPeriod);
        }
        String handlerName = name != null ? name : type.plural() + "-handler-" + handlerNumber.incrementAndGet();
        HandlerDispatcher<T> d;
        synchronized (processLock) {
            if (state == State.STOPPED) {
                throw new IllegalStateException("the " + describe() + " informer is stopped: cannot add handler " + handlerName);
            }
            d = new HandlerDispatcher<>(handlerName, handler, resyncPeriod == null || resyncPeriod.isZero() ? null : resyncPeriod,
                    metrics, dispatchers::remove);
            if (hasSynced()) {
                long now = System.nanoTime();
                for (T obj : indexer.list()) {
                    d.enqueue(new Notification.Add<>(obj, true, now));
                }
                d.enqueue(new Notification.Synced<>(now));
            }
            dispatchers.add(d);
            d.start();
            if (state == State.STARTED) {
                scheduleResync(d);
            }
        }
        return d;
    }

    /** Starts listing and watching; idempotent. */
    public void start() {
        synchronized (processLock) {
            if (state == State.STOPPED) {
                throw new IllegalStateException("the " + describe() + " informer was stopped; informers cannot be restarted");
            }
            if (state == State.STARTED) {
                return;
            }
            state = State.STARTED;
            dispatchers.forEach(this::scheduleResync);
        }
        log.debug("starting the {} informer", describe());
        reflector.start();
    }

    /** Stops the reflector and every handler's dispatcher; the cache keeps its last contents. */
    public void stop() {
        synchronized (processLock) {
            if (state == State.STOPPED) {
                return;
            }
            state = State.STOPPED;
            resyncers.forEach(Thread::interrupt);
        }
        reflector.stop();
        dispatchers.forEach(HandlerDispatcher::stop);
        log.debug("stopped the {} informer", describe());
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isStarted() {
        return state == State.STARTED;
    }

    /** True once the first list has been stored in the cache. */
    public boolean hasSynced() {
        return synced.getCount() == 0;
    }

    /**
     * Completes once the first list is cached, for a caller that waits on its own clock (a
     * simulation's virtual one) rather than {@link #waitForCacheSync}'s real time. A copy:
     * completing it changes nothing here.
     */
    public java.util.concurrent.CompletableFuture<Void> whenSynced() {
        return syncedFuture.copy();
    }

    /** The exception {@link #awaitCacheSync} throws when {@code timeout} passed before the first list was cached. */
    public CacheSyncTimeoutException syncTimedOut(Duration timeout) {
        return new CacheSyncTimeoutException(timeoutMessage(timeout));
    }

    /** Waits until the first list is cached; false if {@code timeout} passed first. */
    public boolean waitForCacheSync(Duration timeout) throws InterruptedException {
        return synced.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits until the first list is cached.
     *
     * @throws CacheSyncTimeoutException naming the kind and scope if {@code timeout} passed first
     */
    public void awaitCacheSync(Duration timeout) throws InterruptedException {
        if (!waitForCacheSync(timeout)) {
            throw new CacheSyncTimeoutException(timeoutMessage(timeout));
        }
    }

    String timeoutMessage(Duration timeout) {
        String err = reflector.lastError();
        return "the " + describe() + " informer did not sync within " + timeout.toMillis() + " ms"
                + (state == State.NEW ? " (it was never started)" : "")
                + (err == null ? "" : "; last list/watch error: " + err);
    }

    /** The revision the cache reflects (last listed, watched or bookmarked). */
    public String lastSyncResourceVersion() {
        return reflector.lastSyncResourceVersion();
    }

    /** Handlers currently registered. */
    public List<HandlerRegistration> handlers() {
        return List.copyOf(dispatchers);
    }

    /** {@code Pod (pods) in namespace ns matching app=x}: how logs and errors name this informer. */
    public String describe() {
        return type.kind() + " (" + type.groupResource() + ")" + (namespace == null ? "" : " in namespace " + namespace)
                + (selector.isEmpty() ? "" : " matching " + selector);
    }

    private void scheduleResync(HandlerDispatcher<T> d) {
        Duration period = d.resyncPeriod();
        if (period == null) {
            return;
        }
        long nanos = period.toNanos();
        java.util.function.LongSupplier clock = timing.nanoClock();
        resyncers.add(Thread.ofVirtual().name("informer-resync-" + type.plural()).start(() -> {
            long next = clock.getAsLong() + nanos; // at a fixed rate
            try {
                while (state != State.STOPPED && dispatchers.contains(d)) {
                    long left = next - clock.getAsLong();
                    if (left > 0) {
                        timing.sleeper().sleep(Duration.ofNanos(left));
                    } else {
                        resync(d);
                        next += nanos;
                    }
                }
            } catch (InterruptedException stopping) {
                // stop() ends the resyncs
            }
        }));
    }

    private void resync(HandlerDispatcher<T> d) {
        synchronized (processLock) {
            if (!hasSynced() || !dispatchers.contains(d)) {
                return;
            }
            long now = System.nanoTime();
            for (T obj : indexer.list()) {
                d.enqueue(new Notification.Update<>(obj, obj, now));
            }
        }
    }

    private void distribute(Notification<T> n) {
        for (HandlerDispatcher<T> d : dispatchers) {
            d.enqueue(n);
        }
    }

    /** Applies what the reflector reads to the cache and fans it out, under the process lock. */
    private final class CacheUpdater implements ReflectorSink<T> {

        @Override
        public void replace(List<T> items, String resourceVersion, boolean initial) {
            synchronized (processLock) {
                long now = System.nanoTime();
                UnaryOperator<T> fn = transform;
                Map<String, T> next = new HashMap<>(Math.max(16, items.size() * 4 / 3 + 1));
                List<Notification<T>> changes = new ArrayList<>();
                int added = 0;
                int updated = 0;
                int deleted = 0;
                for (T raw : items) {
                    T obj = fn.apply(raw);
                    String key = obj.key();
                    T old = indexer.get(key);
                    if (old != null && Objects.equals(old.metadata().resourceVersion(), obj.metadata().resourceVersion())) {
                        next.put(key, old); // unchanged: keep the cached instance and say nothing
                        continue;
                    }
                    next.put(key, obj);
                    if (old == null) {
                        added++;
                        changes.add(new Notification.Add<>(obj, initial, now));
                    } else {
                        updated++;
                        changes.add(new Notification.Update<>(old, obj, now));
                    }
                }
                for (T old : indexer.list()) {
                    if (!next.containsKey(old.key())) {
                        deleted++;
                        changes.add(new Notification.Delete<>(old, true, now));
                    }
                }
                // One step: readers (handlers included) see the old contents or the relisted ones, never a mix,
                // and every notification below is delivered after the swap.
                indexer.replaceAll(next);
                changes.forEach(SharedInformer.this::distribute);
                if (initial) {
                    dispatchers.forEach(d -> d.enqueue(new Notification.Synced<>(now)));
                    synced.countDown();
                    syncedFuture.complete(null);
                    log.debug("{} informer synced: {} objects at resourceVersion {}", describe(), items.size(), resourceVersion);
                } else {
                    log.debug("{} informer relisted at resourceVersion {}: {} added, {} updated, {} deleted (tombstones)",
                            describe(), resourceVersion, added, updated, deleted);
                }
            }
        }

        @Override
        public void apply(WatchEvent.Type eventType, T raw) {
            synchronized (processLock) {
                long now = System.nanoTime();
                T obj = transform.apply(raw);
                if (eventType == WatchEvent.Type.DELETED) {
                    T old = indexer.remove(obj.key());
                    if (old != null) {
                        distribute(new Notification.Delete<>(obj, false, now));
                    }
                    return;
                }
                T old = indexer.put(obj);
                distribute(old == null ? new Notification.Add<>(obj, false, now) : new Notification.Update<>(old, obj, now));
            }
        }
    }
}
