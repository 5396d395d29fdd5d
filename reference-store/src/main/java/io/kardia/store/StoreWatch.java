package io.kardia.store;

import io.kardia.core.model.Status;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One watch stream. The first events come from the history (replay after the start revision) or
 * from a snapshot of the state (synthetic ADDED); then live events, which the store pushes into a
 * bounded buffer. A watcher whose buffer is full is cut off: its stream ends after the buffered
 * events and it must re-watch from the last revision it saw, so writers never wait for it.
 * Single consumer; {@link #close()} from any thread.
 *
 * <p>Fan-out cost matters here (every change is offered to every watcher of its kind): an offer is
 * a lock-free append that unparks the consumer only if it announced that it parks, so the writer
 * never waits for a watcher; the consumer parks without a timer (the watch's timeout is one
 * scheduled task, not a timed wait per event: no timer and no condition node per delivery).
 */
public final class StoreWatch implements AutoCloseable {
    private static final StoreEvent END = new StoreEvent(StoreEvent.Type.ERROR, null, null);

    final String resource;
    final WatchFilter filter;
    final boolean allowBookmarks;
    private final String apiVersion;
    private final String kind;
    private final int capacity;
    private final ConcurrentLinkedQueue<StoreEvent> live = new ConcurrentLinkedQueue<>();
    /** The consumer while it parks for live events (set before its last look at {@link #live}). */
    private volatile Thread waiter;
    private final AtomicInteger buffered = new AtomicInteger();
    private final Runnable onClose;
    private volatile Future<?> timeout;
    private volatile boolean ended;
    private volatile boolean cutOff;
    private boolean finished;
    private StoreEvent peeked;
    /** Objects in the version the watch was opened for (on the consumer's thread: writers never convert). */
    private java.util.function.UnaryOperator<StoreEvent> view = java.util.function.UnaryOperator.identity();

    /** Initial events: either a ready list or a replay of the change log (checked for gaps). */
    private Iterator<StoreEvent> initial;
    private Iterator<ChangeEvent> replay;
    private long replayExpected;
    private long replayFrom;
    private long replayTo;

    /**
     * @param timeoutSeconds the stream ends after this long (0: never); the end is scheduled on
     *                       {@code timer}
     */
    StoreWatch(String resource, String apiVersion, String kind, WatchFilter filter, boolean allowBookmarks,
               int capacity, long timeoutSeconds, ScheduledExecutorService timer, Runnable onClose) {
        this.resource = resource;
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.filter = filter;
        this.allowBookmarks = allowBookmarks;
        this.capacity = capacity;
        this.onClose = onClose;
        if (timeoutSeconds > 0) {
            try {
                timeout = timer.schedule(this::end, timeoutSeconds, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                // The store is closing (and this watch not registered yet): end the stream at once.
                ended = true;
                live.add(END);
            }
        }
    }

    void convertWith(java.util.function.UnaryOperator<StoreEvent> view) {
        this.view = view;
    }

    void startWith(List<StoreEvent> events) {
        this.initial = events.iterator();
    }

    /** Replays {@code changes}, which must be exactly the revisions after {@code fromRevision} up to {@code toRevision}. */
    void startWithReplay(Iterable<ChangeEvent> changes, long fromRevision, long toRevision) {
        this.replay = changes.iterator();
        this.replayTo = toRevision;
        this.replayFrom = fromRevision;
        this.replayExpected = fromRevision + 1;
    }

    /**
     * Called by the store in revision order; never blocks. {@code asIs} is the change as an event,
     * shared by all watchers that see it unchanged.
     */
    void offer(ChangeEvent e, StoreEvent asIs) {
        if (ended) {
            return;
        }
        StoreEvent ev = filter.translate(e, asIs);
        if (ev == null) {
            return;
        }
        if (buffered.incrementAndGet() > capacity) {
            cutOff = true;
            end();
            return;
        }
        append(ev);
    }

    /** Adds to the live buffer and wakes the consumer if it parks for it. */
    private void append(StoreEvent ev) {
        live.add(ev);
        // Read after the add: a consumer that parks has set waiter before its last look at live,
        // so either it sees this event or this sees it.
        Thread wake = waiter;
        if (wake != null) {
            LockSupport.unpark(wake);
        }
    }

    /** A bookmark is skipped, not a reason to cut off, when the buffer is full. */
    void offerBookmark(long revision) {
        if (ended || !allowBookmarks || buffered.get() >= capacity) {
            return;
        }
        buffered.incrementAndGet();
        append(bookmarkEvent(apiVersion, kind, revision, false));
    }

    /**
     * A BOOKMARK at {@code revision}; {@code initialEventsEnd} marks the end of a streaming list's
     * initial events with the {@code k8s.io/initial-events-end: "true"} annotation.
     */
    static StoreEvent bookmarkEvent(String apiVersion, String kind, long revision, boolean initialEventsEnd) {
        var tree = io.kardia.core.json.Json.mapper().createObjectNode();
        tree.put("apiVersion", apiVersion).put("kind", kind);
        var meta = tree.putObject("metadata");
        meta.put("resourceVersion", Long.toString(revision));
        if (initialEventsEnd) {
            meta.putObject("annotations").put(io.kardia.core.client.WatchOptions.INITIAL_EVENTS_END_ANNOTATION, "true");
        }
        return new StoreEvent(StoreEvent.Type.BOOKMARK, new StoredObject(revision, tree,
                io.kardia.core.json.Json.toBytes(tree)), null);
    }

    /** Ends the stream with an error event (e.g. 410 for a start revision compacted away). */
    void failWith(Status status) {
        initial = List.of(StoreEvent.error(status)).iterator();
        replay = null;
        end();
    }

    /**
     * Blocks for the next event; null once the stream has ended (closed, timed out, cut off as a
     * slow consumer, or after an ERROR event).
     */
    public StoreEvent next() throws InterruptedException {
        if (finished) {
            return null;
        }
        StoreEvent e = peeked != null ? peeked : nextRecorded();
        peeked = null;
        if (e != null) {
            if (e.type() == StoreEvent.Type.ERROR) {
                finish();
            }
            return view.apply(e);
        }
        StoreEvent live = takeLive();
        if (live == END) {
            finish();
            return null;
        }
        buffered.decrementAndGet();
        return view.apply(live);
    }

    /** Parks until a live event (or {@link #END}) is there and takes it. Consumer thread only. */
    private StoreEvent takeLive() throws InterruptedException {
        StoreEvent e;
        while ((e = live.poll()) == null) {
            waiter = Thread.currentThread();
            try {
                if (live.isEmpty()) {
                    LockSupport.park(this);
                }
            } finally {
                waiter = null;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return e;
    }

    /**
     * True if {@link #next()} would return without waiting (an event is ready or the stream has
     * ended): lets a streaming server write several events before flushing. Consumer thread only.
     */
    public boolean hasReadyEvent() {
        if (finished || peeked != null) {
            return true;
        }
        peeked = nextRecorded();
        return peeked != null || !live.isEmpty();
    }

    /** The next initial or replayed event that passes the filter; null when there are none left. */
    private StoreEvent nextRecorded() {
        if (initial != null && initial.hasNext()) {
            return initial.next();
        }
        while (replay != null && replay.hasNext()) {
            ChangeEvent c = replay.next();
            if (c.revision() != replayExpected) {
                replay = null;
                return compactedAway(c.revision() - 1);
            }
            replayExpected++;
            if (!c.resource().equals(resource)) {
                continue; // the change log holds every kind; live events are routed by kind already
            }
            StoreEvent ev = filter.translate(c);
            if (ev != null) {
                return ev;
            }
        }
        if (replay != null && replayExpected <= replayTo) {
            replay = null;
            return compactedAway(replayTo);
        }
        replay = null;
        return null;
    }

    /** Compaction removed history this watch was replaying: 410 as at watch start. */
    private StoreEvent compactedAway(long compacted) {
        return StoreEvent.error(Status.expired("too old resource version: " + replayFrom + " (" + compacted + ")"));
    }

    /** True once the store cut this watcher off for falling behind. */
    public boolean wasCutOff() {
        return cutOff;
    }

    public boolean isEnded() {
        return ended;
    }

    private void finish() {
        finished = true;
        end();
    }

    private void end() {
        boolean first;
        synchronized (this) {
            first = !ended;
            ended = true;
        }
        if (first) {
            append(END);
            Future<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            onClose.run();
        }
    }

    @Override
    public void close() {
        end();
    }
}
