package io.kardia.runtime;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.KubeObject;
import io.kardia.informer.CacheSyncTimeoutException;
import io.kardia.informer.HandlerRegistration;
import io.kardia.informer.ResourceEventHandler;
import io.kardia.informer.SharedInformer;
import io.kardia.workqueue.PriorityWorkQueue;
import io.kardia.workqueue.QueueClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A work queue of {@link Request}s fed by informer event handlers, and {@code maxConcurrentReconciles}
 * workers on virtual threads that hand each request to the {@link Reconciler}. The queue never
 * hands one request to two workers at once. A reconciler that throws anything is logged, counted
 * and retried with the queue's per-key backoff; the worker carries on. Build one with
 * {@link ControllerBuilder}; the {@link Manager} starts and stops it.
 */
public final class Controller {
    private static final Logger log = LoggerFactory.getLogger(Controller.class);

    private enum State { NEW, STARTING, RUNNING, STOPPED }

    private final String name;
    private final PriorityWorkQueue<Request> queue;
    private final Reconciler reconciler;
    private final List<Source<?>> sources;
    private final int maxConcurrentReconciles;
    private final Duration cacheSyncTimeout;
    private final ControllerMetrics metrics;
    /** Null when the controller reconciles again after its own writes' events too. */
    private final OwnWriteEvents ownWrites;
    /** The manager's clock: cache-sync, cancel and join deadlines (a simulation's are virtual). */
    private final QueueClock clock;
    /** Completed as each worker ends, to join them on {@link #clock}. */
    private final List<java.util.concurrent.CompletableFuture<Void>> workerEnds = new CopyOnWriteArrayList<>();
    /** Signalled as a reconcile ends, for {@link #cancelInFlight}'s wait on {@link #clock}. */
    private final java.util.concurrent.locks.ReentrantLock reconcileLock = new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.locks.Condition reconcileEnded = reconcileLock.newCondition();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private final List<HandlerRegistration> registrations = new CopyOnWriteArrayList<>();
    /** Workers reconciling right now, to cancel them when the manager loses its authority. */
    private final java.util.Set<Thread> reconciling = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile DispatchGate gate = new DispatchGate(true);
    private volatile State state = State.NEW;

    /** One watched informer: which of its events pass and which requests each one makes. */
    record Source<T extends KubeObject>(SharedInformer<T> informer, EventFilter<T> filter, RequestMapper<T> mapper) {
    }

    Controller(String name, PriorityWorkQueue<Request> queue, Reconciler reconciler, List<Source<?>> sources,
               int maxConcurrentReconciles, Duration cacheSyncTimeout, ControllerMetrics metrics,
               boolean skipOwnWriteEvents, QueueClock clock) {
        this.name = name;
        this.ownWrites = skipOwnWriteEvents ? new OwnWriteEvents(name, queue::add, clock) : null;
        this.clock = clock;
        this.queue = queue;
        this.reconciler = reconciler;
        this.sources = List.copyOf(sources);
        this.maxConcurrentReconciles = maxConcurrentReconciles;
        this.cacheSyncTimeout = cacheSyncTimeout;
        this.metrics = metrics;
    }

    public String name() {
        return name;
    }

    /** The manager's gate: workers take no new request while it is closed. */
    void dispatchGate(DispatchGate g) {
        this.gate = Objects.requireNonNull(g, "gate");
    }

    /**
     * Cancels in-flight reconciles cooperatively (the gate is already closed, so no new one
     * starts): waits up to {@code grace} for them to finish, then interrupts those still running
     * (their requests are retried once the gate opens again).
     */
    void cancelInFlight(Duration grace) throws InterruptedException {
        long deadline = clock.nanoTime() + grace.toNanos();
        reconcileLock.lock();
        try {
            while (!reconciling.isEmpty() && deadline - clock.nanoTime() > 0) {
                clock.awaitUntil(reconcileLock, reconcileEnded, deadline);
            }
            for (Thread t : reconciling) {
                t.interrupt();
            }
        } finally {
            reconcileLock.unlock();
        }
    }

    /**
     * Queues every object the controller's informers hold (what a fresh start's initial list
     * would): after leadership comes back, nothing that changed meanwhile is missed.
     */
    void resync() {
        for (Source<?> s : sources) {
            resync(s);
        }
    }

    private <T extends KubeObject> void resync(Source<T> source) {
        for (T obj : source.informer().lister().list()) {
            enqueueAll(source.mapper().map(obj), PriorityWorkQueue.LOW_PRIORITY);
        }
    }

    public int maxConcurrentReconciles() {
        return maxConcurrentReconciles;
    }

    /** The informers this controller reads; their caches must sync before it reconciles. */
    public List<SharedInformer<?>> informers() {
        List<SharedInformer<?>> out = new ArrayList<>();
        for (Source<?> s : sources) {
            out.add(s.informer());
        }
        return out;
    }

    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /** Queues a reconcile of {@code request} (e.g. from an external trigger). Ignored once stopped. */
    public void enqueue(Request request) {
        queue.add(Objects.requireNonNull(request, "request"));
    }

    /** Requests waiting in the queue (not counting those being reconciled). */
    public int queueLength() {
        return queue.len();
    }

    /**
     * Registers the event handlers, waits for the caches to sync and starts the workers. The
     * informers must have been started (the manager starts them).
     *
     * @throws CacheSyncTimeoutException if a cache did not sync within the cache-sync timeout,
     *                                   naming the controller and the informers that had not
     * @throws IllegalStateException     if the controller was started before
     */
    public void start() throws InterruptedException {
        synchronized (this) {
            if (state != State.NEW) {
                throw new IllegalStateException("controller " + name + " was already started (state " + state
                        + "); a controller runs once: build a new one to run again");
            }
            state = State.STARTING;
            for (Source<?> source : sources) {
                registrations.add(register(source, registrations.size()));
            }
        }
        long deadline = clock.nanoTime() + cacheSyncTimeout.toNanos();
        List<String> late = new ArrayList<>();
        for (Source<?> s : sources) {
            if (!awaitOnClock(s.informer().whenSynced(), deadline)) {
                // names the kind, the scope and the last list/watch error
                late.add(s.informer().syncTimedOut(cacheSyncTimeout).getMessage());
            }
        }
        if (!late.isEmpty()) {
            stop(Duration.ZERO);
            throw new CacheSyncTimeoutException("controller " + name + " timed out after " + cacheSyncTimeout.toMillis()
                    + " ms waiting for caches to sync: " + String.join("; ", late)
                    + "; check that the API server is reachable and that this identity may list and watch these kinds");
        }
        synchronized (this) {
            if (state == State.STOPPED) {
                return; // stopped while waiting for the caches (e.g. leadership lost)
            }
            for (int i = 0; i < maxConcurrentReconciles; i++) {
                java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
                workerEnds.add(ended);
                workers.add(Thread.ofVirtual().name("controller-" + name + "-worker-" + i).start(() -> {
                    try {
                        work();
                    } finally {
                        ended.complete(null);
                    }
                }));
            }
            state = State.RUNNING;
        }
        log.info("controller {} started with {} worker(s)", name, maxConcurrentReconciles);
    }

    /**
     * Stops taking work, lets in-flight reconciles finish for up to {@code drainTimeout}, then
     * interrupts the ones still running. Requests still waiting are dropped (a restart relists).
     *
     * @return true if every in-flight reconcile finished within the timeout
     */
    public boolean stop(Duration drainTimeout) throws InterruptedException {
        synchronized (this) {
            if (state == State.STOPPED) {
                return true;
            }
            state = State.STOPPED;
        }
        registrations.forEach(HandlerRegistration::remove);
        boolean drained = queue.shutDownWithDrain(drainTimeout);
        if (!drained && !workers.isEmpty()) {
            log.warn("controller {}: in-flight reconciles did not finish within {} ms; interrupting them", name,
                    drainTimeout.toMillis());
        }
        queue.shutDown();
        for (Thread w : workers) {
            if (!drained || !reconciling.contains(w)) {
                w.interrupt(); // also wakes workers held at a closed dispatch gate
            }
        }
        awaitOnClock(java.util.concurrent.CompletableFuture.allOf(workerEnds.toArray(new java.util.concurrent.CompletableFuture[0])),
                clock.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        log.info("controller {} stopped", name);
        return drained;
    }

    /**
     * Waits for {@code done} until {@code deadline} on the manager's clock (virtual in a
     * simulation, where a timed wait on real time would never see its deadline pass).
     *
     * @return whether it completed in time
     */
    private boolean awaitOnClock(java.util.concurrent.CompletableFuture<?> done, long deadline) throws InterruptedException {
        java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        java.util.concurrent.locks.Condition signalled = lock.newCondition();
        done.whenComplete((v, e) -> {
            lock.lock();
            try {
                signalled.signalAll();
            } finally {
                lock.unlock();
            }
        });
        lock.lock();
        try {
            while (!done.isDone()) {
                if (deadline - clock.nanoTime() <= 0) {
                    return false;
                }
                clock.awaitUntil(lock, signalled, deadline);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** {@code index} keeps handler names (and their metrics) unique when one kind is watched twice. */
    private <T extends KubeObject> HandlerRegistration register(Source<T> source, int index) {
        ResourceEventHandler<T> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj, boolean isInInitialList) {
                if (source.filter().create(obj)) {
                    if (isInInitialList) {
                        enqueueAll(source.mapper().map(obj), PriorityWorkQueue.LOW_PRIORITY);
                    } else {
                        enqueueUnlessOwnWrite(source, null, obj, source.mapper().map(obj));
                    }
                }
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                if (source.filter().update(oldObj, newObj)) {
                    // Both states: an owner reference or a mapped field may have moved from one key to another.
                    Set<Request> requests = new LinkedHashSet<>(source.mapper().map(newObj));
                    if (oldObj != newObj) {
                        requests.addAll(source.mapper().map(oldObj));
                    }
                    enqueueUnlessOwnWrite(source, oldObj, newObj, requests);
                }
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                if (source.filter().delete(obj)) {
                    enqueueAll(source.mapper().map(obj), PriorityWorkQueue.DEFAULT_PRIORITY);
                }
            }
        };
        String handlerName = name + "-" + source.informer().type().plural() + (index == 0 ? "" : "-" + index);
        return source.informer().addEventHandler(handlerName, handler, null);
    }

    /** Queues the requests of an add ({@code old} null) or update, except one this controller's own write made redundant. */
    private <T extends KubeObject> void enqueueUnlessOwnWrite(Source<T> source, T old, T obj, Collection<Request> requests) {
        int priority = PriorityWorkQueue.DEFAULT_PRIORITY;
        if (ownWrites == null) {
            enqueueAll(requests, priority);
            return;
        }
        String groupResource = source.informer().type().groupResource();
        String oldRv = old == null ? null : old.metadata().resourceVersion();
        for (Request r : requests) {
            if (!ownWrites.holdBack(groupResource, obj.key(), oldRv, obj.metadata().resourceVersion(), r, priority)) {
                queue.add(r, priority);
            }
        }
    }

    private void enqueueAll(Collection<Request> requests, int priority) {
        for (Request r : requests) {
            queue.add(r, priority);
        }
    }

    private void work() {
        while (true) {
            Optional<Request> next;
            try {
                gate.awaitOpen(); // no new work while the manager's authority is in doubt
                next = queue.get();
            } catch (InterruptedException e) {
                if (state == State.STOPPED) {
                    return;
                }
                continue; // a cancelled reconcile's interrupt that arrived late: keep working
            }
            if (next.isEmpty()) {
                return;
            }
            Request request = next.get();
            try {
                if (state == State.STOPPED) {
                    continue; // shutting down: stop taking work, the finally hands the key back
                }
                if (!gate.isOpen()) {
                    queue.add(request); // taken as the gate closed: it runs once the gate opens again
                    continue;
                }
                reconciling.add(Thread.currentThread());
                try {
                    reconcileOnce(request);
                } finally {
                    reconcileLock.lock();
                    try {
                        reconciling.remove(Thread.currentThread());
                        reconcileEnded.signalAll();
                    } finally {
                        reconcileLock.unlock();
                    }
                }
            } finally {
                queue.done(request);
            }
        }
    }

    private void reconcileOnce(Request request) {
        metrics.workerBusy();
        long start = System.nanoTime();
        if (ownWrites != null) {
            ownWrites.enter(request);
        }
        try {
            Result result = reconciler.reconcile(request);
            if (result == null) {
                throw new IllegalStateException("reconciler of controller " + name + " returned null for " + request
                        + "; return Result.done() instead");
            }
            metrics.finished(result.kind(), System.nanoTime() - start);
            switch (result.kind()) {
                case DONE -> queue.forget(request);
                case REQUEUE_AFTER -> {
                    queue.forget(request);
                    if (result.priority() == null) {
                        queue.addAfter(request, result.delay());
                    } else {
                        queue.addAfter(request, result.delay(), result.priority());
                    }
                }
                case REQUEUE -> {
                    if (result.priority() == null) {
                        queue.addRateLimited(request);
                    } else {
                        queue.addRateLimited(request, result.priority());
                    }
                }
            }
        } catch (TerminalException e) {
            metrics.failed(true, System.nanoTime() - start);
            queue.forget(request);
            log.error("controller {}: reconcile of {} failed terminally; not retrying until it changes: {}", name,
                    request, e.getMessage(), e);
        } catch (InterruptedException e) {
            metrics.failed(false, System.nanoTime() - start);
            if (state != State.STOPPED) {
                queue.addRateLimited(request);
            }
            log.debug("controller {}: reconcile of {} was interrupted", name, request);
        } catch (KubeApiException.ConflictException e) {
            // Optimistic concurrency at work, not a fault: the cache was behind the API. Retry quietly.
            metrics.failed(false, System.nanoTime() - start);
            queue.addRateLimited(request);
            log.info("controller {}: reconcile of {} met a newer version of an object (retry {}): {}", name, request,
                    queue.numRequeues(request), e.getMessage());
        } catch (Throwable t) {
            // Deliberately everything, Errors included: one bad object must not stop the controller.
            metrics.failed(false, System.nanoTime() - start);
            queue.addRateLimited(request);
            log.error("controller {}: reconcile of {} failed (retry {} with backoff): {}", name, request,
                    queue.numRequeues(request), t.toString(), t);
            if (t instanceof VirtualMachineError fatal) {
                throw fatal; // the JVM itself is failing: do not pretend to carry on
            }
        } finally {
            OwnWriteEvents.leave();
            metrics.workerIdle();
            if (state != State.STOPPED) {
                Thread.interrupted(); // a reconciler that re-set its interrupt flag must not end this worker
            }
        }
    }
}
