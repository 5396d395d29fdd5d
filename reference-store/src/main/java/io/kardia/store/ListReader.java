package io.kardia.store;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ListOptions;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore.Resolved;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The read side of LIST: picks the revision a list is served at (newest, not older than N, exactly
 * N, or a continue token's), pins it against compaction while it reads, and reads one page in key
 * order with the continue token and remaining count kube-apiserver gives.
 */
final class ListReader {
    private static final String TOO_OLD = "The resourceVersion for the provided list is too old.";

    private final ReferenceStore store;
    private final MvccIndex index;
    private final CommitPipeline pipeline;

    ListReader(ReferenceStore store, MvccIndex index, CommitPipeline pipeline) {
        this.store = store;
        this.index = index;
        this.pipeline = pipeline;
    }

    StoreList list(Resolved r, String namespace, ListOptions o) {
        WatchFilter filter = RequestChecks.filter(r, namespace, o.labelSelector(), o.fieldSelector());
        ListRequest q = ListRequest.of(o);
        long rev;
        String startKey = null;
        if (q.continueFrom() != null) {
            rev = q.continueFrom().revision();
            startKey = q.continueFrom().startKey();
            if (rev < index.compactRevision()) {
                throw KubeApiException.of(expiredContinue());
            }
            if (rev > pipeline.committedRevision()) {
                throw KubeApiException.of(Status.badRequest("invalid continue token: revision " + rev + " is in the future"));
            }
        } else if (q.minRevision() == null) {
            rev = pipeline.committedRevision();
        } else {
            long wanted = q.minRevision();
            store.waitFor(wanted);
            rev = q.exact() ? wanted : pipeline.committedRevision();
            if (q.exact() && rev < index.compactRevision()) {
                throw KubeApiException.of(Status.expired(TOO_OLD));
            }
        }
        if (!index.pin(rev)) {
            throw KubeApiException.of(startKey != null ? expiredContinue() : Status.expired(TOO_OLD));
        }
        try {
            return readPage(r, filter, rev, startKey, q.limit());
        } finally {
            index.unpin(rev);
        }
    }

    private StoreList readPage(Resolved r, WatchFilter filter, long rev, String startKey, long limit) {
        NavigableMap<String, KeyHistory> range = index.range(r.resource(), filter.namespace());
        if (startKey != null) {
            try {
                range = range.tailMap(startKey, true);
            } catch (IllegalArgumentException e) {
                throw KubeApiException.of(Status.badRequest("invalid continue token: it belongs to another namespace"));
            }
        }
        List<StoredObject> items = new ArrayList<>();
        String lastKey = null;
        String token = null;
        Long remaining = null;
        Iterator<Map.Entry<String, KeyHistory>> it = range.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            StoredObject o = e.getValue().at(rev);
            if (o == null || !filter.matches(o)) {
                continue;
            }
            if (limit > 0 && items.size() >= limit) {
                token = ContinueToken.after(rev, lastKey).encode();
                if (filter.isEverything()) {
                    long more = 1;
                    while (it.hasNext()) {
                        if (it.next().getValue().at(rev) != null) {
                            more++;
                        }
                    }
                    remaining = more;
                }
                break;
            }
            items.add(o);
            lastKey = e.getKey();
        }
        return new StoreList(items, rev, token, remaining);
    }

    private static Status expiredContinue() {
        String msg = "The provided continue parameter is too old to display a consistent list result. You can start a new "
                + "list without the continue parameter, or use the continue token in this response to retrieve the "
                + "remainder of the results. Continuing with the provided token results in an inconsistent list - objects "
                + "that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";
        return Status.expired(msg);
    }
}
