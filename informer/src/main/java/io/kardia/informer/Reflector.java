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

    private volatile boolean stopped;
    private volatile Thread thread;
    private volatile Watch<T> currentWatch;
    private volatile String lastSyncResourceVersion;
    private volatile String lastError;
    private boolean listed;

    /**
     * @param namespace     the namespace to reflect, or null for all namespaces (and for cluster-scoped kinds)
     * @param labelSelector the server-side label selector string, or null for every object
     */
    public Reflector(ResourceClient<T> client, String namespace, String labelSelector, ReflectorSink<T> sink,
                     ReflectorOptions options, InformerMetrics metrics) {
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
                if (needList) {
                    listAndReplace();
                    needList = false;
                }
                watchUntilEnd();
            } catch (InterruptedException e) {
                break;
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
        currentWatch = watch;
        int received = 0;
        try {
            if (stopped) {
                return;
            }
            log.debug("{}: watching from resourceVersion {} (timeout {} s)", name, lastSyncResourceVersion, timeout);
            WatchEvent<T> event;
            while ((event = watch.next()) != null) {
                received++;
                metrics.event(event.type());
                switch (event.type()) {
                    case ADDED, MODIFIED, DELETED -> {
                        T obj = event.object();
                        if (obj.kind() != null && !obj.kind().equals(client.type().kind())) {
                            // A server bug must not put another kind in this cache; its revision still counts.
                            log.warn("{}: the server sent a {} event for {} {} on this watch; ignored", name, event.type(),
                                    obj.kind(), obj.key());
                        } else {
                            sink.apply(event.type(), obj);
                        }
                        setResourceVersion(event.resourceVersion());
                    }
                    case BOOKMARK -> setResourceVersion(event.resourceVersion());
                    case ERROR -> throw errorOf(event.status());
                }
            }
        } finally {
            currentWatch = null;
            watch.close();
        }
        if (stopped) {
            return;
        }
        Duration lasted = Duration.ofNanos(options.nanoClock().getAsLong() - startNanos);
        if (received == 0 && lasted.compareTo(SHORT_WATCH) < 0) {
            throw new WatchEndedEarlyException("watch ended after " + lasted.toMillis() + " ms without any event");
        }
        log.debug("{}: watch ended after {} events; resuming from resourceVersion {}", name, received,
                lastSyncResourceVersion);
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

    /** A watch closed immediately without events: a failure, so a broken server is not hammered. */
    static final class WatchEndedEarlyException extends RuntimeException {
        WatchEndedEarlyException(String message) {
            super(message);
        }
    }
}
