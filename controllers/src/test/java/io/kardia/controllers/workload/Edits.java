package io.kardia.controllers.workload;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.KubeObject;
import java.util.function.UnaryOperator;

/** Read-modify-write as a user would retry it: the controllers write the same objects concurrently. */
public final class Edits {

    private Edits() {
    }

    public static <T extends KubeObject> T edit(ResourceClient<T> client, String ns, String name, UnaryOperator<T> change) {
        for (int attempt = 0; ; attempt++) {
            T current = client.get(ns, name);
            try {
                return client.update(change.apply(current));
            } catch (KubeApiException.ConflictException e) {
                if (attempt >= 20) {
                    throw e;
                }
            }
        }
    }
}
