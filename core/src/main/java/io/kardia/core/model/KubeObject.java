package io.kardia.core.model;

/**
 * An API object: a kind, an apiVersion and its {@link ObjectMeta}.
 *
 * <p>Implementations are immutable: every collection they expose is unmodifiable, and a change
 * is made by building a new object ({@code withMetadata}, the records' withers and builders).
 * This is what lets many controllers share one informer cache safely: a reconciler cannot
 * corrupt an object that others also read.
 */
public interface KubeObject {

    /** {@code v1}, {@code apps/v1}, {@code examples.kardia.io/v1alpha1}... */
    String apiVersion();

    String kind();

    ObjectMeta metadata();

    /** A copy of this object with other metadata; the concrete type is kept. */
    KubeObject withMetadata(ObjectMeta metadata);

    /** {@code namespace/name}, or {@code name} for cluster-scoped objects: the cache key. */
    default String key() {
        return metadata().key();
    }
}
