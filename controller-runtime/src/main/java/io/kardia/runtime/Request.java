package io.kardia.runtime;

import io.kardia.core.model.KubeObject;
import java.util.Objects;

/**
 * What a reconcile is about: the namespace and name of one object ({@code namespace} is null for
 * cluster-scoped kinds). The reconciler reads the object's current state itself: a request
 * carries no event, which is what makes reconcilers level-triggered.
 */
public record Request(String namespace, String name) {

    public Request {
        Objects.requireNonNull(name, "a reconcile request needs a name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a reconcile request needs a non-empty name");
        }
        namespace = namespace == null || namespace.isEmpty() ? null : namespace;
    }

    /** The request for {@code object} itself. */
    public static Request of(KubeObject object) {
        return new Request(object.metadata().namespace(), object.metadata().name());
    }

    /** Parses a cache key, {@code namespace/name} or {@code name}. */
    public static Request fromKey(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? new Request(null, key) : new Request(key.substring(0, slash), key.substring(slash + 1));
    }

    /** The cache key: {@code namespace/name}, or {@code name} for cluster-scoped objects. */
    public String key() {
        return namespace == null ? name : namespace + "/" + name;
    }

    @Override
    public String toString() {
        return key();
    }
}
