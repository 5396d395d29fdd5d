package io.kardia.benchmarks.workload;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.ForwardingResourceClient;
import io.kardia.core.client.ForwardingKubeClient;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.ServerResources;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ResourceType;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A client that counts the writes going through it, per {@code kind verb} ("Pod create", "Deployment status"...). */
final class CountingClient extends ForwardingKubeClient {
    private final KubeClient delegate;
    private final Map<String, LongAdder> writes = new ConcurrentHashMap<>();

    CountingClient(KubeClient delegate) {
        super(delegate);
        this.delegate = delegate;
    }

    void reset() {
        writes.clear();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        writes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    long total() {
        return writes.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private void count(ResourceType<?> type, String verb) {
        writes.computeIfAbsent(type.kind() + " " + verb, k -> new LongAdder()).increment();
    }

    @Override
    public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
        ResourceClient<T> real = delegate.resources(type);
        return new ForwardingResourceClient<>(real) {
            @Override
            public T create(T object, WriteOptions options) {
                count(type, "create");
                return super.create(object, options);
            }

            @Override
            public T update(T object, WriteOptions options) {
                count(type, "update");
                return super.update(object, options);
            }

            @Override
            public T updateStatus(T object, WriteOptions options) {
                count(type, "status");
                return super.updateStatus(object, options);
            }

            @Override
            public T patch(String ns, String name, PatchType patchType, String patch, WriteOptions options) {
                count(type, "patch");
                return super.patch(ns, name, patchType, patch, options);
            }

            @Override
            public T delete(String ns, String name, DeleteOptions options) {
                count(type, "delete");
                return super.delete(ns, name, options);
            }
        };
    }

}
