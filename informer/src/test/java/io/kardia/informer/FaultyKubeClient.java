package io.kardia.informer;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.ResourceType;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a real client (the reference store's) and lets a test break the watch path: cut every
 * open watch (as a dropped connection: the stream ends or its next read fails) and hold new
 * watches at the door while the test writes and compacts, so the held watch starts too old.
 */
final class FaultyKubeClient implements KubeClient {
    private final KubeClient delegate;
    private final Set<CuttableWatch<?>> open = ConcurrentHashMap.newKeySet();
    private volatile CountDownLatch door = new CountDownLatch(0);
    final AtomicInteger watchesOpened = new AtomicInteger();
    final AtomicInteger cuts = new AtomicInteger();

    FaultyKubeClient(KubeClient delegate) {
        this.delegate = delegate;
    }

    /** Ends every open watch; with {@code asFailure} their next read throws instead of returning null. */
    void cutWatches(boolean asFailure) {
        for (CuttableWatch<?> w : open) {
            w.cut(asFailure);
            cuts.incrementAndGet();
        }
    }

    /** New watch calls wait until {@link #openDoor()}; closing a closed door changes nothing. */
    synchronized void closeDoor() {
        if (door.getCount() == 0) {
            door = new CountDownLatch(1);
        }
    }

    synchronized void openDoor() {
        door.countDown();
    }

    @Override
    public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
        return new Faulty<>(delegate.resources(type));
    }

    @Override
    public void close() {
        openDoor();
        delegate.close();
    }

    private final class Faulty<T extends KubeObject> implements ResourceClient<T> {
        private final ResourceClient<T> real;

        Faulty(ResourceClient<T> real) {
            this.real = real;
        }

        @Override
        public ResourceType<T> type() {
            return real.type();
        }

        @Override
        public ObjectList<T> list(String namespace, ListOptions options) {
            return real.list(namespace, options);
        }

        @Override
        public Watch<T> watch(String namespace, WatchOptions options) {
            try {
                door.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KubeClientException("interrupted while waiting to watch");
            }
            CuttableWatch<T> w = new CuttableWatch<>(real.watch(namespace, options));
            open.add(w);
            watchesOpened.incrementAndGet();
            return w;
        }

        @Override
        public T get(String namespace, String name) {
            return real.get(namespace, name);
        }

        @Override
        public T create(T object, WriteOptions options) {
            return real.create(object, options);
        }

        @Override
        public T update(T object, WriteOptions options) {
            return real.update(object, options);
        }

        @Override
        public T updateStatus(T object, WriteOptions options) {
            return real.updateStatus(object, options);
        }

        @Override
        public T patch(String namespace, String name, PatchType type, String patch, WriteOptions options) {
            return real.patch(namespace, name, type, patch, options);
        }

        @Override
        public T delete(String namespace, String name, DeleteOptions options) {
            return real.delete(namespace, name, options);
        }
    }

    private final class CuttableWatch<T extends KubeObject> implements Watch<T> {
        private final Watch<T> real;
        private volatile boolean failNext;

        CuttableWatch(Watch<T> real) {
            this.real = real;
        }

        void cut(boolean asFailure) {
            failNext = asFailure;
            real.close();
        }

        @Override
        public WatchEvent<T> next() throws InterruptedException {
            WatchEvent<T> e = real.next();
            if (e == null && failNext) {
                throw new KubeClientException("connection reset (injected)");
            }
            return e;
        }

        @Override
        public void close() {
            open.remove(this);
            real.close();
        }
    }
}
