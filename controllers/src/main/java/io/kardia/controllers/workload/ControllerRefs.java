package io.kardia.controllers.workload;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.selector.Selector;
import io.kardia.runtime.Conflicts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Kubernetes' {@code ControllerRefManager.ClaimObject}: an owner keeps the objects it controls
 * that its selector still matches, releases those it no longer matches (removing its controller
 * reference) and adopts matching orphans (adding one). Adoption first re-checks, once, that the
 * owner is really still there and not being deleted ({@code canAdopt}), since the cache may be stale.
 */
public final class ControllerRefs {

    private ControllerRefs() {
    }

    public static <T extends KubeObject> List<T> claim(KubeObject owner, Selector selector, List<T> candidates,
                                                       ResourceClient<T> client, BooleanSupplier canAdopt) {
        String ownerUid = owner.metadata().uid();
        boolean ownerDeleting = owner.metadata().deletionTimestamp() != null;
        List<T> claimed = new ArrayList<>();
        Boolean adoptable = null;
        for (T obj : candidates) {
            Optional<OwnerReference> ref = obj.metadata().controllerRef();
            boolean matches = selector.matches(obj.metadata().labels());
            if (ref.isPresent()) {
                if (!ownerUid.equals(ref.get().uid())) {
                    continue; // someone else's
                }
                if (matches) {
                    claimed.add(obj);
                } else if (!ownerDeleting) {
                    release(obj, ownerUid, client);
                }
                continue;
            }
            if (ownerDeleting || !matches || obj.metadata().deletionTimestamp() != null) {
                continue;
            }
            if (adoptable == null) {
                adoptable = canAdopt.getAsBoolean();
            }
            if (!adoptable) {
                continue;
            }
            T adopted = adopt(obj, owner, client);
            if (adopted != null) {
                claimed.add(adopted);
            }
        }
        return claimed;
    }

    private static <T extends KubeObject> T adopt(T obj, KubeObject owner, ResourceClient<T> client) {
        try {
            return Conflicts.retryOnConflict(1, obj, current -> {
                List<OwnerReference> refs = new ArrayList<>(current.metadata().ownerReferences());
                refs.add(OwnerReference.controllerOf(owner));
                return MetadataPatches.setOwnerReferences(client, current, refs);
            }, (stale, conflict) -> {
                // the object moved on (its status, typically): adopt the fresh one if it is still an orphan
                T fresh = client.find(obj.metadata().namespace(), obj.metadata().name()).orElse(null);
                if (fresh == null || !fresh.metadata().uid().equals(obj.metadata().uid())
                        || fresh.metadata().controllerRef().isPresent()
                        || !fresh.metadata().labels().equals(obj.metadata().labels())) {
                    throw conflict;
                }
                return Optional.of(fresh);
            }).orElseThrow();
        } catch (KubeApiException.NotFoundException gone) {
            return null;
        }
    }

    private static <T extends KubeObject> void release(T obj, String ownerUid, ResourceClient<T> client) {
        List<OwnerReference> refs = obj.metadata().ownerReferences().stream()
                .filter(r -> !ownerUid.equals(r.uid())).toList();
        try {
            MetadataPatches.setOwnerReferences(client, obj, refs);
        } catch (KubeApiException.NotFoundException gone) {
            // nothing to release
        }
    }
}
