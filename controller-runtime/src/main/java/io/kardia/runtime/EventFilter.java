package io.kardia.runtime;

import io.kardia.core.model.KubeObject;

/**
 * Decides which informer notifications reach the work queue (controller-runtime's predicates).
 * Every method lets the event through by default; see {@link EventFilters} for the usual ones.
 * Filters only save work: a reconciler must still be correct if it runs for a filtered event.
 */
public interface EventFilter<T extends KubeObject> {

    default boolean create(T object) {
        return true;
    }

    /** On a periodic resync {@code oldObject == newObject}. */
    default boolean update(T oldObject, T newObject) {
        return true;
    }

    default boolean delete(T object) {
        return true;
    }

    /** Lets an event through only if both filters do. */
    default EventFilter<T> and(EventFilter<T> other) {
        EventFilter<T> self = this;
        return new EventFilter<>() {
            @Override
            public boolean create(T o) {
                return self.create(o) && other.create(o);
            }

            @Override
            public boolean update(T o, T n) {
                return self.update(o, n) && other.update(o, n);
            }

            @Override
            public boolean delete(T o) {
                return self.delete(o) && other.delete(o);
            }
        };
    }

    /** Lets an event through if either filter does. */
    default EventFilter<T> or(EventFilter<T> other) {
        EventFilter<T> self = this;
        return new EventFilter<>() {
            @Override
            public boolean create(T o) {
                return self.create(o) || other.create(o);
            }

            @Override
            public boolean update(T o, T n) {
                return self.update(o, n) || other.update(o, n);
            }

            @Override
            public boolean delete(T o) {
                return self.delete(o) || other.delete(o);
            }
        };
    }
}
