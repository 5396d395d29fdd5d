package io.kardia.runtime.webhook;

import io.kardia.core.model.KubeObject;
import java.util.List;

/**
 * Validates writes of one kind in a validating admission webhook (controller-runtime's
 * CustomValidator). Each method returns warnings for the client (may be empty) or refuses the
 * write by throwing {@link AdmissionDeniedException} (403 Forbidden with its message, unless it
 * says otherwise) or a {@link io.kardia.core.client.KubeApiException} (its Status is returned as is).
 * A method that throws anything else refuses the write with its message as well.
 */
public interface Validator<T extends KubeObject> {
    default List<String> validateCreate(T object) {
        return List.of();
    }

    default List<String> validateUpdate(T oldObject, T newObject) {
        return List.of();
    }

    default List<String> validateDelete(T object) {
        return List.of();
    }
}
