package io.kardia.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Json;
import io.kardia.core.model.KubeObject;
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
            return status(desired).equals(status(base)) ? base : api.updateStatus(desired);
        }, (stale, conflict) -> Optional.of(api.get(stale.metadata().namespace(), stale.metadata().name())))
                .orElseThrow();
    }

    /** Whether the two objects' {@code status} differ (as JSON trees, so field order and unknown fields count right). */
    public static boolean statusChanged(KubeObject before, KubeObject after) {
        return !status(before).equals(status(after));
    }

    private static JsonNode status(KubeObject object) {
        JsonNode s = Json.toTree(object).get("status");
        return s == null ? MissingNode.getInstance() : s;
    }
}
