package io.kardia.runtime;

import io.kardia.core.model.KubeObject;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.informer.SharedInformer;
import io.kardia.workqueue.PriorityWorkQueue;
import io.kardia.workqueue.RateLimiter;
import io.kardia.workqueue.RateLimiters;
import io.kardia.workqueue.WorkQueues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Declares a controller, as controller-runtime's builder does in Go:
 *
 * <pre>{@code
 * manager.newController()
 *         .forKind(ReplicaSet.class)           // reconcile each ReplicaSet
 *         .owns(Pod.class)                     // ... and its owner when one of its Pods changes
 *         .withEventFilter(EventFilters.generationChanged())
 *         .maxConcurrentReconciles(4)
 *         .complete(replicaSet -> ...);        // a TypedReconciler<ReplicaSet>; build(Reconciler) for requests
 * }</pre>
 *
 * {@code complete} (typed) or {@code build} (request-level) builds the controller and adds it to the
 * manager, which starts it.
 *
 * @param <T> the primary kind, set by {@link #forKind}
 */
public final class ControllerBuilder<T extends KubeObject> {
    private final Manager manager;
    private ResourceType<T> primary;
    private EventFilter<T> primaryFilter = new EventFilter<>() { };
    private final List<Watched<?>> watched = new ArrayList<>();
    private String name;
    private String namespace;
    private int maxConcurrentReconciles = 1;
    private RateLimiter<Request> rateLimiter;
    private Duration cacheSyncTimeout;
    private boolean skipOwnWriteEvents;

    private record Watched<W extends KubeObject>(ResourceType<W> type, EventFilter<W> filter, Mapping<W> mapping) {
    }

    /** Turns a watched object into requests, knowing the primary type. */
    private interface Mapping<W extends KubeObject> {
        RequestMapper<W> mapper(ResourceType<?> primary);
    }

    ControllerBuilder(Manager manager) {
        this.manager = manager;
        this.namespace = manager.namespace();
    }

    /** The primary kind: each of its objects is reconciled (Go's {@code For}). */
    public <U extends KubeObject> ControllerBuilder<U> forKind(Class<U> kind) {
        return forKind(ResourceTypes.of(kind));
    }

    /** The primary kind, e.g. a custom kind described by {@link ResourceType#generic}. */
    @SuppressWarnings("unchecked")
    public <U extends KubeObject> ControllerBuilder<U> forKind(ResourceType<U> kind) {
        Objects.requireNonNull(kind, "kind");
        if (primary != null) {
            throw new IllegalStateException("forKind was already called with " + primary.kind()
                    + "; a controller has one primary kind (use watches(...) for others)");
        }
        ControllerBuilder<U> self = (ControllerBuilder<U>) this;
        self.primary = kind;
        self.primaryFilter = new EventFilter<>() { };
        return self;
    }

    /** Filters the events of the primary kind; several calls combine with AND. */
    public ControllerBuilder<T> withEventFilter(EventFilter<T> filter) {
        requirePrimary("withEventFilter");
        primaryFilter = primaryFilter.and(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /** Reconciles the controller owner (an object of the primary kind) of each changed {@code kind} object. */
    public <O extends KubeObject> ControllerBuilder<T> owns(Class<O> kind) {
        return owns(ResourceTypes.of(kind), new EventFilter<>() { });
    }

    /**
     * {@link #owns(Class)} for a kind described by its type, e.g. a built-in kind without a typed
     * model such as {@code owns(ResourceTypes.STATEFUL_SET)} (its objects are {@code GenericObject}s).
     */
    public <O extends KubeObject> ControllerBuilder<T> owns(ResourceType<O> kind) {
        return owns(kind, new EventFilter<>() { });
    }

    /** {@link #owns(Class)} with a filter on the owned objects' events. */
    public <O extends KubeObject> ControllerBuilder<T> owns(ResourceType<O> kind, EventFilter<O> filter) {
        Objects.requireNonNull(kind, "kind");
        watched.add(new Watched<>(kind, filter, primaryType -> owned -> ownerRequest(owned, primaryType)));
        return this;
    }

    /** Reconciles whatever {@code mapper} returns for each changed {@code kind} object. */
    public <W extends KubeObject> ControllerBuilder<T> watches(Class<W> kind, RequestMapper<W> mapper) {
        return watches(ResourceTypes.of(kind), mapper, new EventFilter<>() { });
    }

    /** {@link #watches(Class, RequestMapper)} for a kind described by its type, e.g. {@code ResourceTypes.SERVICE}. */
    public <W extends KubeObject> ControllerBuilder<T> watches(ResourceType<W> kind, RequestMapper<W> mapper) {
        return watches(kind, mapper, new EventFilter<>() { });
    }

    /** {@link #watches(ResourceType, RequestMapper)} with a filter on the watched objects' events. */
    public <W extends KubeObject> ControllerBuilder<T> watches(ResourceType<W> kind, RequestMapper<W> mapper,
                                                                 EventFilter<W> filter) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mapper, "mapper");
        watched.add(new Watched<>(kind, filter, primaryType -> mapper));
        return this;
    }

    /** Names the controller (metrics, logs, queue); default: the primary kind in lower case. */
    public ControllerBuilder<T> named(String controllerName) {
        if (controllerName == null || controllerName.isBlank()) {
            throw new IllegalArgumentException("a controller name must not be blank");
        }
        this.name = controllerName;
        return this;
    }

    /** Watches only this namespace (default: the manager's namespace, or all). */
    public ControllerBuilder<T> namespace(String ns) {
        this.namespace = ns == null || ns.isEmpty() ? null : ns;
        return this;
    }

    /** Number of workers; default 1. */
    public ControllerBuilder<T> maxConcurrentReconciles(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("maxConcurrentReconciles must be at least 1, got " + workers);
        }
        this.maxConcurrentReconciles = workers;
        return this;
    }

    /** Retry pacing; default client-go's controller rate limiter (5 ms..1000 s per key, 10 qps overall). */
    public ControllerBuilder<T> rateLimiter(RateLimiter<Request> limiter) {
        this.rateLimiter = Objects.requireNonNull(limiter, "limiter");
        return this;
    }

    /** How long the controller waits for its caches before failing to start; default: the manager's. */
    public ControllerBuilder<T> cacheSyncTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("cacheSyncTimeout must be positive, got " + timeout);
        }
        this.cacheSyncTimeout = timeout;
        return this;
    }

    /**
     * Whether the watch event of this controller's own write through {@link Manager#client()},
     * made during a reconcile, is kept from queueing that same reconcile again (default false, as
     * in controller-runtime, whose read-your-writes client never drops an event): the reconcile
     * already has the write's result. Only a create, or an update conditional on the object's
     * resourceVersion, whose event shows exactly that write (nobody changed the object in between)
     * is held back; patches, deletes and other requests the event maps to always queue. Turn it on
     * only for a reconciler that never counts on its own write's event to run again (one that adds
     * a finalizer, returns done and acts on the next pass would stall until something else changes
     * the object); such a reconciler can return {@link Result#requeue()} instead.
     */
    public ControllerBuilder<T> skipOwnWriteEvents(boolean skip) {
        this.skipOwnWriteEvents = skip;
        return this;
    }

    /** Builds the controller with a typed reconciler (the object is looked up in the cache) and adds it to the manager. */
    public Controller complete(TypedReconciler<T> reconciler) {
        Objects.requireNonNull(reconciler, "reconciler");
        requirePrimary("complete");
        SharedInformer<T> informer = informer(primary);
        return build(request -> {
            Optional<T> current = informer.lister().get(request.key());
            return current.isPresent() ? reconciler.reconcile(current.get()) : reconciler.reconcileAbsent(request);
        });
    }

    /**
     * Builds the controller around a request-level {@link Reconciler} (it reads whatever it needs
     * itself) and adds it to the manager.
     */
    public Controller build(Reconciler reconciler) {
        Objects.requireNonNull(reconciler, "reconciler");
        requirePrimary("build");
        String controllerName = name != null ? name : primary.kind().toLowerCase(Locale.ROOT);
        manager.requireUniqueName(controllerName);
        List<Controller.Source<?>> sources = new ArrayList<>();
        sources.add(new Controller.Source<>(informer(primary), primaryFilter, obj -> List.of(Request.of(obj))));
        for (Watched<?> w : watched) {
            sources.add(source(w));
        }
        RateLimiter<Request> limiter = rateLimiter != null ? rateLimiter
                : RateLimiters.defaultControllerRateLimiter(manager.queueClock());
        PriorityWorkQueue<Request> queue = WorkQueues.builder(controllerName)
                .meterRegistry(manager.meterRegistry())
                .clock(manager.queueClock())
                .buildPriority(limiter);
        Controller controller = new Controller(controllerName, queue, reconciler, sources, maxConcurrentReconciles,
                cacheSyncTimeout != null ? cacheSyncTimeout : manager.cacheSyncTimeout(),
                new ControllerMetrics(manager.meterRegistry(), controllerName, maxConcurrentReconciles), skipOwnWriteEvents,
                manager.queueClock());
        manager.add(controller);
        return controller;
    }

    private <W extends KubeObject> Controller.Source<W> source(Watched<W> w) {
        return new Controller.Source<>(informer(w.type()), w.filter(), w.mapping().mapper(primary));
    }

    private <W extends KubeObject> SharedInformer<W> informer(ResourceType<W> type) {
        return manager.informers().informerFor(type, type.namespaced() ? namespace : null, Selector.EVERYTHING);
    }

    private static List<Request> ownerRequest(KubeObject owned, ResourceType<?> ownerType) {
        Optional<OwnerReference> ref = owned.metadata().controllerRef();
        if (ref.isEmpty() || !ownerType.kind().equals(ref.get().kind()) || !sameGroup(ref.get().apiVersion(), ownerType)) {
            return List.of();
        }
        // Owners are in the dependent's namespace, or cluster-scoped.
        return List.of(new Request(ownerType.namespaced() ? owned.metadata().namespace() : null, ref.get().name()));
    }

    private static boolean sameGroup(String apiVersion, ResourceType<?> type) {
        if (apiVersion == null) {
            return false;
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return group.equals(type.group());
    }

    private void requirePrimary(String step) {
        if (primary == null) {
            throw new IllegalStateException("call forKind(...) before " + step + ": a controller needs its primary kind");
        }
    }
}
