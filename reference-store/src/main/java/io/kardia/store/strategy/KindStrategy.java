package io.kardia.store.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What kube-apiserver's per-kind strategy decides beyond validation: how status is treated on
 * create, when generation moves, and whether deletion is graceful.
 */
public interface KindStrategy {

    /** Adjusts a new object before it is stored (e.g. resets status). */
    default void prepareForCreate(ObjectNode object) {
    }

    /**
     * Whether {@code updated} differs from {@code old} in what generation tracks: everything but
     * metadata (and status, for kinds with a status subresource).
     */
    default boolean bumpsGeneration(ObjectNode updated, ObjectNode old, boolean hasStatus) {
        return !withoutMetadataAndStatus(updated, hasStatus).equals(withoutMetadataAndStatus(old, hasStatus));
    }

    /** Graceful deletion period in seconds for this object, 0 to delete at once. */
    default long gracePeriodSeconds(JsonNode object, Long requested) {
        return 0;
    }

    static ObjectNode withoutMetadataAndStatus(ObjectNode o, boolean hasStatus) {
        ObjectNode copy = o.deepCopy();
        copy.remove("metadata");
        if (hasStatus) {
            copy.remove("status");
        }
        copy.remove("apiVersion");
        copy.remove("kind");
        return copy;
    }
}
