package io.kardia.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore.Outcome;
import io.kardia.store.ReferenceStore.Resolved;
import io.kardia.store.strategy.NamespaceFinalizers;
import io.kardia.store.strategy.PodBinding;
import io.kardia.store.strategy.Strategies;

/**
 * The writes of subresources that change one narrow part of an object, each with its own rules:
 * a namespace's {@code finalize} (only {@code spec.finalizers}) and a pod's {@code binding} (only
 * {@code spec.nodeName}, once). They commit through the store's write loop like any other write.
 */
final class SubresourceWrites {
    private final ReferenceStore store;

    SubresourceWrites(ReferenceStore store) {
        this.store = store;
    }

    /** PUT namespaces/{name}/finalize: replaces {@code spec.finalizers}; the last one gone removes a Terminating namespace. */
    StoredObject finalizeNamespace(String name, ObjectNode body) {
        Resolved r = namespaces();
        ReferenceStore.throwIfInvalid(r, name, NamespaceFinalizers.validate(body));
        String rv = body.path("metadata").path("resourceVersion").asText("");
        return store.writeLoop(r, "", name, false, cur -> {
            requireExists(r, name, cur);
            if (!rv.isEmpty() && !rv.equals(cur.resourceVersion())) {
                throw KubeApiException.of(Status.staleResourceVersion(r.type().named(name)));
            }
            return store.deletionRules.namespaceFinalizersChanged(r, cur, NamespaceFinalizers.replaced(cur.json(), body));
        });
    }

    /** Removes the {@code kubernetes} spec finalizer (the in-store namespace lifecycle's last step). */
    StoredObject removeNamespaceFinalizer(String name) {
        Resolved r = namespaces();
        return store.writeLoop(r, "", name, false, cur -> {
            requireExists(r, name, cur);
            return store.deletionRules.namespaceFinalizersChanged(r, cur,
                    NamespaceFinalizers.without(cur.json(), Strategies.NAMESPACE_FINALIZER));
        });
    }

    /** POST pods/{name}/binding: sets {@code spec.nodeName} of an unbound pod (the scheduler's write). */
    StoredObject bind(String namespace, String podName, String nodeName, String preconditionResourceVersion) {
        Resolved r = store.resolve(store.types.byGroupResource("pods").orElseThrow());
        PodBinding.checkTarget(podName, nodeName);
        String ns = r.namespaceFor(namespace);
        return store.writeLoop(r, ns, podName, false, cur -> {
            requireExists(r, podName, cur);
            if (preconditionResourceVersion != null && !preconditionResourceVersion.isEmpty()
                    && !preconditionResourceVersion.equals(cur.resourceVersion())) {
                throw KubeApiException.of(Status.staleResourceVersion(r.type().named(podName)));
            }
            return new Outcome.Put(store.draft(r, PodBinding.bound(cur.json(), podName, nodeName, store.now())),
                    StoreEvent.Type.MODIFIED);
        });
    }

    private Resolved namespaces() {
        return store.resolve(store.types.byGroupResource("namespaces").orElseThrow());
    }

    private static void requireExists(Resolved r, String name, StoredObject cur) {
        if (cur == null) {
            throw KubeApiException.of(Status.notFound(r.type().named(name)));
        }
    }
}
