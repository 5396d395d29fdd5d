package io.kardia.informer;

import io.kardia.core.client.ForwardingResourceClient;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
    private final AtomicLong cutGeneration = new AtomicLong();
    private volatile boolean lastCutAsFailure;

    FaultyKubeClient(KubeClient delegate) {
        this.delegate = delegate;
    }

    /**
     * Ends every open watch, and every watch still being opened (past the door but not yet
     * returned, so a test never races with a reconnect in flight); with {@code asFailure} their
     * next read throws instead of returning null.
     */
    void cutWatches(boolean asFailure) {
        lastCutAsFailure = asFailure;
        cutGeneration.incrementAndGet();
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

    /** Watches wait at the door and can be cut; everything else goes straight through. */
    private final class Faulty<T extends KubeObject> extends ForwardingResourceClient<T> {
        Faulty(ResourceClient<T> real) {
            super(real);
        }

        @Override
        public Watch<T> watch(String namespace, WatchOptions options) {
            try {
                door.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KubeClientException("interrupted while waiting to watch");
            }
            long generation = cutGeneration.get();
            CuttableWatch<T> w = new CuttableWatch<>(super.watch(namespace, options));
            open.add(w);
            watchesOpened.incrementAndGet();
            if (cutGeneration.get() != generation) {
                w.cut(lastCutAsFailure); // a cut happened while this watch was being opened
                cuts.incrementAndGet();
            }
            return w;
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
