package io.kardia.informer;

import io.kardia.core.client.ListOptions;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the list/watch half of a client, for tests of failure handling that the real
 * store cannot be made to produce on cue. Lists serve {@link #objects} at {@link #revision} in
 * pages; each watch is handed to the test through {@link #nextWatch}; failures are scripted.
 */
final class FakeResourceClient<T extends KubeObject> implements ResourceClient<T> {
    private final ResourceType<T> type;
    final Map<String, T> objects = new TreeMap<>();
    volatile long revision = 1;
    final List<ListOptions> listCalls = new CopyOnWriteArrayList<>();
    final List<WatchOptions> watchCalls = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<RuntimeException> listFailures = new ConcurrentLinkedQueue<>();
    /** When set, every list fails with it (after the scripted {@link #listFailures}). */
    volatile RuntimeException permanentListFailure;
    final ConcurrentLinkedQueue<RuntimeException> watchFailures = new ConcurrentLinkedQueue<>();
    private final LinkedBlockingQueue<FakeWatch<T>> opened = new LinkedBlockingQueue<>();

    FakeResourceClient(ResourceType<T> type) {
        this.type = type;
    }

    synchronized void put(T obj) {
        objects.put(obj.key(), obj);
    }

    synchronized void removeKey(String key) {
        objects.remove(key);
    }

    /** The next watch the reflector opens (waits up to 5 s). */
    FakeWatch<T> nextWatch() throws InterruptedException {
        FakeWatch<T> w = opened.poll(5, TimeUnit.SECONDS);
        if (w == null) {
            throw new AssertionError("the reflector opened no watch within 5 s; watch calls: " + watchCalls);
        }
        return w;
    }

    @Override
    public ResourceType<T> type() {
        return type;
    }

    @Override
    public synchronized ObjectList<T> list(String namespace, ListOptions options) {
        listCalls.add(options);
        RuntimeException failure = listFailures.poll();
        if (failure == null) {
            failure = permanentListFailure;
        }
        if (failure != null) {
            throw failure;
        }
        List<T> all = new ArrayList<>(objects.values());
        int from = options.continueToken() == null ? 0 : Integer.parseInt(options.continueToken());
        int to = options.limit() == 0 ? all.size() : (int) Math.min(all.size(), from + options.limit());
        String next = to < all.size() ? Integer.toString(to) : null;
        return new ObjectList<>(all.subList(from, to), Long.toString(revision), next, null);
    }

    @Override
    public Watch<T> watch(String namespace, WatchOptions options) {
        watchCalls.add(options);
        RuntimeException failure = watchFailures.poll();
        if (failure != null) {
            throw failure;
        }
        FakeWatch<T> w = new FakeWatch<>(options);
        opened.add(w);
        return w;
    }

    @Override
    public T get(String namespace, String name) {
        throw new UnsupportedOperationException("fake: list/watch only");
    }

    @Override
    public T create(T object, WriteOptions options) {
        throw new UnsupportedOperationException("fake: list/watch only");
    }

    @Override
    public T update(T object, WriteOptions options) {
        throw new UnsupportedOperationException("fake: list/watch only");
    }

    @Override
    public T updateStatus(T object, WriteOptions options) {
        throw new UnsupportedOperationException("fake: list/watch only");
    }

    @Override
    public T patch(String namespace, String name, PatchType type, String patch, WriteOptions options) {
        throw new UnsupportedOperationException("fake: list/watch only");
    }

    @Override
    public T delete(String namespace, String name, DeleteOptions options) {
        throw new UnsupportedOperationException("fake: list/watch only");
    }

}
