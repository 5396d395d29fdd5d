package io.kardia.controllers.workload;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.GenericObject;
import java.util.Map;

/**
 * Status writes for built-in kinds read as {@link GenericObject} (StatefulSets, DaemonSets): the
 * status is written only when it differs canonically from the stored one, so a number decoded as
 * another Java type never counts as a change (which would make a controller wake itself forever).
 */
public final class GenericStatusUpdates {
    private static final int ATTEMPTS = 3;

    private GenericStatusUpdates() {
    }

    /**
     * Writes {@code status} on {@code object} if it differs; on a conflict re-reads and tries again a few
     * times, then throws the conflict. Nothing happens when the object is gone or was replaced.
     */
    public static void write(ResourceClient<GenericObject> api, GenericObject object, Map<String, Object> status) {
        GenericObject base = object;
        Map<String, Object> wanted = status;
        for (int attempt = 1; ; attempt++) {
            if (TemplateHash.canonicalJson(base.status()).equals(TemplateHash.canonicalJson(wanted))) {
                return;
            }
            try {
                api.updateStatus(base.with("status", wanted));
                return;
            } catch (KubeApiException.NotFoundException gone) {
                return;
            } catch (KubeApiException.ConflictException conflict) {
                if (attempt >= ATTEMPTS) {
                    throw conflict;
                }
                base = api.find(object.metadata().namespace(), object.metadata().name()).orElse(null);
                if (base == null || !base.metadata().uid().equals(object.metadata().uid())) {
                    return;
                }
                wanted = keepCollisionCount(base, wanted);
            }
        }
    }

    /**
     * A status computed from a stale cache must not lower {@code collisionCount}: the revision names
     * already created depend on it, and a lower count would make the next sync hash to a taken name again.
     */
    private static Map<String, Object> keepCollisionCount(GenericObject stored, Map<String, Object> status) {
        Object storedCount = stored.status() == null ? null : stored.status().get("collisionCount");
        Object newCount = status.get("collisionCount");
        if (storedCount instanceof Number s && newCount instanceof Number n && s.longValue() > n.longValue()) {
            Map<String, Object> kept = new java.util.LinkedHashMap<>(status);
            kept.put("collisionCount", s.intValue());
            return kept;
        }
        return status;
    }
}
