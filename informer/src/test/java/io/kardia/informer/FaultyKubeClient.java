package io.kardia.informer;

import io.kardia.core.client.ForwardingResourceClient;
import io.kardia.core.client.ForwardingKubeClient;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.ServerResources;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ResourceType;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wraps a real client (the reference store's) and lets a test break the watch path: cut every
 * open watch (as a dropped connection: the stream ends or its next read fails) and hold new
 * watches at the door while the test writes and compacts, so the held watch starts too old.
 *
 * <p>Deterministic by construction, so a busy machine cannot reorder what a test arranged:
 * passing the door and joining the set of cuttable watches happen under one lock with the cut,
 * so a watch is either cut or opened after the cut, never in between; and a cut watch hands out
 * nothing more, even an event the real transport still delivers after its close (over HTTP a
 * cancelled call can still return bytes that were on their way).
 */
final class FaultyKubeClient extends ForwardingKubeClient {
    private final KubeClient delegate;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition doorOpened = lock.newCondition();
    /** Guarded by {@link #lock}: the watches a cut must end. */
    private final Set<CuttableWatch<?>> open = new HashSet<>();
    /** Guarded by {@link #lock}. */
    private boolean doorClosed;
    /** Guarded by {@link #lock}: how many cuts happened; a watch opened across one is cut too. */
    private long cutGeneration;
    /** Guarded by {@link #lock}. */
    private boolean lastCutAsFailure;
    final AtomicInteger watchesOpened = new AtomicInteger();
    final AtomicInteger cuts = new AtomicInteger();

    FaultyKubeClient(KubeClient delegate) {
        super(delegate);
        this.delegate = delegate;
    }

    /**
     * Ends every open watch, and every watch still being opened (past the door but not yet
     * returned); with {@code asFailure} their next read throws instead of returning null.
     */
    void cutWatches(boolean asFailure) {
        lock.lock();
        try {
            lastCutAsFailure = asFailure;
            cutGeneration++;
            for (CuttableWatch<?> w : open) {
                w.cut(asFailure);
                cuts.incrementAndGet();
            }
            open.clear();
        } finally {
            lock.unlock();
        }
    }

    /** New watch calls wait until {@link #openDoor()}; closing a closed door changes nothing. */
    void closeDoor() {
        lock.lock();
        try {
            doorClosed = true;
        } finally {
            lock.unlock();
        }
    }

    void openDoor() {
        lock.lock();
        try {
            doorClosed = false;
            doorOpened.signalAll();
        } finally {
            lock.unlock();
        }
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

    /** Passes the door (waiting while it is closed); returns the cut generation it passed in. */
    private long passDoor() {
        lock.lock();
        try {
            while (doorClosed) {
                doorOpened.await();
            }
            return cutGeneration;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubeClientException("interrupted while waiting to watch");
        } finally {
            lock.unlock();
        }
    }

    /** Makes {@code w} cuttable, or cuts it at once if a cut happened since it passed the door. */
    private void register(CuttableWatch<?> w, long passedInGeneration) {
        lock.lock();
        try {
            watchesOpened.incrementAndGet();
            if (cutGeneration != passedInGeneration) {
                w.cut(lastCutAsFailure);
                cuts.incrementAndGet();
            } else {
                open.add(w);
            }
        } finally {
            lock.unlock();
        }
    }

    private void unregister(CuttableWatch<?> w) {
        lock.lock();
        try {
            open.remove(w);
        } finally {
            lock.unlock();
        }
    }

    /** Watches wait at the door and can be cut; everything else goes straight through. */
    private final class Faulty<T extends KubeObject> extends ForwardingResourceClient<T> {
        Faulty(ResourceClient<T> real) {
            super(real);
        }

        @Override
        public Watch<T> watch(String namespace, WatchOptions options) {
            long generation = passDoor();
            CuttableWatch<T> w = new CuttableWatch<>(super.watch(namespace, options));
            register(w, generation);
            return w;
        }
    }

    private final class CuttableWatch<T extends KubeObject> implements Watch<T> {
        private final Watch<T> real;
        private volatile boolean failOnEnd;
        private volatile boolean cut;

        CuttableWatch(Watch<T> real) {
            this.real = real;
        }

        void cut(boolean asFailure) {
            failOnEnd = asFailure;
            cut = true;
            real.close();
        }

        @Override
        public WatchEvent<T> next() throws InterruptedException {
            if (cut) {
                return ended();
            }
            WatchEvent<T> e = real.next();
            // Checked after the read too: an event that raced with the cut is lost with the
            // connection, as on a real network; the caller resumes from the revision before it.
            return cut || e == null ? ended() : e;
        }

        private WatchEvent<T> ended() {
            if (failOnEnd) {
                throw new KubeClientException("connection reset (injected)");
            }
            return null;
        }

        @Override
        public void close() {
            unregister(this);
            real.close();
        }
    }
}
