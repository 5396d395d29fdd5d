package io.kardia.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kardia.core.model.KubeObject;
import io.kardia.workqueue.QueueClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ObjIntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller's record of the writes its reconciles made through the manager's client, so the
 * watch event each write causes does not queue the same request again: the reconcile that wrote
 * already knows the result (Java Operator SDK and controller-runtime's read-your-writes do the
 * same). An event is held back only when all of these hold:
 * <ul>
 *   <li>the write was made through {@link Manager#client()} on the worker thread, during a
 *       reconcile of this controller (the request it reconciled is the one held back);</li>
 *   <li>it was a create, or an update (or status update) conditional on the resourceVersion the
 *       object carried, so the event's old state is the one the reconcile wrote from;</li>
 *   <li>the event's new state is exactly what the write returned (its resourceVersion): nobody
 *       changed the object in between.</li>
 * </ul>
 * Patches, applies, deletes, unconditional updates and writes from other threads always cause
 * their reconcile, as do other requests the same event maps to. An event that arrives while the
 * write is still in flight waits for its answer, then is dropped or queued.
 */
final class OwnWriteEvents {
    private static final Logger log = LoggerFactory.getLogger(OwnWriteEvents.class);
    private static final ThreadLocal<Reconciling> CURRENT = new ThreadLocal<>();
    /** Far longer than a watch event takes to arrive; a write whose event never matched is forgotten. */
    private static final Duration KEPT = Duration.ofMinutes(1);

    private record Reconciling(OwnWriteEvents events, Request request) {
    }

    private record Deferred(String oldRv, String newRv, int priority) {
    }

    /** One own write of a key, from before its API call until its event came (or {@link #KEPT} passed). */
    static final class Write {
        private final OwnWriteEvents owner;
        private final String id;
        private final String basedOn;
        private final Request request;
        private boolean inFlight = true;
        private String written;
        private final List<Deferred> deferred = new ArrayList<>(1);

        private Write(OwnWriteEvents owner, String id, String basedOn, Request request) {
            this.owner = owner;
            this.id = id;
            this.basedOn = basedOn;
            this.request = request;
        }

        private boolean causedBy(String oldRv, String newRv) {
            return written != null && written.equals(newRv) && Objects.equals(basedOn, oldRv);
        }
    }

    private final String controller;
    private final ObjIntConsumer<Request> enqueue;
    private final Cache<String, Write> writes;
    private final LongAdder skipped = new LongAdder();

    /** @param enqueue queues a request at a priority (an event held back that turned out not to be the write's) */
    OwnWriteEvents(String controller, ObjIntConsumer<Request> enqueue, QueueClock clock) {
        this.controller = controller;
        this.enqueue = enqueue;
        // Expiry on the manager's clock (a simulation's virtual one), maintenance on the caller: no real time, no pool.
        this.writes = Caffeine.newBuilder().expireAfterWrite(KEPT).ticker(clock::nanoTime).executor(Runnable::run).build();
    }

    /** Marks the current thread as reconciling {@code request} for this controller until {@link #leave()}. */
    void enter(Request request) {
        CURRENT.set(new Reconciling(this, request));
    }

    static void leave() {
        CURRENT.remove();
    }

    /** How many events were held back so far. */
    long skipped() {
        return skipped.sum();
    }

    /**
     * Called by the manager's client before a write of {@code key}: a create ({@code basedOn} null)
     * or a conditional update from {@code basedOn}. Null (nothing tracked) outside a reconcile, for
     * an object without a name yet, or while another write of the key is in flight.
     */
    static Write begin(String groupResource, String key, boolean create, String basedOn) {
        Reconciling r = CURRENT.get();
        if (r == null || key == null || (!create && (basedOn == null || basedOn.isEmpty()))) {
            return null;
        }
        return r.events.track(groupResource + " " + key, create ? null : basedOn, r.request);
    }

    private Write track(String id, String basedOn, Request request) {
        Write w = new Write(this, id, basedOn, request);
        Write[] tracked = {w};
        writes.asMap().compute(id, (k, old) -> {
            if (old != null && isInFlight(old)) {
                tracked[0] = null; // two writers of one key at once: neither is tracked past the first
                return old;
            }
            return w;
        });
        return tracked[0];
    }

    private static boolean isInFlight(Write w) {
        synchronized (w) {
            return w.inFlight;
        }
    }

    /** Called after the write: {@code result} is what the API answered, null when the write failed. */
    static void end(Write w, KubeObject result) {
        if (w == null) {
            return;
        }
        w.owner.settle(w, result == null ? null : result.metadata().resourceVersion());
    }

    private void settle(Write w, String resourceVersion) {
        boolean matched = false;
        List<Deferred> release = new ArrayList<>();
        synchronized (w) {
            w.inFlight = false;
            w.written = resourceVersion == null || resourceVersion.isEmpty() ? null : resourceVersion;
            for (Deferred d : w.deferred) {
                if (!matched && w.causedBy(d.oldRv(), d.newRv())) {
                    matched = true;
                } else {
                    release.add(d);
                }
            }
            w.deferred.clear();
        }
        if (matched) {
            skip(w);
        }
        if (matched || w.written == null) {
            writes.asMap().remove(w.id, w);
        }
        for (Deferred d : release) {
            enqueue.accept(w.request, d.priority());
        }
    }

    /**
     * Whether an event of {@code key} ({@code oldRv} null for an add) must not queue
     * {@code request} now: it is this controller's own write's (dropped), or it arrived while such
     * a write was in flight (queued or dropped once the write answers).
     */
    boolean holdBack(String groupResource, String key, String oldRv, String newRv, Request request, int priority) {
        if (writes.estimatedSize() == 0) {
            return false; // the common case: no own write waits for its event
        }
        String id = groupResource + " " + key;
        Write w = writes.getIfPresent(id);
        if (w == null || !w.request.equals(request)) {
            return false;
        }
        synchronized (w) {
            if (w.inFlight) {
                w.deferred.add(new Deferred(oldRv, newRv, priority));
                return true;
            }
            if (!w.causedBy(oldRv, newRv)) {
                return false;
            }
        }
        writes.asMap().remove(id, w);
        skip(w);
        return true;
    }

    private void skip(Write w) {
        skipped.increment();
        log.debug("controller {}: not reconciling {} again for its own write of {} at resourceVersion {}", controller,
                w.request, w.id, w.written);
    }
}
