package io.kardia.store;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's own namespace and CRD cleanup, for a store used without the namespace and CRD
 * cleanup controllers ({@link StoreOptions#inStoreLifecycle()} on): deleting a namespace deletes
 * its content at once and removes the namespace when nothing stays; deleting a CRD removes all its
 * objects. kube-apiserver leaves both to controllers, as the store does with the option off.
 */
final class InStoreLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(InStoreLifecycle.class);

    private final ReferenceStore store;

    InStoreLifecycle(ReferenceStore store) {
        this.store = store;
    }

    /**
     * Deletes the namespace's content; the namespace turns Terminating and goes once nothing in it
     * stays (finalizers, graceful pods keep objects), now or when its last object goes.
     */
    StoredObject deleteNamespace(ReferenceStore.Resolved r, String name) {
        deleteContent(name);
        StoredObject terminating = markTerminating(r, name);
        if (hasContent(name)) {
            finishNamespaceIfEmpty(name); // the last object may have gone while we marked it
            return terminating;
        }
        return store.removeNamespaceFinalizer(name);
    }

    /** After the last object of a Terminating namespace is gone, removes the namespace (off the visibility lock). */
    void finishNamespaceIfEmpty(String namespace) {
        StoredObject ns = store.index.latest("namespaces", namespace);
        if (ns == null || !ns.tree().path("metadata").hasNonNull("deletionTimestamp") || store.closed) {
            return;
        }
        store.background.execute(() -> {
            try {
                if (!hasContent(namespace)) {
                    store.removeNamespaceFinalizer(namespace);
                }
            } catch (KubeApiException e) {
                LOG.debug("namespace {} not finalized: {}", namespace, e.getMessage());
            }
        });
    }

    /** Removes every object of a custom resource (its definition is being deleted), finalizers or not. */
    void removeCustomObjects(String resource) {
        ReferenceStore.Resolved r = store.types.byGroupResource(resource).map(store::resolve).orElse(null);
        if (r == null) {
            return;
        }
        for (KeyHistory h : store.index.range(resource, null).values()) {
            StoredObject o = h.latest();
            if (o != null) {
                store.writeLoop(r, o.namespace(), o.name(), false, cur -> cur == null
                        ? new ReferenceStore.Outcome.NoOp(o) : new ReferenceStore.Outcome.Remove(ReferenceStore.deletionDraft(cur.json())));
            }
        }
    }

    private void deleteContent(String namespace) {
        for (String resource : store.index.resourceNames()) {
            ResourceType<?> t = store.types.byGroupResource(resource).orElse(null);
            if (t == null || !t.namespaced()) {
                continue;
            }
            for (KeyHistory h : store.index.range(resource, namespace).values()) {
                StoredObject o = h.latest();
                if (o != null) {
                    try {
                        store.delete(t, namespace, o.name(), DeleteOptions.DEFAULT.withGracePeriodSeconds(0L));
                    } catch (KubeApiException.NotFoundException gone) {
                        // deleted concurrently
                    }
                }
            }
        }
    }

    /** True while any object (finalizers or a grace period keep it) still lives in the namespace. */
    private boolean hasContent(String namespace) {
        for (String resource : store.index.resourceNames()) {
            ResourceType<?> t = store.types.byGroupResource(resource).orElse(null);
            if (t != null && t.namespaced()) {
                for (KeyHistory h : store.index.range(resource, namespace).values()) {
                    if (h.latest() != null) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The namespace Terminating, with a deletionTimestamp: new content is refused from now on. */
    private StoredObject markTerminating(ReferenceStore.Resolved r, String name) {
        return store.writeLoop(r, "", name, false, cur -> {
            if (cur == null) {
                throw KubeApiException.of(Status.notFound(r.type().named(name)));
            }
            if (cur.tree().path("metadata").hasNonNull("deletionTimestamp")) {
                return new ReferenceStore.Outcome.NoOp(cur);
            }
            var next = store.deletionRules.markDeleted(cur.json(), 0, List.of());
            r.strategy().prepareForDeletion(next, store.now());
            return new ReferenceStore.Outcome.Put(ReferenceStore.deletionDraft(next), StoreEvent.Type.MODIFIED);
        });
    }
}
