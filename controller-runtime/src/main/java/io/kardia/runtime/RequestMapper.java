package io.kardia.runtime;

import io.kardia.core.model.KubeObject;
import java.util.Collection;

/**
 * Maps a watched object to the requests it should trigger (controller-runtime's
 * {@code EnqueueRequestsFromMapFunc}); for {@code watches(kind, mapper)}.
 */
@FunctionalInterface
public interface RequestMapper<T extends KubeObject> {

    /** The requests to enqueue; empty for none, never null. */
    Collection<Request> map(T object);
}
