package io.kardia.store.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;

/** Per-kind validation of an object's JSON, as the kind's strategy in kube-apiserver does it. */
public interface KindValidator {

    void validateCreate(ObjectNode object, Causes causes);

    /** Defaults to the create rules; override to add immutability rules. */
    default void validateUpdate(ObjectNode object, ObjectNode old, Causes causes) {
        validateCreate(object, causes);
    }

    /** A write to the status subresource (only the status changed); no rules by default. */
    default void validateStatusUpdate(ObjectNode object, ObjectNode old, Causes causes) {
    }
}
