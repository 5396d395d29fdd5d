package io.kardia.controllers.gc;

import io.kardia.core.model.KubeObject;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.ResourceTypes;
import io.kardia.informer.SharedInformer;
import io.kardia.runtime.Controller;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * kube-controller-manager's garbage collector, for every kind the server serves: built-ins and
 * custom resources, found through discovery and followed as CRDs come and go
 * ({@link ResourceMonitors}). The ownership graph is the monitors' caches indexed by owner uid, so
 * it is rebuilt from lists after a restart. One controller ({@code garbage-collector}) whose
 * requests name an object of any kind ({@link GcItem}); {@link Collection} judges one object:
 * <ul>
 *   <li><b>Background</b>: a dependent whose owners are all gone (absent, or present with another
 *       uid — checked with a live read, as kube does) is deleted; with some owners left it only
 *       loses the dangling references.</li>
 *   <li><b>Foreground</b>: the owner waits with the {@code foregroundDeletion} finalizer while its
 *       dependents are deleted; the finalizer goes once no dependent with
 *       {@code blockOwnerDeletion: true} remains.</li>
 *   <li><b>Orphan</b>: the owner waits with the {@code orphan} finalizer while its references are
 *       removed from its dependents.</li>
 * </ul>
 */
public final class GarbageCollector {
    public static final String FOREGROUND = "foregroundDeletion";
    public static final String ORPHAN = "orphan";
    /** The controller's name (queue, metrics) and the Events' source component. */
    public static final String NAME = "garbage-collector";
    static final String OWNER_INDEX = "kardia.io/owner-uid";
    /** How often discovery is read again besides every CRD change (kube-controller-manager: 30 s). */
    static final Duration REDISCOVERY_PERIOD = Duration.ofSeconds(30);
    /** kube's --concurrent-gc-syncs is 20; the collector's work is mostly waiting on the API. */
    private static final int WORKERS = 8;

    private GarbageCollector() {
    }

    /** Registers the collector on {@code manager}; it starts with the manager (when it leads). */
    public static void register(Manager manager) {
        register(manager, ResourceMonitors.MonitorStarts.IN_ORDER);
    }

    /** As {@link #register(Manager)}, with the monitors made by {@code monitorStarts} (a seam for tests). */
    static void register(Manager manager, ResourceMonitors.MonitorStarts monitorStarts) {
        Controller[] self = new Controller[1];
        Consumer<Request> work = request -> self[0].enqueue(request);
        ResourceMonitors monitors = new ResourceMonitors(manager, work, monitorStarts);
        Collection collection = new Collection(manager.apiClient(), monitors, manager.eventRecorder(NAME), work,
                manager.clock() instanceof io.kardia.runtime.ManagerClock.SystemManagerClock
                        ? com.github.benmanes.caffeine.cache.Ticker.systemTicker() : manager.clock()::nanoTime);
        // CRD events (the primary kind) ask for a new discovery: a custom kind may have come or gone.
        self[0] = manager.newController().forKind(ResourceTypes.CUSTOM_RESOURCE_DEFINITION).named(NAME)
                .maxConcurrentReconciles(WORKERS)
                .build(request -> reconcile(request, monitors, collection, self[0]));
        self[0].enqueue(GcItem.DISCOVERY);
    }

    private static Result reconcile(Request request, ResourceMonitors monitors, Collection collection, Controller self) {
        Optional<GcItem> item = GcItem.of(request);
        if (item.isEmpty()) {
            if (!request.equals(GcItem.DISCOVERY)) {
                self.enqueue(GcItem.DISCOVERY); // one discovery however many CRDs changed
                return Result.done();
            }
            monitors.sync();
            return Result.requeueAfter(REDISCOVERY_PERIOD);
        }
        Optional<Monitor<?>> monitor = monitors.byResource(item.get().groupResource());
        if (monitor.isEmpty()) {
            return Result.done(); // the kind is no longer served
        }
        return judge(monitor.get(), item.get(), collection);
    }

    private static <T extends KubeObject> Result judge(Monitor<T> monitor, GcItem item, Collection collection) {
        return monitor.informer().lister().get(item.key())
                .map(obj -> collection.collect(monitor, obj))
                .orElse(Result.done()); // gone: its dependents were queued by its delete event
    }

    /** Indexes an informer's objects by their owners' uids, unless another collector already did. */
    static void ensureOwnerIndex(SharedInformer<? extends KubeObject> informer) {
        synchronized (GarbageCollector.class) {
            if (!informer.indexer().indexNames().contains(OWNER_INDEX)) {
                addOwnerIndex(informer);
            }
        }
    }

    private static <T extends KubeObject> void addOwnerIndex(SharedInformer<T> informer) {
        informer.addIndex(OWNER_INDEX, o -> o.metadata().ownerReferences().stream()
                .map(OwnerReference::uid).filter(u -> u != null).toList());
    }
}
