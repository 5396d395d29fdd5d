package io.kardia.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Json;
import io.kardia.core.model.KubeObject;
import java.lang.reflect.RecordComponent;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Writes an object's status only when it really changed: a reconcile that computes the same
 * status again causes no write, hence no watch event and no new reconcile (no hot loop).
 */
public final class StatusUpdates {
    static final int MAX_CONFLICT_RETRIES = 3;

    private StatusUpdates() {
    }

    /**
     * Applies {@code change} to {@code current} and writes the status subresource if the status
     * differs. On a conflict (the object changed since it was read) re-reads it through
     * {@code api} and applies {@code change} again, a few times, then gives up with the
     * conflict (the reconcile is retried). It takes the API client ({@link Manager#apiClient()}):
     * a re-read from the cache could hand back the same stale object.
     *
     * @return the stored object after the write, or the object the status was compared on when
     *         nothing had to be written
     */
    public static <T extends KubeObject> T updateStatus(ResourceClient<T> api, T current, UnaryOperator<T> change) {
        Objects.requireNonNull(change, "change");
        return Conflicts.retryOnConflict(MAX_CONFLICT_RETRIES, current, base -> {
            T desired = Objects.requireNonNull(change.apply(base), "the status change returned null");
            return statusChanged(base, desired) ? api.updateStatus(desired) : base;
        }, (stale, conflict) -> Optional.of(api.get(stale.metadata().namespace(), stale.metadata().name())))
                .orElseThrow();
    }

    /**
     * Whether the two objects' {@code status} differ (as JSON trees, so field order and unknown
     * fields count right). For core's model records the status records are compared first and only
     * serialized when they differ; equal records mean no change, so quantities equal by value
     * ({@code 1Gi} and {@code 1073741824}) count as unchanged, as Kubernetes' semantic equality has it.
     */
    public static boolean statusChanged(KubeObject before, KubeObject after) {
        RecordComponent component = statusComponent(before.getClass());
        if (component == null || after.getClass() != before.getClass()) {
            return !status(before).equals(status(after));
        }
        Object b = value(component, before);
        Object a = value(component, after);
        if (Objects.equals(a, b)) {
            return false; // equal records (over frozen collections) serialize alike: no tree needed
        }
        return !statusTree(b).equals(statusTree(a));
    }

    private static JsonNode status(KubeObject object) {
        JsonNode s = Json.toTree(object).get("status");
        return s == null ? MissingNode.getInstance() : s;
    }

    /** The status as the whole object's tree would hold it: serializing the component alone is much cheaper. */
    private static JsonNode statusTree(Object status) {
        // null is left out of the object's JSON; anything else (an empty status record too: {}) is written
        JsonNode s = status == null ? null : Json.mapper().valueToTree(status);
        return s == null || s.isNull() ? MissingNode.getInstance() : s;
    }

    /**
     * A model record's {@code status} component, when it is serialized under that name as it is
     * (core's models); null otherwise (a generic object, a class of the application's own), which
     * is compared through the whole object's tree.
     */
    private static RecordComponent statusComponent(Class<?> type) {
        return STATUS_COMPONENTS.get(type).orElse(null);
    }

    private static final ClassValue<Optional<RecordComponent>> STATUS_COMPONENTS = new ClassValue<>() {
        @Override
        protected Optional<RecordComponent> computeValue(Class<?> type) {
            if (!type.isRecord() || type.getPackage() != KubeObject.class.getPackage()) {
                return Optional.empty();
            }
            for (RecordComponent c : type.getRecordComponents()) {
                if (c.getName().equals("status") && c.getAnnotations().length == 0
                        && c.getAccessor().getAnnotations().length == 0) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    };

    private static Object value(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the status of " + record.getClass().getName(), e);
        }
    }
}
