package io.kardia.core.client;

import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Status;

/**
 * One watch event. {@code object} is set for ADDED, MODIFIED, DELETED (the last state) and
 * BOOKMARK (only {@code metadata.resourceVersion} is meaningful); {@code status} for ERROR.
 */
public record WatchEvent<T extends KubeObject>(Type type, T object, Status status) {

    public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK, ERROR }

    public static <T extends KubeObject> WatchEvent<T> error(Status status) {
        return new WatchEvent<>(Type.ERROR, null, status);
    }

    /** The revision this event brings the watcher to, if it carries one. */
    public String resourceVersion() {
        return object == null ? null : object.metadata().resourceVersion();
    }
}
