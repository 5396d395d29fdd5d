package io.kardia.controllers.gc;

import io.kardia.controllers.workload.MetadataPatches;
import io.kardia.core.client.ApiResource;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.informer.ResourceEventHandler;
import io.kardia.informer.SharedInformer;
import io.kardia.runtime.Controller;
import io.kardia.runtime.EventFilters;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background garbage collection of the built-in kinds without a typed model
 * ({@link ResourceTypes#genericBuiltIns()}: StatefulSets, Services, Jobs, ServiceAccounts, Roles,
 * RoleBindings...), whose owners may be of any kind the server serves, custom resources included
 * (an operator's custom resource owning a StatefulSet is the common case).
 *
 * <p>A dependent whose owners are all gone (absent, or present with another uid, checked live) is
 * deleted with a uid and resourceVersion precondition; one with some owners left loses the
 * dangling references. An owner's kind is resolved through the typed built-ins or, for other
 * kinds, discovery; an owner reference to a kind the server does not serve is never treated as
 * dangling. The collector watches each owner kind it meets (an informer, created on first use)
 * and, when an owner goes, re-examines the dependents indexed under its uid — so it keeps no state
 * that a list cannot rebuild. Foreground and orphan deletion of such owners are not handled here.
 */
final class GenericDependentsCollector {
    private static final Logger log = LoggerFactory.getLogger(GenericDependentsCollector.class);

    private final Manager manager;
    private final KubeClient api;
    private final Map<ResourceType<GenericObject>, Controller> collectors = new LinkedHashMap<>();
    private final Map<String, ResourceType<?>> ownerTypes = new ConcurrentHashMap<>();
    private final Set<String> watchedOwnerKinds = ConcurrentHashMap.newKeySet();

    private GenericDependentsCollector(Manager manager) {
        this.manager = manager;
        this.api = manager.apiClient();
    }

    /** Registers one collector controller per generic built-in kind on {@code manager}. */
    static void register(Manager manager) {
        GenericDependentsCollector gc = new GenericDependentsCollector(manager);
        for (ResourceType<GenericObject> kind : ResourceTypes.genericBuiltIns()) {
            GarbageCollector.ensureOwnerIndex(gc.informer(kind));
            Controller controller = manager.newController().forKind(kind).named("garbage-collector-" + kind.plural())
                    .withEventFilter(EventFilters.matching((GenericObject o) -> !o.metadata().ownerReferences().isEmpty()))
                    .complete(dependent -> gc.collectIfDangling(kind, dependent));
            gc.collectors.put(kind, controller);
        }
    }

    private <T extends KubeObject> SharedInformer<T> informer(ResourceType<T> type) {
        return manager.informers().informerFor(type, type.namespaced() ? manager.namespace() : null, Selector.EVERYTHING);
    }

    private Result collectIfDangling(ResourceType<GenericObject> kind, GenericObject dependent) {
        if (dependent.metadata().deletionTimestamp() != null) {
            return Result.done();
        }
        List<OwnerReference> dangling = new ArrayList<>();
        int solid = 0;
        for (OwnerReference ref : dependent.metadata().ownerReferences()) {
            Optional<ResourceType<?>> ownerType = ownerType(ref);
            if (ownerType.isEmpty()) {
                solid++; // a kind the server does not serve: the collector cannot judge it
                continue;
            }
            watchOwners(ownerType.get());
            if (ownerExists(ownerType.get(), dependent.metadata().namespace(), ref)) {
                solid++;
            } else {
                dangling.add(ref);
            }
        }
        if (dangling.isEmpty()) {
            return Result.done();
        }
        ResourceClient<GenericObject> client = api.resources(kind);
        if (solid > 0) {
            Set<String> drop = new HashSet<>();
            dangling.forEach(r -> drop.add(r.uid()));
            log.info("{} {}: removing references to owners that no longer exist {}", kind.kind(), dependent.key(), drop);
            GarbageCollector.editMetadata(client, dependent, current -> {
                List<OwnerReference> kept = current.metadata().ownerReferences().stream()
                        .filter(r -> !drop.contains(r.uid())).toList();
                if (kept.size() != current.metadata().ownerReferences().size()) {
                    MetadataPatches.setOwnerReferences(client, current, kept);
                }
            });
            return Result.done();
        }
        log.info("{} {}: every owner is gone; deleting it", kind.kind(), dependent.key());
        try {
            client.delete(dependent.metadata().namespace(), dependent.metadata().name(),
                    DeleteOptions.propagation(DeleteOptions.PropagationPolicy.Background)
                            .withPreconditions(dependent.metadata().uid(), dependent.metadata().resourceVersion()));
        } catch (KubeApiException.NotFoundException | KubeApiException.ConflictException changed) {
            log.debug("{} {}: changed or gone before its collection; judging its newer version", kind.kind(), dependent.key());
        }
        return Result.done();
    }

    /** The owner's kind: a built-in Kardia knows, else what discovery says (not cached while unknown: a CRD may come). */
    private Optional<ResourceType<?>> ownerType(OwnerReference ref) {
        if (ref.apiVersion() == null || ref.kind() == null) {
            return Optional.empty();
        }
        String key = ref.apiVersion() + "/" + ref.kind();
        ResourceType<?> known = ownerTypes.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<ResourceType<?>> found = Stream.<ResourceType<?>>concat(
                        Stream.concat(ResourceTypes.builtIns().stream(), ResourceTypes.genericBuiltIns().stream()),
                        discovered())
                .filter(t -> t.apiVersion().equals(ref.apiVersion()) && t.kind().equals(ref.kind()))
                .findFirst();
        found.ifPresent(t -> ownerTypes.put(key, t));
        return found;
    }

    private Stream<ResourceType<?>> discovered() {
        try {
            return api.discoverResources().resources().stream().map(ApiResource::type);
        } catch (KubeApiException e) {
            log.debug("discovery failed while resolving an owner's kind: {}", e.getMessage());
            return Stream.empty();
        }
    }

    /** Whether the owner exists with the referenced uid: its cache first, the API when the cache says no. */
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

    /**
     * Watches the owners of one kind (once): when one goes, its dependents are examined again. Once
     * the owners' cache has synced, every dependent referring to that kind is examined too, so an
     * owner deleted while the watch was starting is not missed.
     */
    private <O extends KubeObject> void watchOwners(ResourceType<O> type) {
        if (!watchedOwnerKinds.add(type.apiVersion() + "/" + type.kind())) {
            return;
        }
        SharedInformer<O> owners = informer(type);
        owners.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onDelete(O owner, boolean finalStateUnknown) {
                examineDependentsOf(owner.metadata().uid());
            }
        });
        Thread.ofVirtual().name("gc-owner-watch-" + type.plural()).start(() -> {
            try {
                if (owners.waitForCacheSync(Duration.ofMinutes(5))) {
                    examineDependentsReferring(type);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void examineDependentsOf(String ownerUid) {
        collectors.forEach((kind, controller) -> {
            for (GenericObject dependent : informer(kind).indexer().byIndex(GarbageCollector.OWNER_INDEX, ownerUid)) {
                controller.enqueue(Request.of(dependent));
            }
        });
    }

    private void examineDependentsReferring(ResourceType<?> ownerType) {
        collectors.forEach((kind, controller) -> {
            for (GenericObject dependent : informer(kind).lister().list()) {
                if (dependent.metadata().ownerReferences().stream().anyMatch(r -> GarbageCollector.matches(r, ownerType))) {
                    controller.enqueue(Request.of(dependent));
                }
            }
        });
    }
}
