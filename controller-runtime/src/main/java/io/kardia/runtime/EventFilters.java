package io.kardia.runtime;

import io.kardia.core.model.KubeObject;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Ready-made {@link EventFilter}s. The "changed" filters only judge updates: creates and deletes
 * always pass, as in controller-runtime.
 */
public final class EventFilters {

    private EventFilters() {
    }

    /** Updates that change {@code metadata.generation}, i.e. the spec (status-only writes are dropped). */
    public static <T extends KubeObject> EventFilter<T> generationChanged() {
        return onUpdate((o, n) -> !Objects.equals(o.metadata().generation(), n.metadata().generation()));
    }

    public static <T extends KubeObject> EventFilter<T> labelsChanged() {
        return onUpdate((o, n) -> !o.metadata().labels().equals(n.metadata().labels()));
    }

    public static <T extends KubeObject> EventFilter<T> annotationsChanged() {
        return onUpdate((o, n) -> !o.metadata().annotations().equals(n.metadata().annotations()));
    }

    /** Drops periodic resyncs, which redeliver an unchanged object. */
    public static <T extends KubeObject> EventFilter<T> resourceVersionChanged() {
        return onUpdate((o, n) -> !Objects.equals(o.metadata().resourceVersion(), n.metadata().resourceVersion()));
    }

    /** Events whose object (the new one, for updates) satisfies {@code test}. */
    public static <T extends KubeObject> EventFilter<T> matching(Predicate<? super T> test) {
        Objects.requireNonNull(test, "test");
        return new EventFilter<>() {
            @Override
            public boolean create(T object) {
                return test.test(object);
            }

            @Override
            public boolean update(T oldObject, T newObject) {
                return test.test(newObject);
            }

            @Override
            public boolean delete(T object) {
                return test.test(object);
            }
        };
    }

    /** Objects carrying {@code label} with {@code value}; an update passes if the old or the new object does. */
    public static <T extends KubeObject> EventFilter<T> hasLabel(String label, String value) {
        Predicate<T> has = o -> value.equals(o.metadata().labels().get(label));
        return new EventFilter<>() {
            @Override
            public boolean create(T object) {
                return has.test(object);
            }

            @Override
            public boolean update(T oldObject, T newObject) {
                return has.test(oldObject) || has.test(newObject);
            }

            @Override
            public boolean delete(T object) {
                return has.test(object);
            }
        };
    }

    /** A filter on updates only. */
    public static <T extends KubeObject> EventFilter<T> onUpdate(UpdateTest<T> test) {
        Objects.requireNonNull(test, "test");
        return new EventFilter<>() {
            @Override
            public boolean update(T oldObject, T newObject) {
                return test.test(oldObject, newObject);
            }
        };
    }

    /** Compares the old and the new state of an updated object. */
    @FunctionalInterface
    public interface UpdateTest<T> {
        boolean test(T oldObject, T newObject);
    }
}
