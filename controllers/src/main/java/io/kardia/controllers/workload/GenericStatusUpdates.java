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
        for (int attempt = 1; ; attempt++) {
            if (TemplateHash.canonicalJson(base.status()).equals(TemplateHash.canonicalJson(status))) {
                return;
            }
            try {
                api.updateStatus(base.with("status", status));
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
            }
        }
    }
}
