package io.kardia.controllers.gc;

import io.kardia.core.client.ApiResource;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ServerResources;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.PartialObjectMetadata;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.informer.ResourceEventHandler;
import io.kardia.informer.SharedInformer;
import io.kardia.informer.Transforms;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import java.util.ArrayList;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which kinds the server serves (discovery, read again whenever a CRD changes and periodically)
 * and an informer on every one that can be listed, watched and deleted, as
 * kube-controller-manager's graph builder keeps its monitors. Built-in kinds Kardia knows share
 * the process's informers; other kinds (custom resources, built-ins without a model here) get
 * informers of their own that keep only metadata and stop when the kind is no longer served.
 * Every informer's events are turned into work for the collector (see {@link #handler}).
 */
final class ResourceMonitors {
    private static final Logger log = LoggerFactory.getLogger(ResourceMonitors.class);
    /** Not monitored, as kube-controller-manager's defaults: events churn and are never owners worth waiting for. */
    private static final Set<String> IGNORED = Set.of("events", "events.events.k8s.io");
    /**
     * How long judgements wait for a monitor's first list before they go ahead without it, as
     * kube-controller-manager's collector waits for its monitors' sync with a timeout: a kind
     * whose list keeps failing must not stop the collection of everything else for good.
     */
    static final Duration FIRST_LIST_PATIENCE = Duration.ofMinutes(1);

    private final Manager manager;
    private final KubeClient api;
    private final Consumer<Request> work;
    /** groupResource → monitor. */
    private final Map<String, Monitor<?>> monitors = new ConcurrentHashMap<>();
    /** group/kind → the served type, monitored or not (an owner of a kind that cannot be watched is read live). */
    private volatile Map<String, ResourceType<?>> kinds = Map.of();
    /** When discovery was last read, on the manager's clock (a simulation's virtual one): never, at first. */
    private volatile long lastSync;
    private volatile boolean everSynced;
    /** Monitors still unlisted after {@link #FIRST_LIST_PATIENCE}, so the warning about each is logged once. */
    private final Set<Monitor<?>> givenUpOn = ConcurrentHashMap.newKeySet();
    /**
     * Kinds discovery found that are about to get a monitor. Monitors start one by one, and the
     * first ones' events are judged at once: until the last one exists, the dependents of a kind
     * still to come are not even unlisted yet, only absent, so they count as unlisted.
     */
    private volatile Set<String> starting = Set.of();

    /** Makes the monitors of newly served kinds; tests hold one kind's monitor back with it. */
    private final MonitorStarts monitorStarts;

    /**
     * Makes the monitors of the kinds one sync found new, one by one ({@code make} makes one kind's
     * monitor). A seam for tests: {@link #IN_ORDER} in production.
     */
    @FunctionalInterface
    interface MonitorStarts {
        MonitorStarts IN_ORDER = (groupResources, make) -> groupResources.forEach(make);

        void startAll(List<String> groupResources, Consumer<String> make);
    }

    ResourceMonitors(Manager manager, Consumer<Request> work) {
        this(manager, work, MonitorStarts.IN_ORDER);
    }

    ResourceMonitors(Manager manager, Consumer<Request> work, MonitorStarts monitorStarts) {
        this.monitorStarts = monitorStarts;
        this.manager = manager;
        this.api = manager.apiClient();
        this.work = work;
        Thread.ofVirtual().name("gc-monitors-shutdown").start(this::stopOwnInformersAtShutdown);
    }

    private void stopOwnInformersAtShutdown() {
        try {
            manager.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        monitors.values().forEach(Monitor::stop);
        monitors.clear();
    }

    /**
     * Reads discovery and brings the monitors in line: new kinds are monitored, kinds no longer
     * served are dropped (unless their group version could not be read this time).
     */
    synchronized void sync() {
        long start = System.nanoTime();
        int before = monitors.size();
        ServerResources served = api.discoverResources();
        if (!served.failedGroupVersions().isEmpty()) {
            log.warn("garbage collector: discovery could not read {}; their kinds are kept as they were",
                    served.failedGroupVersions());
        }
        Map<String, ResourceType<?>> servedTypes = new HashMap<>();
        for (ApiResource resource : served.resources()) {
            servedTypes.put(resource.type().groupResource(), shared(resource.type()).orElse(resource.type()));
        }
        for (Monitor<?> m : List.copyOf(monitors.values())) {
            String gr = m.type().groupResource();
            if (!servedTypes.containsKey(gr) && !served.failedGroupVersions().containsKey(m.type().apiVersion())) {
                log.info("garbage collector: {} is no longer served; it is not monitored any more", gr);
                monitors.remove(gr);
                givenUpOn.remove(m);
                m.stop();
            }
        }
        // Kinds before monitors: a new monitor's first events are judged at once and resolve owners through them.
        Map<String, ResourceType<?>> byKind = new HashMap<>();
        servedTypes.values().forEach(t -> byKind.putIfAbsent(groupKind(t.group(), t.kind()), t));
        monitors.values().forEach(m -> byKind.putIfAbsent(groupKind(m.type().group(), m.type().kind()), m.type()));
        Set<String> added = new HashSet<>(byKind.keySet());
        added.removeAll(kinds.keySet());
        boolean first = kinds.isEmpty();
        kinds = Map.copyOf(byKind);
        lastSync = nanoTime();
        everSynced = true;
        if (!first && !added.isEmpty()) {
            judgeDependentsOfKinds(added);
        }
        Map<String, ApiResource> toMonitor = new LinkedHashMap<>();
        for (ApiResource resource : served.resources()) {
            ResourceType<?> type = servedTypes.get(resource.type().groupResource());
            if (!IGNORED.contains(type.groupResource()) && resource.supports("list", "watch", "delete")
                    && !monitors.containsKey(type.groupResource())) {
                toMonitor.putIfAbsent(type.groupResource(), resource);
            }
        }
        starting = Set.copyOf(toMonitor.keySet());
        try {
            monitorStarts.startAll(List.copyOf(toMonitor.keySet()), gr ->
                    monitors.computeIfAbsent(gr, g -> monitor(servedTypes.get(gr), toMonitor.get(gr).type())));
        } finally {
            starting = Set.of();
        }
        if (monitors.size() != before) {
            log.info("garbage collector: monitoring {} kinds (discovery and informers took {} ms)", monitors.size(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Dependents referring to kinds that were not served before (a CRD just established): they were
     * left alone while their owners' kind was unknown, so they are judged again now. A linear scan
     * of the caches, on the rare occasion a kind appears.
     */
    private void judgeDependentsOfKinds(Set<String> groupKinds) {
        for (Monitor<?> m : monitors.values()) {
            for (KubeObject obj : m.informer().lister().list()) {
                if (obj.metadata().ownerReferences().stream().anyMatch(r -> r.apiVersion() != null && r.kind() != null
                        && groupKinds.contains(groupKind(groupOf(r.apiVersion()), r.kind())))) {
                    work.accept(GcItem.request(m.type(), obj));
                }
            }
        }
    }

    /**
     * Reads discovery again if it was last read more than {@code minAge} ago: a dependent naming an
     * unknown kind may name a custom kind established a moment ago.
     */
    void syncIfOlderThan(Duration minAge) {
        if (olderThan(minAge)) {
            synchronized (this) {
                if (olderThan(minAge)) {
                    sync();
                }
            }
        }
    }

    private boolean olderThan(Duration minAge) {
        return !everSynced || nanoTime() - lastSync > minAge.toNanos();
    }

    /** The manager's monotonic clock: real time, or a simulation's virtual time (decisions must not read real time). */
    long nanoTime() {
        return manager.clock().nanoTime();
    }

    /** The type Kardia's own controllers use for a served resource, so its informer is shared. */
    private static Optional<ResourceType<?>> shared(ResourceType<GenericObject> served) {
        for (ResourceType<?> t : ResourceTypes.builtIns()) {
            if (sameResource(t, served)) {
                return Optional.of(t);
            }
        }
        for (ResourceType<GenericObject> t : ResourceTypes.genericBuiltIns()) {
            if (sameResource(t, served)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static boolean sameResource(ResourceType<?> a, ResourceType<?> b) {
        return a.group().equals(b.group()) && a.plural().equals(b.plural()) && a.version().equals(b.version());
    }

    @SuppressWarnings("unchecked")
    private Monitor<?> monitor(ResourceType<?> type, ResourceType<GenericObject> served) {
        if (type == served) {
            return ownMonitor((ResourceType<GenericObject>) type);
        }
        return sharedMonitor(type);
    }

    private <T extends KubeObject> Monitor<T> sharedMonitor(ResourceType<T> type) {
        SharedInformer<T> informer = manager.informers().informerFor(type, scope(type), Selector.EVERYTHING);
        GarbageCollector.ensureOwnerIndex(informer);
        var registration = informer.addEventHandler("garbage-collector-graph-" + type.groupResource(), handler(type), null);
        return new Monitor<>(type, informer, api.resources(type), false, registration, manager.clock().nanoTime());
    }

    /**
     * Metadata only, over the wire too ({@code as=PartialObjectMetadata}): the collector needs
     * nothing else, and a custom resource may be large. Deletes and metadata patches go through
     * the same metadata client (the path is the kind's; answers are read as metadata).
     */
    private Monitor<PartialObjectMetadata> ownMonitor(ResourceType<GenericObject> served) {
        ResourceType<PartialObjectMetadata> type = ResourceTypes.metadataOf(served);
        SharedInformer<PartialObjectMetadata> informer = new SharedInformer<>(api.resources(type), scope(type),
                Selector.EVERYTHING, manager.informers().options()); // the manager's clock, jitter and metrics
        // Cached under the kind's own apiVersion and kind, so logs and Events name the real object.
        UnaryOperator<PartialObjectMetadata> slim = Transforms.metadataOnly();
        informer.setTransform(o -> new PartialObjectMetadata(served.apiVersion(), served.kind(), slim.apply(o).metadata()));
        GarbageCollector.ensureOwnerIndex(informer);
        var registration = informer.addEventHandler("garbage-collector-graph-" + type.groupResource(), handler(type), null);
        informer.start();
        log.debug("garbage collector: monitoring {} (metadata only)", type.groupResource());
        return new Monitor<>(type, informer, api.resources(type), true, registration, manager.clock().nanoTime());
    }

    private String scope(ResourceType<?> type) {
        return type.namespaced() ? manager.namespace() : null;
    }

    static String groupKind(String group, String kind) {
        return (group == null ? "" : group) + "/" + kind;
    }

    static String groupOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** The served type an owner reference names (by group and kind: any served version designates the same object). */
    Optional<ResourceType<?>> kindOf(OwnerReference ref) {
        if (ref.apiVersion() == null || ref.kind() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(kinds.get(groupKind(groupOf(ref.apiVersion()), ref.kind())));
    }

    /**
     * The monitor of a resource. A monitor's first events can be handled before {@link #sync()}
     * has put it in the map: an absent one is looked up again once the sync in progress is done.
     */
    Optional<Monitor<?>> byResource(String groupResource) {
        Monitor<?> m = monitors.get(groupResource);
        if (m == null) {
            synchronized (this) {
                m = monitors.get(groupResource);
            }
        }
        return Optional.ofNullable(m);
    }

    Optional<Monitor<?>> monitorOf(ResourceType<?> type) {
        return byResource(type.groupResource());
    }

    int size() {
        return monitors.size();
    }

    /**
     * Whether a judgement may read {@code m}'s cache: its first list is in, or has been awaited
     * longer than {@link #FIRST_LIST_PATIENCE}. Before its first list a monitor misses objects
     * that exist: an owner seen elsewhere, the dependents to orphan or wait for. kube's collector
     * starts its workers only once its monitors have synced; here the judgements that need an
     * unlisted monitor are put off instead, so one slow kind does not hold up the others.
     */
    boolean listed(Monitor<?> m) {
        if (m.listed()) {
            return true;
        }
        if (manager.clock().nanoTime() - m.startedNanos() < FIRST_LIST_PATIENCE.toNanos()) {
            return false;
        }
        if (givenUpOn.add(m)) {
            log.warn("garbage collector: the {} monitor has not finished its first list after {} s; judging without it "
                    + "(an owner or dependent it would show may be missed)", m.type().groupResource(),
                    FIRST_LIST_PATIENCE.toSeconds());
        }
        return true;
    }

    /** Whether {@code type} is about to be monitored (its monitor is not made yet). */
    boolean starting(ResourceType<?> type) {
        return starting.contains(type.groupResource()) && !monitors.containsKey(type.groupResource());
    }

    /**
     * A kind (group/resource) whose monitor a judgement about all of an object's dependents must
     * still wait for ({@link #listed}), or one about to be monitored; empty when there is none.
     */
    Optional<String> unlisted() {
        Optional<String> coming = starting.stream().filter(gr -> !monitors.containsKey(gr)).findFirst();
        if (coming.isPresent()) {
            return coming;
        }
        return monitors.values().stream().filter(m -> !listed(m)).findFirst().map(m -> m.type().groupResource());
    }

    /** One cached dependent and the monitor of its kind. */
    record Dependent(Monitor<?> monitor, KubeObject object) {
    }

    /**
     * Cached objects with an owner reference to {@code owner}: a namespaced owner's dependents are
     * in its namespace (a reference from another namespace does not designate it), a
     * cluster-scoped owner's anywhere.
     */
    List<Dependent> dependentsOf(KubeObject owner) {
        String uid = owner.metadata().uid();
        String ns = owner.metadata().namespace();
        List<Dependent> out = new ArrayList<>();
        for (Monitor<?> m : monitors.values()) {
            for (KubeObject dep : m.dependentsOf(uid)) {
                if (ns == null || ns.isEmpty() || ns.equals(dep.metadata().namespace())) {
                    out.add(new Dependent(m, dep));
                }
            }
        }
        return out;
    }

    /** Whether a cached dependent of {@code owner} still blocks its deletion ({@code blockOwnerDeletion: true}). */
    boolean hasBlockingDependents(KubeObject owner) {
        String uid = owner.metadata().uid();
        for (Dependent dep : dependentsOf(owner)) {
            for (OwnerReference r : dep.object().metadata().ownerReferences()) {
                if (uid.equals(r.uid()) && Boolean.TRUE.equals(r.blockOwnerDeletion())) {
                    return true;
                }
            }
        }
        return false;
    }

    private <T extends KubeObject> ResourceEventHandler<T> handler(ResourceType<T> type) {
        return new GraphChanges<>(type);
    }

    /**
     * What kube's graph builder does with an event, as work: an object with owners is judged when
     * it appears and when its references change; an object being deleted with a
     * {@code foregroundDeletion} or {@code orphan} finalizer is processed, and in the foreground
     * case its dependents too; when an object goes, its dependents are judged and its owners that
     * wait for their dependents are looked at again.
     */
    private final class GraphChanges<T extends KubeObject> implements ResourceEventHandler<T> {
        private final ResourceType<T> type;

        GraphChanges(ResourceType<T> type) {
            this.type = type;
        }

        @Override
        public void onAdd(T obj, boolean isInInitialList) {
            if (!obj.metadata().ownerReferences().isEmpty() || deletingWithGcFinalizer(obj)) {
                work.accept(GcItem.request(type, obj));
            }
            if (deleting(obj, GarbageCollector.FOREGROUND)) {
                dependentsOf(obj).forEach(d -> work.accept(GcItem.request(d.monitor().type(), d.object())));
            }
        }

        @Override
        public void onUpdate(T old, T obj) {
            boolean refsChanged = !Objects.equals(old.metadata().ownerReferences(), obj.metadata().ownerReferences());
            boolean stateChanged = !Objects.equals(old.metadata().deletionTimestamp(), obj.metadata().deletionTimestamp())
                    || !Objects.equals(old.metadata().finalizers(), obj.metadata().finalizers());
            if ((refsChanged && !obj.metadata().ownerReferences().isEmpty())
                    || (stateChanged && deletingWithGcFinalizer(obj)) || old == obj) {
                work.accept(GcItem.request(type, obj));
            }
            if (stateChanged && deleting(obj, GarbageCollector.FOREGROUND)) {
                dependentsOf(obj).forEach(d -> work.accept(GcItem.request(d.monitor().type(), d.object())));
            }
            if (refsChanged || stateChanged) {
                waitingOwners(old);
                waitingOwners(obj);
            }
        }

        @Override
        public void onDelete(T obj, boolean finalStateUnknown) {
            dependentsOf(obj).forEach(d -> work.accept(GcItem.request(d.monitor().type(), d.object())));
            waitingOwners(obj);
        }

        /**
         * Owners of {@code obj} deleting their dependents in the foreground, once none of their
         * blocking dependents is left in the caches: they can finish. Asking only then (not after
         * every dependent that goes) keeps the foreground deletion of n dependents at O(n) work.
         * Each cache drops an object before its handlers run, so whichever cache drops an owner's
         * last blocking dependent sees that none is left.
         */
        private void waitingOwners(KubeObject obj) {
            for (OwnerReference ref : obj.metadata().ownerReferences()) {
                Optional<ResourceType<?>> ownerType = kindOf(ref);
                if (ownerType.isEmpty()) {
                    continue;
                }
                monitorOf(ownerType.get())
                        .flatMap(m -> m.cached(obj.metadata().namespace(), ref.name())
                                .filter(o -> Objects.equals(o.metadata().uid(), ref.uid()))
                                .filter(o -> deleting(o, GarbageCollector.FOREGROUND))
                                .filter(o -> !hasBlockingDependents(o))
                                .map(o -> GcItem.request(m.type(), o)))
                        .ifPresent(work);
            }
        }
    }

    static boolean deleting(KubeObject obj, String finalizer) {
        return obj.metadata().deletionTimestamp() != null && obj.metadata().finalizers().contains(finalizer);
    }

    private static boolean deletingWithGcFinalizer(KubeObject obj) {
        return deleting(obj, GarbageCollector.FOREGROUND) || deleting(obj, GarbageCollector.ORPHAN);
    }
}
