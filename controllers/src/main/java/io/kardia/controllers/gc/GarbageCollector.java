package io.kardia.controllers.gc;

import io.kardia.controllers.workload.MetadataPatches;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.informer.SharedInformer;
import io.kardia.runtime.Conflicts;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.runtime.TypedReconciler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's garbage collector for the kinds in {@link #MANAGED} (Pods, ReplicaSets,
 * Deployments, ConfigMaps, Secrets; owners and dependents must both be among them, in the same
 * namespace), plus background collection of the built-in kinds without a typed model, whose
 * owners may be of any kind ({@link GenericDependentsCollector}). The ownership graph is the informers' caches indexed by owner uid, so it is rebuilt
 * from lists after a restart (every object is reconciled once when the caches fill).
 * <ul>
 *   <li><b>Background</b>: the owner is gone; each dependent whose owners are all gone (or have
 *       another uid) — a dangling reference, checked live before acting — is deleted. Dependents
 *       with some owners left only lose the dangling references.</li>
 *   <li><b>Foreground</b>: the owner waits with the {@code foregroundDeletion} finalizer; its
 *       dependents are deleted (in the foreground too) and the finalizer is removed once no
 *       dependent with {@code blockOwnerDeletion: true} remains (checked live).</li>
 *   <li><b>Orphan</b>: the owner waits with the {@code orphan} finalizer; its references are
 *       removed from every dependent, then the finalizer.</li>
 * </ul>
 * For the managed kinds, owner references to other kinds are never treated as dangling (the collector cannot check them).
 */
public final class GarbageCollector {
    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);

    public static final String FOREGROUND = "foregroundDeletion";
    public static final String ORPHAN = "orphan";
    static final String OWNER_INDEX = "kardia.io/owner-uid";
    private static final int CONFLICT_RETRIES = 5;

    /** The kinds whose objects are collected and may be owners. */
    public static final List<ResourceType<? extends KubeObject>> MANAGED = List.of(ResourceTypes.POD,
            ResourceTypes.REPLICA_SET, ResourceTypes.DEPLOYMENT, ResourceTypes.CONFIG_MAP, ResourceTypes.SECRET);

    private final Manager manager;
    private final KubeClient api;

    private GarbageCollector(Manager manager) {
        this.manager = manager;
        this.api = manager.apiClient();
    }

    /** Registers one collector controller per managed kind on {@code manager}. */
    public static void register(Manager manager) {
        GarbageCollector gc = new GarbageCollector(manager);
        for (ResourceType<? extends KubeObject> type : MANAGED) {
            ensureOwnerIndex(gc.informer(type));
        }
        for (ResourceType<? extends KubeObject> type : MANAGED) {
            gc.registerFor(type);
        }
        GenericDependentsCollector.register(manager);
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

    private <T extends KubeObject> SharedInformer<T> informer(ResourceType<T> type) {
        return manager.informers().informerFor(type, type.namespaced() ? manager.namespace() : null, Selector.EVERYTHING);
    }

    private <K extends KubeObject> void registerFor(ResourceType<K> kind) {
        var builder = manager.newController().forKind(kind).named("garbage-collector-" + kind.plural())
                .maxConcurrentReconciles(2)
                .withEventFilter(io.kardia.runtime.EventFilters.matching(
                        (K o) -> !o.metadata().ownerReferences().isEmpty() || o.metadata().deletionTimestamp() != null));
        for (ResourceType<? extends KubeObject> watched : MANAGED) {
            builder = watch(builder, watched, kind);
        }
        builder.complete(new KindCollector<>(kind));
    }

    private <K extends KubeObject, X extends KubeObject> io.kardia.runtime.ControllerBuilder<K> watch(
            io.kardia.runtime.ControllerBuilder<K> builder, ResourceType<X> watched, ResourceType<K> kind) {
        return builder.watches(watched, x -> related(watched, x, kind), new io.kardia.runtime.EventFilter<>() { });
    }

    /**
     * The objects of {@code kind} to look at when {@code x} changed: its dependents when it is gone or
     * being deleted, and its owners of {@code kind} that wait for their dependents.
     */
    private <X extends KubeObject> Collection<Request> related(ResourceType<X> xType, X x, ResourceType<?> kind) {
        Set<Request> out = new LinkedHashSet<>();
        Optional<X> cached = informer(xType).lister().get(x.key());
        boolean gone = cached.isEmpty() || !cached.get().metadata().uid().equals(x.metadata().uid());
        if (gone || x.metadata().deletionTimestamp() != null) {
            for (KubeObject dep : informer(kind).indexer().byIndex(OWNER_INDEX, x.metadata().uid())) {
                out.add(Request.of(dep));
            }
        }
        for (OwnerReference ref : x.metadata().ownerReferences()) {
            if (matches(ref, kind)) {
                String ns = kind.namespaced() ? x.metadata().namespace() : null;
                String key = ns == null ? ref.name() : ns + "/" + ref.name();
                informer(kind).lister().get(key)
                        .filter(o -> o.metadata().deletionTimestamp() != null)
                        .ifPresent(o -> out.add(Request.of(o)));
            }
        }
        return out;
    }

    static boolean matches(OwnerReference ref, ResourceType<?> type) {
        if (ref.kind() == null || !ref.kind().equals(type.kind()) || ref.apiVersion() == null) {
            return false;
        }
        int slash = ref.apiVersion().indexOf('/');
        String group = slash < 0 ? "" : ref.apiVersion().substring(0, slash);
        return group.equals(type.group());
    }

    private static Optional<ResourceType<? extends KubeObject>> managedType(OwnerReference ref) {
        return MANAGED.stream().filter(t -> matches(ref, t)).findFirst();
    }

    /** The collector for one kind: as a dependent (dangling owners) and as an owner (finalizers). */
    private final class KindCollector<K extends KubeObject> implements TypedReconciler<K> {
        private final ResourceType<K> kind;
        private final ResourceClient<K> client;

        KindCollector(ResourceType<K> kind) {
            this.kind = kind;
            this.client = api.resources(kind);
        }

        @Override
        public Result reconcile(K obj) {
            ObjectMeta m = obj.metadata();
            if (m.deletionTimestamp() != null) {
                if (m.finalizers().contains(ORPHAN)) {
                    orphanDependents(obj);
                    removeFinalizer(obj, ORPHAN);
                    return Result.done();
                }
                if (m.finalizers().contains(FOREGROUND)) {
                    return deleteDependentsFirst(obj);
                }
            }
            if (!m.ownerReferences().isEmpty()) {
                collectIfDangling(obj);
            }
            return Result.done();
        }

        private void collectIfDangling(K obj) {
            List<OwnerReference> dangling = new ArrayList<>();
            int solid = 0;
            for (OwnerReference ref : obj.metadata().ownerReferences()) {
                Optional<ResourceType<? extends KubeObject>> type = managedType(ref);
                if (type.isEmpty() || ownerExists(type.get(), obj.metadata().namespace(), ref)) {
                    solid++;
                } else {
                    dangling.add(ref);
                }
            }
            if (dangling.isEmpty()) {
                return;
            }
            if (solid > 0) {
                Set<String> drop = new java.util.HashSet<>();
                dangling.forEach(r -> drop.add(r.uid()));
                log.info("{} {}: removing references to owners that no longer exist {}", kind.kind(), obj.key(), drop);
                removeOwnerRefs(obj, drop);
                return;
            }
            if (obj.metadata().deletionTimestamp() != null) {
                return;
            }
            log.info("{} {}: every owner is gone; deleting it", kind.kind(), obj.key());
            // Only the version judged here: if the cache was behind (an orphaning just removed the
            // reference), the delete fails on its resourceVersion and the newer version is judged
            // when it arrives, as Kubernetes' collector re-reads before it deletes.
            try {
                client.delete(obj.metadata().namespace(), obj.metadata().name(),
                        DeleteOptions.propagation(DeleteOptions.PropagationPolicy.Background)
                                .withPreconditions(obj.metadata().uid(), obj.metadata().resourceVersion()));
            } catch (KubeApiException.NotFoundException | KubeApiException.ConflictException changed) {
                log.debug("{} {}: changed or gone before its collection; judging its newer version", kind.kind(), obj.key());
            }
        }

        /** Whether the owner exists with the referenced uid: the cache first, the API when the cache says no. */
        private <O extends KubeObject> boolean ownerExists(ResourceType<O> type, String namespace, OwnerReference ref) {
            String ns = type.namespaced() ? namespace : null;
            String key = ns == null ? ref.name() : ns + "/" + ref.name();
            Optional<O> cached = informer(type).lister().get(key);
            if (cached.isPresent() && cached.get().metadata().uid().equals(ref.uid())) {
                return true;
            }
            Optional<O> live = api.resources(type).find(ns, ref.name());
            return live.isPresent() && live.get().metadata().uid().equals(ref.uid());
        }

        private Result deleteDependentsFirst(K owner) {
            String uid = owner.metadata().uid();
            for (ResourceType<? extends KubeObject> type : MANAGED) {
                for (KubeObject dep : informer(type).indexer().byIndex(OWNER_INDEX, uid)) {
                    if (dep.metadata().deletionTimestamp() == null && sameNamespace(owner, dep)) {
                        deleteObject(type, dep, DeleteOptions.PropagationPolicy.Foreground);
                    }
                }
            }
            if (blockingDependentsLive(owner)) {
                return Result.done(); // woken up when a dependent changes or goes
            }
            removeFinalizer(owner, FOREGROUND);
            return Result.done();
        }

        private boolean blockingDependentsLive(K owner) {
            String uid = owner.metadata().uid();
            for (ResourceType<? extends KubeObject> type : MANAGED) {
                if (type.namespaced() && owner.metadata().namespace() == null) {
                    continue;
                }
                for (KubeObject dep : api.resources(type).list(owner.metadata().namespace()).items()) {
                    for (OwnerReference ref : dep.metadata().ownerReferences()) {
                        if (uid.equals(ref.uid()) && Boolean.TRUE.equals(ref.blockOwnerDeletion())) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        /** Live lists, not the cache: a dependent the cache has not seen yet must not be left with a dangling reference. */
        private void orphanDependents(K owner) {
            String uid = owner.metadata().uid();
            for (ResourceType<? extends KubeObject> type : MANAGED) {
                for (KubeObject dep : api.resources(type).list(owner.metadata().namespace()).items()) {
                    if (sameNamespace(owner, dep) && dep.metadata().ownerReferences().stream().anyMatch(r -> uid.equals(r.uid()))) {
                        removeRefs(type, dep, Set.of(uid));
                    }
                }
            }
        }

        private void removeOwnerRefs(K obj, Set<String> uids) {
            removeRefs(kind, obj, uids);
        }

        private void removeFinalizer(K obj, String finalizer) {
            editMetadata(client, obj, current -> {
                if (current.metadata().finalizers().contains(finalizer)) {
                    MetadataPatches.setFinalizers(client, current,
                            current.metadata().finalizers().stream().filter(f -> !f.equals(finalizer)).toList());
                }
            });
        }
    }

    private static boolean sameNamespace(KubeObject owner, KubeObject dep) {
        String ns = owner.metadata().namespace();
        return ns == null || ns.isEmpty() || ns.equals(dep.metadata().namespace());
    }

    private <T extends KubeObject> void deleteObject(ResourceType<T> type, KubeObject obj,
                                                     DeleteOptions.PropagationPolicy policy) {
        try {
            api.resources(type).delete(obj.metadata().namespace(), obj.metadata().name(),
                    DeleteOptions.propagation(policy).withPreconditions(obj.metadata().uid(), null));
        } catch (KubeApiException.NotFoundException | KubeApiException.ConflictException gone) {
            // already gone, or a new object of that name: nothing of ours to delete
        }
    }

    /** Removes the owner references with these uids from an object, re-reading it on conflicts. */
    @SuppressWarnings("unchecked")
    private <T extends KubeObject> void removeRefs(ResourceType<T> type, KubeObject obj, Set<String> uids) {
        ResourceClient<T> client = api.resources(type);
        editMetadata(client, (T) obj, current -> {
            List<OwnerReference> kept = current.metadata().ownerReferences().stream()
                    .filter(r -> !uids.contains(r.uid())).toList();
            if (kept.size() != current.metadata().ownerReferences().size()) {
                MetadataPatches.setOwnerReferences(client, current, kept);
            }
        });
    }

    /**
     * Runs {@code edit} (a metadata patch that fails on a stale resourceVersion) on {@code obj},
     * re-reading it after a conflict, up to {@link #CONFLICT_RETRIES} times. An object that is gone,
     * or replaced by a new one of the same name, needs no edit.
     */
    static <T extends KubeObject> void editMetadata(ResourceClient<T> client, T obj, Consumer<T> edit) {
        try {
            Conflicts.retryOnConflict(CONFLICT_RETRIES, obj, current -> {
                edit.accept(current);
                return null;
            }, Conflicts.sameObject(client));
        } catch (KubeApiException.NotFoundException gone) {
            // nothing to edit
        }
    }
}
