package io.kardia.runtime;

import io.kardia.core.model.KubeObject;

/**
 * The common case of a {@link Reconciler}: the controller looks the object up in its cache and
 * hands it over; a request whose object is gone (deleted, or not yet seen) goes to
 * {@link #reconcileAbsent}. The object is the cached immutable instance: build a changed copy to
 * write it.
 */
@FunctionalInterface
public interface TypedReconciler<T extends KubeObject> {

    Result reconcile(T object) throws Exception;

    /**
     * The object of {@code request} is not in the cache: it was deleted. Nothing to do by default;
     * objects owned through ownerReferences are removed by the garbage collector, and cleanup of
     * anything else belongs under a finalizer (see {@link Finalizers}).
     */
    default Result reconcileAbsent(Request request) throws Exception {
        return Result.done();
    }
}
