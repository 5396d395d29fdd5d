package io.kardia.store;

import io.kardia.core.model.Status;

/**
 * One watch event as kube-apiserver streams it: the object for ADDED/MODIFIED/DELETED/BOOKMARK
 * (a BOOKMARK's object carries only apiVersion, kind and metadata.resourceVersion), the
 * {@link Status} for ERROR.
 */
public record StoreEvent(Type type, StoredObject object, Status status) {
    public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK, ERROR }

    static StoreEvent error(Status status) {
        return new StoreEvent(Type.ERROR, null, status);
    }
}
