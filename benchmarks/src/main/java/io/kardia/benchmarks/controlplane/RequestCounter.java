package io.kardia.benchmarks.controlplane;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.ForwardingKubeClient;
import io.kardia.core.client.ForwardingResourceClient;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests going through it, per {@code verb Kind} ({@code create Pod}, {@code
 * updateStatus Job}, {@code bind Pod}...), except lists and watches (the informers'). The one
 * counting client of the control-plane and workload benchmarks.
 */
public final class RequestCounter extends ForwardingKubeClient {
    private final KubeClient delegate;
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

    public RequestCounter(KubeClient delegate) {
        super(delegate);
        this.delegate = delegate;
    }

    /**
     * The seconds a token bucket of {@code qps} and {@code burst}, full at the start, needs to let
     * {@code requests} requests through: the time the same requests take at the client's rate
     * limit (the GC benchmark measures it: 10,001 deletes, one client, 50/100 → 198 s).
     */
    static double atRateLimit(long requests, double qps, int burst) {
        return qps <= 0 ? 0 : Math.max(0, requests - burst) / qps;
    }

    public void reset() {
        requests.clear();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        requests.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long total() {
        return requests.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The requests that were not reads ({@code get}). */
    public long writes() {
        long gets = requests.entrySet().stream().filter(e -> e.getKey().startsWith("get ")).mapToLong(e -> e.getValue().sum()).sum();
        return total() - gets;
    }

    private void count(ResourceType<?> type, String verb) {
        requests.computeIfAbsent(verb + " " + type.kind(), k -> new LongAdder()).increment();
    }

    @Override
    public void bindPod(String namespace, String podName, String nodeName) {
        requests.computeIfAbsent("bind Pod", k -> new LongAdder()).increment();
        super.bindPod(namespace, podName, nodeName);
    }

    @Override
    public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
        return new ForwardingResourceClient<>(delegate.resources(type)) {
            @Override
            public T get(String namespace, String name) {
                count(type, "get");
                return super.get(namespace, name);
            }

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
                count(type, "updateStatus");
                return super.updateStatus(object, options);
            }

            @Override
            public T patch(String namespace, String name, PatchType patchType, String patch, WriteOptions options) {
                count(type, "patch");
                return super.patch(namespace, name, patchType, patch, options);
            }

            @Override
            public T delete(String namespace, String name, DeleteOptions options) {
                count(type, "delete");
                return super.delete(namespace, name, options);
            }
        };
    }
}
