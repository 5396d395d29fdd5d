package io.kardia.benchmarks.workload;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.ResourceType;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A client that counts the writes going through it, per {@code kind verb} ("Pod create", "Deployment status"...). */
final class CountingClient implements KubeClient {
    private final KubeClient delegate;
    private final Map<String, LongAdder> writes = new ConcurrentHashMap<>();

    CountingClient(KubeClient delegate) {
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
        return new ResourceClient<>() {
            @Override
            public ResourceType<T> type() {
                return real.type();
            }

            @Override
            public T get(String ns, String name) {
                return real.get(ns, name);
            }

            @Override
            public ObjectList<T> list(String ns, ListOptions options) {
                return real.list(ns, options);
            }

            @Override
            public Watch<T> watch(String ns, WatchOptions options) {
                return real.watch(ns, options);
            }

            @Override
            public T create(T object, WriteOptions options) {
                count(type, "create");
                return real.create(object, options);
            }

            @Override
            public T update(T object, WriteOptions options) {
                count(type, "update");
                return real.update(object, options);
            }

            @Override
            public T updateStatus(T object, WriteOptions options) {
                count(type, "status");
                return real.updateStatus(object, options);
            }

            @Override
            public T patch(String ns, String name, PatchType patchType, String patch, WriteOptions options) {
                count(type, "patch");
                return real.patch(ns, name, patchType, patch, options);
            }

            @Override
            public T delete(String ns, String name, DeleteOptions options) {
                count(type, "delete");
                return real.delete(ns, name, options);
            }
        };
    }

    @Override
    public void close() {
        delegate.close();
    }
}
