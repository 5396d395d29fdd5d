package io.kardia.runtime;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.core.selector.Selector;
import io.kardia.informer.SharedInformer;
import io.kardia.informer.SharedInformerFactory;
import java.time.Duration;
import java.util.List;

/**
 * The manager's client: reads ({@code get}, {@code find}, {@code list} without a field selector
 * or paging) come from the shared informer cache, which is started on first use for a kind as in
 * controller-runtime; everything else goes to the API. Reads may therefore be slightly stale;
 * writes use optimistic concurrency, so a stale read fails with a conflict rather than
 * overwriting newer state.
 *
 * <p>Read-your-writes: after a successful create, update, patch or delete through this client, a
 * cache read of that object (or a list of its kind) returns that version or newer: it waits, at
 * most the manager's read-your-writes bound, for the informer to catch up, and reads from the API
 * if it does not ({@link WriteFences}). Writes by others are not waited for.
 */
final class CachedKubeClient implements CachedClient {
    private final KubeClient api;
    private final SharedInformerFactory informers;
    private final String namespace;
    private final Duration syncTimeout;
    private final WriteFences fences;
    /** The manager's clock: how long a read waits for an informer's first list (virtual in a simulation). */
    private final ManagerClock clock;

    CachedKubeClient(KubeClient api, SharedInformerFactory informers, String namespace, Duration syncTimeout) {
        this(api, informers, namespace, syncTimeout, DEFAULT_READ_YOUR_WRITES_BOUND, ManagerClock.system());
    }

    CachedKubeClient(KubeClient api, SharedInformerFactory informers, String namespace, Duration syncTimeout,
                     ManagerClock clock) {
        this(api, informers, namespace, syncTimeout, DEFAULT_READ_YOUR_WRITES_BOUND, clock);
    }

    /** How long a read waits for the informer to reflect this client's own write, by default. */
    static final Duration DEFAULT_READ_YOUR_WRITES_BOUND = Duration.ofSeconds(5);

    CachedKubeClient(KubeClient api, SharedInformerFactory informers, String namespace, Duration syncTimeout,
                     Duration readYourWritesBound) {
        this(api, informers, namespace, syncTimeout, readYourWritesBound, ManagerClock.system());
    }

    CachedKubeClient(KubeClient api, SharedInformerFactory informers, String namespace, Duration syncTimeout,
                     Duration readYourWritesBound, ManagerClock clock) {
        this.fences = new WriteFences(readYourWritesBound, clock);
        this.api = api;
        this.informers = informers;
        this.namespace = namespace;
        this.syncTimeout = syncTimeout;
        this.clock = clock;
    }

    /** Whether {@code informer} has synced, waiting up to the sync timeout on the manager's clock. */
    private boolean synced(SharedInformer<?> informer) throws InterruptedException {
        if (informer.hasSynced()) {
            return true;
        }
        try {
            clock.await(informer.whenSynced(), syncTimeout.toNanos());
            return true;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    @Override
    public <T extends KubeObject> CachedResources<T> resources(ResourceType<T> type) {
        return new CachedResourceClient<>(api.resources(type));
    }

    /** Serves plain gets and lists from synced informers; everything else goes to the API. */
    private final class CachedResourceClient<T extends KubeObject> implements CachedResources<T> {
        private final ResourceClient<T> api;

        CachedResourceClient(ResourceClient<T> api) {
            this.api = api;
        }

        @Override
        public ResourceType<T> type() {
            return api.type();
        }

        @Override
        public T create(T object, WriteOptions options) {
            OwnWriteEvents.Write own = options.dryRun() || object.metadata().name() == null ? null
                    : OwnWriteEvents.begin(type().groupResource(), object.key(), true, null);
            T written = null;
            try {
                written = api.create(object, options);
            } finally {
                OwnWriteEvents.end(own, written);
            }
            return wrote(written, options);
        }

        @Override
        public T update(T object, WriteOptions options) {
            OwnWriteEvents.Write own = ownUpdate(object, options);
            T written = null;
            try {
                written = api.update(object, options);
            } finally {
                OwnWriteEvents.end(own, written);
            }
            return wrote(written, options);
        }

        @Override
        public T updateStatus(T object, WriteOptions options) {
            OwnWriteEvents.Write own = ownUpdate(object, options);
            T written = null;
            try {
                written = api.updateStatus(object, options);
            } finally {
                OwnWriteEvents.end(own, written);
            }
            return wrote(written, options);
        }

        /** A conditional update's own-write record (its event need not reconcile again), if any. */
        private OwnWriteEvents.Write ownUpdate(T object, WriteOptions options) {
            return options.dryRun() ? null
                    : OwnWriteEvents.begin(type().groupResource(), object.key(), false, object.metadata().resourceVersion());
        }

        @Override
        public T patch(String ns, String name, PatchType patchType, String patch, WriteOptions options) {
            return wrote(api.patch(ns, name, patchType, patch, options), options);
        }

        @Override
        public T delete(String ns, String name, DeleteOptions options) {
            T last = api.delete(ns, name, options);
            if (!options.dryRun()) {
                fences.deleted(type().groupResource(), type().namespaced() ? ns + "/" + name : name, last);
            }
            return last;
        }

        private T wrote(T written, WriteOptions options) {
            if (written != null && !options.dryRun()) {
                fences.wrote(type().groupResource(), written);
            }
            return written;
        }

        /** The synced informer serving reads in {@code ns}, or null when the cache can't serve them. */
        private SharedInformer<T> cache(String ns) {
            if (informers == null) {
                return null; // CachedClient.direct: no cache at all
            }
            ResourceType<T> type = type();
            if (type.namespaced() && (ns == null || ns.isEmpty())) {
                return null; // a namespaced read without a namespace: let the API answer (and explain)
            }
            String scope = type.namespaced() ? namespace : null;
            if (scope != null && (ns == null || !ns.equals(scope))) {
                return null; // outside the manager's namespace: not cached
            }
            SharedInformer<T> informer;
            try {
                informer = informers.informerFor(type, scope, Selector.EVERYTHING);
            } catch (IllegalStateException stopped) {
                return null;
            }
            if (!informer.isStarted()) {
                return null;
            }
            try {
                return synced(informer) ? informer : null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        /** The informer serving a list in {@code scope} (null: every namespace). */
        private SharedInformer<T> listCache(String scope) {
            if (informers == null) {
                return null;
            }
            if (!type().namespaced() || scope != null) {
                return cache(type().namespaced() ? scope : null);
            }
            if (namespace != null) {
                return null; // all namespaces, but only one is cached
            }
            try {
                SharedInformer<T> informer = informers.informerFor(type(), null, Selector.EVERYTHING);
                return informer.isStarted() && synced(informer) ? informer : null;
            } catch (IllegalStateException stopped) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        @Override
        public T get(String ns, String name) {
            SharedInformer<T> cache = cache(ns);
            if (cache == null) {
                return api.get(ns, name);
            }
            String key = type().namespaced() ? ns + "/" + name : name;
            if (!fences.awaitKey(cache, type().groupResource(), key)) {
                return api.get(ns, name); // the informer is behind this client's own write: read it fresh
            }
            return cache.lister().get(key).orElseThrow(() -> KubeApiException.of(Status.notFound(type().named(name))));
        }

        @Override
        public ObjectList<T> list(String ns, ListOptions options) {
            boolean plain = options.fieldSelector() == null && options.limit() == 0 && options.continueToken() == null
                    && options.resourceVersion() == null;
            String scope = ns == null || ns.isEmpty() ? namespace : ns;
            SharedInformer<T> cache = plain ? listCache(scope) : null;
            if (cache == null || !fences.awaitAll(cache, type().groupResource())) {
                return api.list(ns, options);
            }
            Selector selector = options.labelSelector() == null ? Selector.EVERYTHING : Selector.parse(options.labelSelector());
            List<T> items = scope == null || !type().namespaced()
                    ? cache.lister().list(selector)
                    : cache.lister().namespace(scope).list(selector);
            return new ObjectList<>(items, null, null, null);
        }
    }
}
