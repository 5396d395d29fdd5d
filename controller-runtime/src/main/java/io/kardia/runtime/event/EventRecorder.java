package io.kardia.runtime.event;

import io.kardia.core.model.Event;
import io.kardia.core.model.KubeObject;

/**
 * Records core/v1 Events about objects, as {@code kubectl describe} shows them. Recording never
 * throws and never blocks a reconcile for long: repeats are aggregated, floods are dropped.
 */
public interface EventRecorder {

    /**
     * @param type    {@link Event#NORMAL} or {@link Event#WARNING}
     * @param reason  a short UpperCamelCase machine-readable reason, e.g. {@code ScalingReplicaSet}
     * @param message a human-readable description
     */
    void event(KubeObject object, String type, String reason, String message);

    default void normal(KubeObject object, String reason, String message) {
        event(object, Event.NORMAL, reason, message);
    }

    default void warning(KubeObject object, String reason, String message) {
        event(object, Event.WARNING, reason, message);
    }
}
