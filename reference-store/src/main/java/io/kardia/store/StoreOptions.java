package io.kardia.store;

import java.time.Clock;
import java.time.Duration;

/**
 * Tuning of a {@link ReferenceStore}.
 *
 * <p>Defaults: 20,000 revisions or 5 minutes of history, whichever is less, compacted every 5 s;
 * bookmarks every 60 s; 10,000 buffered events per watcher; a snapshot every 100,000 writes;
 * 1.5 MiB objects.
 *
 * @param historyRevisions   how many revisions of history to keep for lists at old revisions,
 *                           continue tokens and watches (0: no limit by count). Each kept version
 *                           holds its JSON tree and bytes: this bounds what history costs in memory
 * @param historyAge         how long to keep history (null or zero: no limit by age)
 * @param compactionInterval how often history is compacted automatically (null or zero: only by {@link ReferenceStore#compact()})
 * @param bookmarkInterval   how often watchers that allow bookmarks get one
 * @param watchBufferSize    events buffered per watcher before it is cut off as too slow
 * @param snapshotEveryWrites ask the journal for a snapshot after this many writes (0: never)
 * @param maxObjectBytes     the largest serialized object accepted (kube-apiserver/etcd: 1.5 MiB)
 * @param clock              the time source for timestamps
 * @param inStoreLifecycle   whether the store itself empties deleted namespaces and removes the
 *                           objects of deleted CRDs (true, the default, for a store used alone).
 *                           Off, it behaves as kube-apiserver: a deleted namespace stays
 *                           Terminating until the namespace controller has removed its content
 *                           and its {@code kubernetes} finalizer, a deleted CRD until the CRD
 *                           cleanup controller has removed its objects and its finalizer
 * @param watchList          whether watches serve streaming lists ({@code sendInitialEvents}); other
 *                           modes play older or differently configured kube-apiservers, for clients' tests
 * @param serviceNetwork     where Services get their cluster IPs and node ports from
 *                           (kube-apiserver's --service-cluster-ip-range and --service-node-port-range)
 */
public record StoreOptions(long historyRevisions, Duration historyAge, Duration compactionInterval,
                           Duration bookmarkInterval, int watchBufferSize, long snapshotEveryWrites,
                           int maxObjectBytes, Clock clock,
                           boolean inStoreLifecycle, ServiceNetwork serviceNetwork,
                           WatchListSupport watchList) {

    public static final int DEFAULT_MAX_OBJECT_BYTES = 1_572_864;

    public static StoreOptions defaults() {
        return new StoreOptions(20_000, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(60),
                10_000, 100_000, DEFAULT_MAX_OBJECT_BYTES, Clock.systemUTC(), true, ServiceNetwork.defaults(),
                WatchListSupport.SERVED);
    }

    public StoreOptions {
        if (watchBufferSize <= 0) {
            throw new IllegalArgumentException("watchBufferSize must be positive, got " + watchBufferSize);
        }
        if (historyRevisions < 0 || snapshotEveryWrites < 0 || maxObjectBytes <= 0) {
            throw new IllegalArgumentException("historyRevisions, snapshotEveryWrites must be >= 0 and maxObjectBytes > 0");
        }
        clock = clock == null ? Clock.systemUTC() : clock;
        bookmarkInterval = bookmarkInterval == null ? Duration.ofSeconds(60) : bookmarkInterval;
        serviceNetwork = serviceNetwork == null ? ServiceNetwork.defaults() : serviceNetwork;
        watchList = watchList == null ? WatchListSupport.SERVED : watchList;
    }

    public StoreOptions withHistory(long revisions, Duration age) {
        return new StoreOptions(revisions, age, compactionInterval, bookmarkInterval, watchBufferSize, snapshotEveryWrites, maxObjectBytes, clock, inStoreLifecycle, serviceNetwork, watchList);
    }

    public StoreOptions withCompactionInterval(Duration interval) {
        return new StoreOptions(historyRevisions, historyAge, interval, bookmarkInterval, watchBufferSize, snapshotEveryWrites, maxObjectBytes, clock, inStoreLifecycle, serviceNetwork, watchList);
    }

    public StoreOptions withBookmarkInterval(Duration interval) {
        return new StoreOptions(historyRevisions, historyAge, compactionInterval, interval, watchBufferSize, snapshotEveryWrites, maxObjectBytes, clock, inStoreLifecycle, serviceNetwork, watchList);
    }

    public StoreOptions withWatchBufferSize(int size) {
        return new StoreOptions(historyRevisions, historyAge, compactionInterval, bookmarkInterval, size, snapshotEveryWrites, maxObjectBytes, clock, inStoreLifecycle, serviceNetwork, watchList);
    }

    public StoreOptions withSnapshotEveryWrites(long writes) {
        return new StoreOptions(historyRevisions, historyAge, compactionInterval, bookmarkInterval, watchBufferSize, writes, maxObjectBytes, clock, inStoreLifecycle, serviceNetwork, watchList);
    }

    public StoreOptions withMaxObjectBytes(int bytes) {
        return new StoreOptions(historyRevisions, historyAge, compactionInterval, bookmarkInterval, watchBufferSize, snapshotEveryWrites, bytes, clock, inStoreLifecycle, serviceNetwork, watchList);
    }

    public StoreOptions withClock(Clock c) {
        return new StoreOptions(historyRevisions, historyAge, compactionInterval, bookmarkInterval, watchBufferSize, snapshotEveryWrites, maxObjectBytes, c, inStoreLifecycle, serviceNetwork, watchList);
    }

    /** With {@code false}, namespace and CRD deletion wait for their controllers, as in Kubernetes. */
    public StoreOptions withInStoreLifecycle(boolean on) {
        return new StoreOptions(historyRevisions, historyAge, compactionInterval, bookmarkInterval, watchBufferSize, snapshotEveryWrites, maxObjectBytes, clock, on, serviceNetwork, watchList);
    }

    /** Services get cluster IPs and node ports from {@code network} (default 10.96.0.0/12 and 30000-32767). */
    public StoreOptions withServiceNetwork(ServiceNetwork network) {
        return new StoreOptions(historyRevisions, historyAge, compactionInterval, bookmarkInterval, watchBufferSize, snapshotEveryWrites, maxObjectBytes, clock, inStoreLifecycle, network, watchList);
    }

    /** How watches answer {@code sendInitialEvents} (default {@link WatchListSupport#SERVED}). */
    public StoreOptions withWatchList(WatchListSupport mode) {
        return new StoreOptions(historyRevisions, historyAge, compactionInterval, bookmarkInterval, watchBufferSize, snapshotEveryWrites, maxObjectBytes, clock, inStoreLifecycle, serviceNetwork, mode);
    }
}
