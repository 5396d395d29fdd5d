package io.kardia.store;

import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore.Resolved;
import io.kardia.core.model.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Opens watches: from the current state (synthetic ADDED events at a pinned revision) or from a
 * revision (replay of the change log, then live), registered with the hub so that no change
 * falls between the replay and the live stream.
 */
final class WatchStarter {
    private final ReferenceStore store;
    private final MvccIndex index;
    private final ChangeLog log;
    private final WatchHub hub;
    private final CommitPipeline pipeline;
    private final ScheduledExecutorService timers;
    private final int bufferSize;
    private final WatchListSupport watchList;

    WatchStarter(ReferenceStore store, MvccIndex index, ChangeLog log, WatchHub hub, CommitPipeline pipeline,
                 ScheduledExecutorService timers, int bufferSize, WatchListSupport watchList) {
        this.watchList = watchList;
        this.store = store;
        this.index = index;
        this.log = log;
        this.hub = hub;
        this.pipeline = pipeline;
        this.timers = timers;
        this.bufferSize = bufferSize;
    }

    StoreWatch open(Resolved r, String namespace, WatchOptions options) {
        WatchOptions o = options == null ? new WatchOptions(null, null, null, false, 0) : options;
        if (watchList == WatchListSupport.IGNORED) {
            o = o.withSendInitialEvents(null, null);
        }
        WatchListRequest.check(o, watchList == WatchListSupport.SERVED);
        WatchFilter filter = RequestChecks.filter(r, namespace, o.labelSelector(), o.fieldSelector());
        String rv = o.resourceVersion() == null ? "" : o.resourceVersion();
        boolean fromNow = rv.isEmpty() || rv.equals("0");
        // A streaming list sends the state at a revision not older than rv; sendInitialEvents=false never does.
        boolean streaming = o.isStreamingList();
        boolean initial = streaming || (fromNow && o.sendInitialEvents() == null);
        // -1: no initial events (sendInitialEvents=false without a revision): changes after the latest one
        long from = !fromNow ? RequestChecks.parseRevision(rv) : initial ? 0 : -1;
        if (!fromNow) {
            store.waitFor(from);
        }
        StoreWatch[] holder = new StoreWatch[1];
        ResourceType<?> asRequested = r.requestedType();
        StoreWatch w = new StoreWatch(r.resource(), asRequested.apiVersion(), asRequested.kind(), filter, o.allowBookmarks(),
                bufferSize, o.timeoutSeconds(), timers, () -> hub.unregister(holder[0]));
        if (r.view() != null) {
            w.convertWith(r.view()::read);
        }
        holder[0] = w;
        long at = pipeline.atVisibleRevision(committed -> {
            if (initial) {
                index.pin(committed);
                hub.register(w);
                return committed;
            }
            long start = from < 0 ? committed : from;
            long compacted = index.compactRevision();
            if (start < compacted) {
                w.failWith(Status.expired("too old resource version: " + start + " (" + compacted + ")"));
                return -1L;
            }
            hub.register(w);
            w.startWithReplay(log.range(start, committed), start, committed);
            return -1L;
        });
        if (initial) {
            try {
                List<StoreEvent> events = currentState(r, filter, at);
                if (streaming) {
                    events.add(StoreWatch.bookmarkEvent(r.type().apiVersion(), r.type().kind(), at, true));
                }
                w.startWith(events);
            } finally {
                index.unpin(at);
            }
        }
        return w;
    }

    private List<StoreEvent> currentState(Resolved r, WatchFilter filter, long at) {
        List<StoreEvent> events = new ArrayList<>();
        for (KeyHistory h : index.range(r.resource(), filter.namespace()).values()) {
            StoredObject obj = h.at(at);
            if (obj != null && filter.matches(obj)) {
                events.add(new StoreEvent(StoreEvent.Type.ADDED, obj, null));
            }
        }
        return events;
    }
}
