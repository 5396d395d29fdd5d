package io.kardia.core.client;

import io.kardia.core.client.KubeApiException.NotFoundException;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.ResourceType;
import java.util.Optional;

/**
 * Reads and writes one kind. {@code namespace} is ignored (pass {@code null}) for cluster-scoped
 * kinds; for namespaced kinds {@code null} in list/watch means all namespaces. Every failure the
 * API reports is a typed {@link KubeApiException}.
 */
public interface ResourceClient<T extends KubeObject> {

    ResourceType<T> type();

    /** @throws NotFoundException when there is no such object */
    T get(String namespace, String name);

    default Optional<T> find(String namespace, String name) {
        try {
            return Optional.of(get(namespace, name));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    ObjectList<T> list(String namespace, ListOptions options);

    default ObjectList<T> list(String namespace) {
        return list(namespace, ListOptions.all());
    }

    /**
     * Every page of a list in {@code options.limit()}-sized pages (one page when there is no
     * limit), following continue tokens; the items of all pages together are the list at the
     * first page's resourceVersion. The HTTP transport fetches the next page while the caller
     * (and a decoder) works on the previous one. Close it when stopping early.
     */
    default ListPages<T> listPages(String namespace, ListOptions options) {
        return ListPages.sequential(this, namespace, options);
    }

    /** Starts a watch; close it when done. */
    Watch<T> watch(String namespace, WatchOptions options);

    /** Creates the object in {@code metadata.namespace}; {@code generateName} is honoured. */
    T create(T object, WriteOptions options);

    default T create(T object) {
        return create(object, WriteOptions.DEFAULT);
    }

    /**
     * Replaces the object (its status is kept as stored). With {@code metadata.resourceVersion}
     * set, fails with {@link KubeApiException.ConflictException} if the stored one differs.
     */
    T update(T object, WriteOptions options);

    default T update(T object) {
        return update(object, WriteOptions.DEFAULT);
    }

    /** Writes only the status (the {@code status} subresource). */
    T updateStatus(T object, WriteOptions options);

    default T updateStatus(T object) {
        return updateStatus(object, WriteOptions.DEFAULT);
    }

    T patch(String namespace, String name, PatchType type, String patch, WriteOptions options);

    default T patch(String namespace, String name, PatchType type, String patch) {
        return patch(namespace, name, type, patch, WriteOptions.DEFAULT);
    }

    /** PATCH of the {@code status} subresource. */
    default T patchStatus(String namespace, String name, PatchType type, String patch, WriteOptions options) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not patch the status subresource");
    }

    /**
     * Server-side apply: {@code configuration} holds exactly the fields {@code fieldManager} owns
     * (build it with {@link io.kardia.core.model.GenericObject#of} and {@code withAt}, or use a typed
     * record with only those fields set). The server merges it into the live object (creating it
     * if absent), removes fields this manager applied before and no longer applies, and fails with
     * a {@link KubeApiException.ConflictException} naming every field another manager owns that
     * this apply would change.
     */
    default T apply(T configuration, String fieldManager) {
        return apply(configuration, WriteOptions.apply(fieldManager));
    }

    /** Server-side apply with options: {@link WriteOptions#withForce force} takes the conflicting fields over. */
    default T apply(T configuration, WriteOptions options) {
        return patch(configuration.metadata().namespace(), configuration.metadata().name(), PatchType.APPLY,
                ApplyConfigurations.body(type(), configuration), options);
    }

    /** Server-side apply of the {@code status} subresource: {@code configuration}'s status is what the manager owns. */
    default T applyStatus(T configuration, String fieldManager) {
        return applyStatus(configuration, WriteOptions.apply(fieldManager));
    }

    default T applyStatus(T configuration, WriteOptions options) {
        return patchStatus(configuration.metadata().namespace(), configuration.metadata().name(), PatchType.APPLY,
                ApplyConfigurations.body(type(), configuration), options);
    }

    /**
     * Deletes the object. Returns its last state: with finalizers (or foreground deletion) it still
     * exists, with {@code deletionTimestamp} set. The reference store always answers with the
     * object; a server that answers with a bare success Status (some kinds of some Kubernetes
     * versions) yields {@code null} over HTTP.
     */
    T delete(String namespace, String name, DeleteOptions options);

    default T delete(String namespace, String name) {
        return delete(namespace, name, DeleteOptions.DEFAULT);
    }

    /**
     * Deletes every object in {@code namespace} (required for namespaced kinds) that the label and
     * field selectors of {@code selection} match, each as {@link #delete} would: one
     * {@code deletecollection} request where the transport has it. Objects already gone are skipped.
     */
    default void deleteCollection(String namespace, ListOptions selection, DeleteOptions options) {
        for (T o : list(namespace, selection).items()) {
            try {
                delete(o.metadata().namespace(), o.metadata().name(), options);
            } catch (NotFoundException gone) {
                // deleted meanwhile: that is what was asked
            }
        }
    }
}
