package io.kardia.store.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What kube-apiserver's per-kind strategy decides beyond validation: how status is treated on
 * create, when generation moves, and whether deletion is graceful.
 */
public interface KindStrategy {

    /** Fills in the kind's defaults; runs on every create and update body before validation. */
    default void applyDefaults(ObjectNode object) {
    }

    /** Adjusts a new object before it is stored (e.g. resets status). */
    default void prepareForCreate(ObjectNode object) {
    }

    /**
     * Adjusts an update of the main resource before it is validated: fields only a subresource
     * writes are put back as {@code old} has them (a namespace's {@code spec.finalizers}).
     */
    default void prepareForUpdate(ObjectNode updated, ObjectNode old) {
    }

    /**
     * Whether the kind keeps {@code metadata.generation}: 1 on create, one more at every update
     * that {@link #bumpsGeneration} says changed the spec. In kube-apiserver only some kinds'
     * strategies do ({@link Strategies#forBuiltIn}); for the others the generic registry keeps
     * the generation the create request carried (usually none) and never moves it, except the
     * bump of a positive generation when deletion starts, which every kind gets.
     */
    default boolean tracksGeneration() {
        return false;
    }

    /**
     * For a kind that {@link #tracksGeneration}, whether {@code updated} differs from {@code old}
     * in what generation tracks: everything but metadata (and status, for kinds with a status
     * subresource).
     */
    default boolean bumpsGeneration(ObjectNode updated, ObjectNode old, boolean hasStatus) {
        return !sameOutsideMetadataAndStatus(updated, old, hasStatus);
    }

    /** Why the object named {@code name} may never be deleted (the system namespaces), or null. */
    default String deletionForbidden(String name) {
        return null;
    }

    /**
     * Whether something besides {@code metadata.finalizers} keeps a deleted object: a namespace
     * stays until its {@code spec.finalizers} are removed through the {@code finalize} subresource.
     */
    default boolean keepsDeletedObject(JsonNode object) {
        return false;
    }

    /**
     * The finalizer the kind's deletion always waits for when a controller does the cleanup (the
     * CRD's {@code customresourcecleanup.apiextensions.k8s.io}); null for none.
     */
    default String cleanupFinalizer() {
        return null;
    }

    /** Edits an object whose deletion has just started (a namespace turns Terminating). */
    default void prepareForDeletion(ObjectNode object, String now) {
    }

    /** Graceful deletion period in seconds for this object, 0 to delete at once. */
    default long gracePeriodSeconds(JsonNode object, Long requested) {
        return 0;
    }

    /** Compares every top-level field but apiVersion, kind, metadata (and status), without copying. */
    static boolean sameOutsideMetadataAndStatus(ObjectNode a, ObjectNode b, boolean hasStatus) {
        return coveredBy(a, b, hasStatus) && coveredBy(b, a, hasStatus);
    }

    private static boolean coveredBy(ObjectNode a, ObjectNode b, boolean hasStatus) {
        for (var it = a.fields(); it.hasNext(); ) {
            var e = it.next();
            String k = e.getKey();
            if (k.equals("metadata") || k.equals("apiVersion") || k.equals("kind") || (hasStatus && k.equals("status"))) {
                continue;
            }
            JsonNode other = b.get(k);
            if (e.getValue().isNull() ? other != null && !other.isNull() : !e.getValue().equals(other)) {
                return false;
            }
        }
        return true;
    }
}
