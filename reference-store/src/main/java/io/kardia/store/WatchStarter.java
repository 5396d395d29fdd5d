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

    WatchStarter(ReferenceStore store, MvccIndex index, ChangeLog log, WatchHub hub, CommitPipeline pipeline,
                 ScheduledExecutorService timers, int bufferSize) {
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
        WatchFilter filter = RequestChecks.filter(r, namespace, o.labelSelector(), o.fieldSelector());
        String rv = o.resourceVersion() == null ? "" : o.resourceVersion();
        boolean initial = rv.isEmpty() || rv.equals("0");
        long from = initial ? 0 : RequestChecks.parseRevision(rv);
        if (!initial) {
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
            long compacted = index.compactRevision();
            if (from < compacted) {
                w.failWith(Status.expired("too old resource version: " + from + " (" + compacted + ")"));
                return -1L;
            }
            hub.register(w);
            w.startWithReplay(log.range(from, committed), from, committed);
            return -1L;
        });
        if (initial) {
            try {
                w.startWith(currentState(r, filter, at));
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
