package io.kardia.informer;

import io.kardia.core.model.KubeObject;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one handler's notifications on its own virtual thread from its own unbounded FIFO, so
 * a slow handler only delays itself and sees every key's notifications in cache order. The queue
 * length and the lag from cache change to handler call are measured.
 */
final class HandlerDispatcher<T extends KubeObject> implements HandlerRegistration {
    private static final Logger log = LoggerFactory.getLogger(HandlerDispatcher.class);

    private final String name;
    private final ResourceEventHandler<T> handler;
    private final Duration resyncPeriod;
    private final LinkedBlockingQueue<Notification<T>> queue = new LinkedBlockingQueue<>();
    private final Timer lag;
    private final Counter errors;
    private final Consumer<HandlerDispatcher<T>> onRemove;
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean synced;
    private volatile boolean stopped;
    private Thread thread;

    HandlerDispatcher(String name, ResourceEventHandler<T> handler, Duration resyncPeriod, InformerMetrics metrics,
                      Consumer<HandlerDispatcher<T>> onRemove) {
        this.name = name;
        this.handler = handler;
        this.resyncPeriod = resyncPeriod;
        this.onRemove = onRemove;
        this.lag = metrics.handlerLag(name);
        this.errors = metrics.handlerErrors(name);
        metrics.handlerQueue(name, queue::size);
    }

    void start() {
        thread = Thread.ofVirtual().name("informer-handler-" + name).start(this::run);
    }

    void enqueue(Notification<T> n) {
        if (!stopped) {
            queue.add(n);
        }
    }

    Duration resyncPeriod() {
        return resyncPeriod;
    }

    /** Notifications delivered so far (for tests and diagnostics). */
    long delivered() {
        return delivered.get();
    }

    void stop() {
        stopped = true;
        queue.clear();
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean hasSynced() {
        return synced;
    }

    @Override
    public int pending() {
        return queue.size();
    }

    @Override
    public void remove() {
        stop();
        onRemove.accept(this);
    }

    private void run() {
        while (!stopped) {
            Notification<T> n;
            try {
                n = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            lag.record(System.nanoTime() - n.enqueuedNanos(), TimeUnit.NANOSECONDS);
            deliver(n);
        }
    }

    private void deliver(Notification<T> n) {
        try {
            switch (n) {
                case Notification.Add<T> a -> handler.onAdd(a.obj(), a.initial());
                case Notification.Update<T> u -> handler.onUpdate(u.oldObj(), u.newObj());
                case Notification.Delete<T> d -> handler.onDelete(d.obj(), d.finalStateUnknown());
                case Notification.Synced<T> s -> synced = true;
            }
            delivered.incrementAndGet();
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            errors.increment();
            log.warn("event handler '{}' threw on {}; it keeps receiving events", name, describe(n), e);
        }
    }

    private static String describe(Notification<?> n) {
        return switch (n) {
            case Notification.Add<?> a -> "add of " + a.obj().key();
            case Notification.Update<?> u -> "update of " + u.newObj().key();
            case Notification.Delete<?> d -> "delete of " + d.obj().key();
            case Notification.Synced<?> s -> "sync marker";
        };
    }
}
