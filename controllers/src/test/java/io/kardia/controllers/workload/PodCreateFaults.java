package io.kardia.controllers.workload;

import io.kardia.core.client.ForwardingResourceClient;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ForwardingKubeClient;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.ServerResources;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.model.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client to the real store whose pod creates can be made to fail (as a quota or admission
 * webhook would refuse them), counting the attempts; everything else goes through unchanged.
 */
final class PodCreateFaults extends ForwardingKubeClient {
    final AtomicBoolean failing = new AtomicBoolean(true);
    final AtomicInteger attempts = new AtomicInteger();
    private final KubeClient delegate;

    PodCreateFaults(KubeClient delegate) {
        super(delegate);
        this.delegate = delegate;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
        ResourceClient<T> real = delegate.resources(type);
        if (!type.equals(ResourceTypes.POD)) {
            return real;
        }
        return new ForwardingResourceClient<>(real) {
            @Override
            public T create(T object, WriteOptions options) {
                attempts.incrementAndGet();
                if (failing.get()) {
                    throw KubeApiException.of(Status.forbidden(type.named(((Pod) object).metadata().generateName()),
                            "exceeded quota: pods"));
                }
                return super.create(object, options);
            }
        };
    }

    @Override
    public void close() {
        // the environment closes the real client
    }
}
