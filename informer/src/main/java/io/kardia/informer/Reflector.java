package io.kardia.informer;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeApiException.GoneException;
import io.kardia.core.client.KubeApiException.TooManyRequestsException;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ListPages;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.PartialObjectMetadata;
import io.kardia.core.model.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link ReflectorSink} equal to the server's state of one kind (in one scope): a paged
 * list, then one long watch from the list's resourceVersion, resumed from the last revision seen
 * whenever it ends or fails, and a relist when that revision has left the server's history (410).
 * Bookmarks are requested and advance the resume point. Repeated failures back off with jitter,
 * and watch timeouts are randomised, so many clients never hammer a server in lockstep.
 *
 * <p>Runs on one virtual thread between {@link #start()} and {@link #stop()}.
 */
public final class Reflector<T extends KubeObject> {
    private static final Logger log = LoggerFactory.getLogger(Reflector.class);
    /** A watch that ends sooner than this without any event counts as a failure (client-go: 1 s). */
    private static final Duration SHORT_WATCH = Duration.ofSeconds(1);

    private final ResourceClient<T> client;
    private final String namespace;
    private final String labelSelector;
    private final ReflectorSink<T> sink;
    private final ReflectorOptions options;
    private final InformerMetrics metrics;
    private final Backoff backoff;
    private final String name;
    private final WatchListSupport watchListSupport;

    private volatile boolean stopped;
    private volatile Thread thread;
    private volatile Watch<T> currentWatch;
    private volatile String lastSyncResourceVersion;
    private volatile String lastError;
    private boolean listed;
    /** After a broken stream, the next relist is a LIST: the path that does not depend on the stream's framing. */
    private boolean listNext;
    /** Whether the current streaming list reached its end bookmark (the cache then holds its state). */
    private boolean initialEventsDone;
    /** Logs a broken event order once per reflector, however often the server repeats it. */
    private boolean orderViolationLogged;

    /**
     * @param namespace     the namespace to reflect, or null for all namespaces (and for cluster-scoped kinds)
     * @param labelSelector the server-side label selector string, or null for every object
     */
    public Reflector(ResourceClient<T> client, String namespace, String labelSelector, ReflectorSink<T> sink,
                     ReflectorOptions options, InformerMetrics metrics) {
        this(client, namespace, labelSelector, sink, options, metrics, new WatchListSupport());
    }

    /** @param watchListSupport shared by the informers of one client: what they learnt of the server's streaming lists */
    public Reflector(ResourceClient<T> client, String namespace, String labelSelector, ReflectorSink<T> sink,
                     ReflectorOptions options, InformerMetrics metrics, WatchListSupport watchListSupport) {
        this.watchListSupport = watchListSupport;
        this.client = client;
        this.namespace = namespace;
        this.labelSelector = labelSelector == null || labelSelector.isEmpty() ? null : labelSelector;
        this.sink = sink;
        this.options = options;
        this.metrics = metrics;
        this.backoff = new Backoff(options.backoff(), options.nanoClock(), options.random());
        this.name = client.type().groupResource() + (namespace == null ? "" : " in " + namespace)
                + (this.labelSelector == null ? "" : " matching " + this.labelSelector);
    }

    /** Starts the list-and-watch loop on a new virtual thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("reflector for " + name + " was already started");
        }
        thread = Thread.ofVirtual().name("reflector-" + client.type().groupResource()).start(this::run);
    }

    /** Stops the loop and closes the current watch; returns at once. */
    public void stop() {
        stopped = true;
        Watch<T> w = currentWatch;
        if (w != null) {
            w.close();
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** True while the list-and-watch loop's thread is alive. */
    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** The revision the cache is known to be at (the last listed, watched or bookmarked one). */
    public String lastSyncResourceVersion() {
        return lastSyncResourceVersion;
    }

    /** The last failure of a list or watch (class and message), or null if there was none. */
    public String lastError() {
        return lastError;
    }

    /** The list-and-watch loop; returns when stopped. Public so callers may run it on a thread of their own. */
    public void run() {
        boolean needList = true;
        while (!stopped) {
            try {
                if (needList && !listNext && options.watchList() && watchListSupport.mayTry()) {
                    initialEventsDone = false;
                    try {
                        streamingListThenWatch();
                    } finally {
                        // Until the end bookmark has filled the cache, any failure (a 403 on watch, a cut
                        // stream, an ERROR event) falls back to one LIST, as client-go's reflector does:
                        // a plain watch must never start from a cache that was not listed.
                        needList = !initialEventsDone;
                        listNext = !initialEventsDone;
                    }
                    continue;
                }
                if (needList) {
                    listAndReplace();
                    needList = false;
                    listNext = false;
                }
                watchUntilEnd();
            } catch (InterruptedException e) {
                break;
            } catch (StreamingListFailedException e) {
                if (stopped) {
                    break;
                }
                needList = true;
                listNext = true;
                lastError = e.toString();
                metrics.relist();
                if (e.serverLacksIt) {
                    watchListSupport.markNotServed(name, e.getMessage());
                } else {
                    log.warn("{}: streaming list failed ({}); relisting", name, e.getMessage());
                    if (!pauseAfterFailure(e.getMessage())) {
                        break;
                    }
                }
            } catch (EventOrderException e) {
                if (stopped) {
                    break;
                }
                needList = true;
                listNext = true;
                lastError = e.toString();
                metrics.relist();
                if (!orderViolationLogged) {
                    orderViolationLogged = true;
                    log.warn("{}: {}; relisting (further such problems are logged at debug)", name, e.getMessage());
                } else {
                    log.debug("{}: {}; relisting", name, e.getMessage());
                }
                if (!pauseAfterFailure(e.getMessage())) {
                    break;
                }
            } catch (GoneException e) {
                if (stopped) {
                    break;
                }
                needList = true;
                lastError = e.toString();
                metrics.relist();
                log.debug("{}: resourceVersion {} is gone from the server's history ({}); relisting",
                        name, lastSyncResourceVersion, e.getMessage());
                if (!pauseAfterFailure("410 Gone")) {
                    break;
                }
            } catch (TooManyRequestsException e) {
                if (stopped) {
                    break;
                }
                metrics.failure();
                lastError = e.toString();
                log.debug("{}: server asked to retry after {} s; resuming from {}", name, e.retryAfterSeconds(),
                        lastSyncResourceVersion);
                if (!sleep(Duration.ofSeconds(Math.max(1, e.retryAfterSeconds())))) {
                    break;
                }
            } catch (RuntimeException e) {
                if (stopped) {
                    break;
                }
                metrics.failure();
                lastError = e.toString();
                if (!pauseAfterFailure(e.getClass().getSimpleName() + ": " + e.getMessage())) {
                    break;
                }
            }
        }
        log.debug("{}: reflector stopped at resourceVersion {}", name, lastSyncResourceVersion);
    }

    /** Waits per the backoff; false if interrupted (stopping). */
    private boolean pauseAfterFailure(String why) {
        Duration delay = backoff.onFailure();
        int failures = backoff.failures();
        if (failures > 2) {
            log.warn("{}: {} failures in a row, last: {}; retrying from resourceVersion {} in {} ms",
                    name, failures, why, lastSyncResourceVersion, delay.toMillis());
        } else {
            log.debug("{}: {}; retrying from resourceVersion {} in {} ms", name, why, lastSyncResourceVersion,
                    delay.toMillis());
        }
        return delay.isZero() || sleep(delay);
    }

    private boolean sleep(Duration d) {
        try {
            options.sleeper().sleep(d);
            return !stopped;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void listAndReplace() {
        metrics.listStarted();
        List<T> items = new ArrayList<>();
        ListOptions opts = ListOptions.all().withLabelSelector(labelSelector).withLimit(options.pageSize());
        String rv = null;
        // Pages through the transport's reader: over HTTP it fetches ahead and decodes pages in parallel.
        try (ListPages<T> pages = client.listPages(namespace, opts)) {
            while (pages.hasNext()) {
                ObjectList<T> page = pages.next();
                metrics.listPage();
                for (T obj : page.items()) {
                    if (wrongKind(obj)) {
                        // nothing of this list reaches the cache: it keeps its last consistent state
                        throw new EventOrderException("the list carried a " + obj.kind() + " (" + obj.key() + ") where "
                                + expectedKind() + " was expected");
                    }
                }
                items.addAll(page.items());
                if (!page.hasMore()) {
                    rv = page.resourceVersion();
                }
            }
        }
        if (rv == null || rv.isEmpty()) {
            throw new IllegalStateException("list of " + name + " returned no resourceVersion: cannot watch from it");
        }
        boolean initial = !listed;
        log.debug("{}: {} list returned {} objects at resourceVersion {}", name, initial ? "initial" : "re-",
                items.size(), rv);
        sink.replace(items, rv, initial);
        listed = true;
        setResourceVersion(rv);
    }

    /** One watch from the last revision until it ends; throws on failures. */
    private void watchUntilEnd() throws InterruptedException {
        long timeout = randomWatchTimeoutSeconds();
        WatchOptions opts = new WatchOptions(labelSelector, null, lastSyncResourceVersion, true, timeout);
        long startNanos = options.nanoClock().getAsLong();
        metrics.watchStarted();
        Watch<T> watch = client.watch(namespace, opts);
        log.debug("{}: watching from resourceVersion {} (timeout {} s)", name, lastSyncResourceVersion, timeout);
        consume(watch, null, startNanos);
    }

    /**
     * A streaming list (WatchList): one watch with {@code sendInitialEvents=true} whose ADDED
     * events up to the annotated end bookmark are the list, collected aside and put in the cache
     * in one replace, and whose later events are the watch. A server that refuses or ignores the
     * request is detected ({@link StreamingListFailedException#serverLacksIt}).
     */
    private void streamingListThenWatch() throws InterruptedException {
        long timeout = randomWatchTimeoutSeconds();
        WatchOptions opts = new WatchOptions(labelSelector, null, null, true, timeout, Boolean.TRUE,
                WatchOptions.NOT_OLDER_THAN);
        long startNanos = options.nanoClock().getAsLong();
        metrics.listStarted();
        metrics.watchStarted();
        Watch<T> watch;
        try {
            watch = client.watch(namespace, opts);
        } catch (KubeApiException e) {
            int code = e.status() == null ? 0 : e.status().code();
            if (code == 400 || code == 422 || code == 501) {
                throw new StreamingListFailedException("the server refused it with " + code + ": " + e.getMessage(), true);
            }
            if (code == 403) {
                // RBAC: the LIST that follows says what this identity may not do, in the words users grant by
                throw new StreamingListFailedException("forbidden: " + e.getMessage(), false);
            }
            throw e;
        }
        log.debug("{}: streaming list (sendInitialEvents=true, timeout {} s)", name, timeout);
        consume(watch, new InitialEvents<>(), startNanos);
    }

    /**
     * Reads {@code watch} until it ends. With {@code initial}, the events up to the end bookmark
     * are a streaming list's and go to the cache together; a watchdog closes the watch if they
     * pause for {@link ReflectorOptions#initialEventsIdle()} without that bookmark.
     */
    private void consume(Watch<T> watch, InitialEvents<T> initial, long startNanos) throws InterruptedException {
        currentWatch = watch;
        IdleWatchdog watchdog = initial == null ? null : IdleWatchdog.start(watch, options.initialEventsIdle(), options.nanoClock());
        int received = 0;
        try {
            if (stopped) {
                return;
            }
            WatchEvent<T> event;
            while ((event = watch.next()) != null) {
                received++;
                metrics.event(event.type());
                if (initial != null && !initial.done) {
                    watchdog.touch();
                    if (initialEvent(initial, event)) {
                        watchdog.stop();
                    }
                    continue;
                }
                switch (event.type()) {
                    case ADDED, MODIFIED, DELETED -> {
                        checkOrder(event);
                        T obj = event.object();
                        if (wrongKind(obj) && metadataOnly()) {
                            // a full object on a metadata watch: the server ignored as=PartialObjectMetadata
                            throw new EventOrderException("a " + event.type() + " event carried a " + obj.kind() + " ("
                                    + obj.key() + ") where " + PartialObjectMetadata.KIND + " was asked for");
                        }
                        if (wrongKind(obj)) {
                            // A server bug must not put another kind in this cache; its revision still counts.
                            log.warn("{}: the server sent a {} event for {} {} on this watch; ignored", name, event.type(),
                                    obj.kind(), obj.key());
                        } else {
                            sink.apply(event.type(), obj);
                        }
                        setResourceVersion(event.resourceVersion());
                    }
                    case BOOKMARK -> {
                        checkOrder(event);
                        setResourceVersion(event.resourceVersion());
                    }
                    case ERROR -> throw errorOf(event.status());
                }
            }
        } finally {
            if (watchdog != null) {
                watchdog.stop();
            }
            currentWatch = null;
            watch.close();
        }
        if (stopped) {
            return;
        }
        if (initial != null && !initial.done) {
            if (watchdog.fired()) {
                throw new StreamingListFailedException("no initial-events-end bookmark within "
                        + options.initialEventsIdle().toMillis() + " ms of the last initial event: the server ignores "
                        + "sendInitialEvents", true);
            }
            throw new StreamingListFailedException("the stream ended after " + initial.items.size()
                    + " initial events without the initial-events-end bookmark", false);
        }
        Duration lasted = Duration.ofNanos(options.nanoClock().getAsLong() - startNanos);
        if (received == 0 && lasted.compareTo(SHORT_WATCH) < 0) {
            throw new WatchEndedEarlyException("watch ended after " + lasted.toMillis() + " ms without any event");
        }
        log.debug("{}: watch ended after {} events; resuming from resourceVersion {}", name, received,
                lastSyncResourceVersion);
    }

    /** One event of a streaming list's initial part; true when it was the end bookmark (the cache is then replaced). */
    private boolean initialEvent(InitialEvents<T> initial, WatchEvent<T> event) {
        switch (event.type()) {
            case ADDED -> {
                T obj = event.object();
                if (wrongKind(obj)) {
                    throw new StreamingListFailedException("an initial event carried a " + obj.kind() + " ("
                            + obj.key() + ") where " + expectedKind() + " was expected", false);
                }
                initial.add(obj);
                return false;
            }
            case BOOKMARK -> {
                var annotations = event.object().metadata().annotations();
                if (annotations == null || !"true".equals(annotations.get(WatchOptions.INITIAL_EVENTS_END_ANNOTATION))) {
                    throw new StreamingListFailedException("a bookmark without the " + WatchOptions.INITIAL_EVENTS_END_ANNOTATION
                            + " annotation came before the end of the initial events: the server ignores sendInitialEvents", true);
                }
                String rv = event.resourceVersion();
                if (rv == null || rv.isEmpty()) {
                    throw new StreamingListFailedException("the initial-events-end bookmark has no resourceVersion", false);
                }
                initial.checkNotNewerThan(rv);
                initial.done = true;
                initialEventsDone = true;
                watchListSupport.markServed();
                boolean first = !listed;
                log.debug("{}: {} streaming list returned {} objects at resourceVersion {}", name,
                        first ? "initial" : "re-", initial.items.size(), rv);
                sink.replace(initial.items, rv, first);
                initial.items = List.of();
                listed = true;
                setResourceVersion(rv);
                return true;
            }
            case MODIFIED, DELETED -> throw new StreamingListFailedException("a " + event.type()
                    + " event came before the initial-events-end bookmark: the server ignores sendInitialEvents", true);
            case ERROR -> throw errorOf(event.status());
        }
        return false;
    }

    /** Revisions on one watch only grow; a step back means the server (or a proxy) broke order. */
    private void checkOrder(WatchEvent<T> event) {
        long next = numeric(event.resourceVersion());
        long last = numeric(lastSyncResourceVersion);
        if (next >= 0 && last >= 0 && next < last) {
            throw new EventOrderException("a " + event.type() + " event at resourceVersion " + next
                    + " arrived after resourceVersion " + last);
        }
    }

    /** The kind this reflector's objects carry: the resource's, or PartialObjectMetadata for a metadata-only one. */
    private String expectedKind() {
        return metadataOnly() ? PartialObjectMetadata.KIND : client.type().kind();
    }

    private boolean metadataOnly() {
        return client.type().javaType() == PartialObjectMetadata.class;
    }

    private boolean wrongKind(T obj) {
        return obj.kind() != null && !obj.kind().equals(expectedKind());
    }

    /** A resourceVersion as a number, or -1 where it is not one (resourceVersions are opaque to clients). */
    static long numeric(String rv) {
        if (rv == null || rv.isEmpty() || rv.length() > 18) {
            return -1;
        }
        for (int i = 0; i < rv.length(); i++) {
            if (rv.charAt(i) < '0' || rv.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(rv);
    }

    private static KubeApiException errorOf(Status status) {
        if (status == null) {
            return new KubeApiException(Status.internalError("watch ERROR event without a status"));
        }
        return KubeApiException.of(status);
    }

    private long randomWatchTimeoutSeconds() {
        long min = options.minWatchTimeout().toSeconds();
        return min + (long) (options.random().nextDouble() * min);
    }

    private void setResourceVersion(String rv) {
        if (rv != null && !rv.isEmpty()) {
            lastSyncResourceVersion = rv;
            metrics.resourceVersion(rv);
        }
    }

    /** The initial events of a streaming list, kept aside until its end bookmark. */
    private static final class InitialEvents<T extends KubeObject> {
        List<T> items = new ArrayList<>();
        boolean done;
        private long newest = -1;
        private String newestKey;

        void add(T obj) {
            items.add(obj);
            long rv = numeric(obj.metadata().resourceVersion());
            if (rv > newest) {
                newest = rv;
                newestKey = obj.key();
            }
        }

        /** No object of the list may be newer than the list's revision. */
        void checkNotNewerThan(String listRv) {
            long at = numeric(listRv);
            if (at >= 0 && newest > at) {
                throw new StreamingListFailedException("initial event " + newestKey + " at resourceVersion " + newest
                        + " is newer than the list's resourceVersion " + at, false);
            }
        }
    }

    /** A streaming list that did not complete; {@code serverLacksIt} when the server does not serve them at all. */
    static final class StreamingListFailedException extends RuntimeException {
        final boolean serverLacksIt;

        StreamingListFailedException(String message, boolean serverLacksIt) {
            super(message);
            this.serverLacksIt = serverLacksIt;
        }
    }

    /**
     * What the server sent cannot be applied as it is (events out of revision order, objects of the
     * wrong kind): the cache can no longer be trusted to follow the server, so it is relisted.
     */
    static final class EventOrderException extends RuntimeException {
        EventOrderException(String message) {
            super(message);
        }
    }

    /** A watch closed immediately without events: a failure, so a broken server is not hammered. */
    static final class WatchEndedEarlyException extends RuntimeException {
        WatchEndedEarlyException(String message) {
            super(message);
        }
    }
}
