package io.kardia.runtime.webhook;

import io.kardia.core.model.KubeObject;

/**
 * Sets defaults on objects of one kind in a mutating admission webhook (controller-runtime's
 * CustomDefaulter). Objects are immutable: return the defaulted object (the same one when nothing
 * changes); the webhook answers with the JSON patch from what was sent to what is returned.
 * Throwing {@link AdmissionDeniedException} refuses the write.
 */
@FunctionalInterface
public interface Defaulter<T extends KubeObject> {
    T applyDefaults(T object);
}
