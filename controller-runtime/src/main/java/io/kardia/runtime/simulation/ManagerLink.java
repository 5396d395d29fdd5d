package io.kardia.runtime.simulation;

import io.kardia.core.client.WriteInterceptingResources;
import io.kardia.core.client.ForwardingKubeClient;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * One manager's connection to the simulated store: it can be cut for a while (a network
 * partition: calls time out, watches drop) or for good (the manager's process was killed), and it
 * reports every write that reaches the store from this manager, past its leader fencing, to the
 * simulation's write listeners.
 */
final class ManagerLink {
    /** How long a call waits on a cut link before it fails, as an HTTP request timing out. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final String manager;
    private final VirtualClock clock;
    private final Trace trace;
    private final List<Simulation.WriteListener> listeners;
    /** Virtual nanoTime until which the link is cut (the start of time: never cut). */
    private volatile long cutUntil = StepScheduler.ORIGIN_NANOS;
    /** Set when the manager's process is killed: nothing it sends reaches the store from then on. */
    private volatile boolean dead;
    /** Calls that passed the link and have not returned: they reached the store (only the simulation's threads touch it). */
    private int inFlight;

    ManagerLink(String manager, VirtualClock clock, Trace trace, List<Simulation.WriteListener> listeners) {
        this.manager = manager;
        this.clock = clock;
        this.trace = trace;
        this.listeners = listeners;
    }

    /** Cuts the link for {@code duration} of virtual time from now. */
    void cut(Duration duration) {
        cutUntil = clock.nanoTime() + duration.toNanos();
        trace.note("link of manager " + manager + " cut for " + duration);
    }

    /**
     * Kills the link for good, as the manager's process dies: every call it makes from now on
     * fails before it reaches the store, and its watches end. Calls already past the link
     * ({@link #inFlight()}) reached the store before the crash.
     */
    void kill() {
        dead = true;
    }

    /** Calls past the link that have not returned yet. */
    int inFlight() {
        return inFlight;
    }

    /** The link of the manager started again in the crashed one's place: a cut still in force goes on. */
    ManagerLink successor() {
        ManagerLink next = new ManagerLink(manager, clock, trace, listeners);
        next.cutUntil = cutUntil;
        return next;
    }

    private boolean isCut() {
        return clock.nanoTime() - cutUntil < 0;
    }

    /** On a dead link: fails at once. On a cut link: waits for the request timeout (or the end of the cut, if sooner) and fails. */
    private void pass(String what) {
        if (dead) {
            throw crashed(what);
        }
        if (!isCut()) {
            return;
        }
        long wait = Math.min(REQUEST_TIMEOUT.toNanos(), cutUntil - clock.nanoTime());
        try {
            clock.sleep(Duration.ofNanos(wait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dead) {
            throw crashed(what); // killed while it waited: it never sends
        }
        throw KubeApiException.of(Status.timeout("simulated: the link of manager " + manager + " is cut; " + what
                + " timed out"));
    }

    private KubeApiException crashed(String what) {
        return KubeApiException.of(Status.serviceUnavailable("simulated: manager " + manager + " crashed; " + what
                + " was never sent"));
    }

    /** Makes {@code call} once it passed the link, counted as in flight until it returns. */
    private <R> R through(Supplier<R> call) {
        inFlight++;
        try {
            return call.get();
        } finally {
            inFlight--;
        }
    }

    KubeClient wrap(KubeClient client) {
        return new ForwardingKubeClient(client) {
            @Override
            public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
                return new Linked<>(super.resources(type));
            }

            @Override
            public void bindPod(String namespace, String podName, String nodeName) {
                pass("bind pod " + podName);
                through(() -> {
                    super.bindPod(namespace, podName, nodeName);
                    return null;
                });
            }

            @Override
            public io.kardia.core.client.ServerResources discoverResources() {
                pass("discovery");
                return through(super::discoverResources);
            }

            @Override
            public io.kardia.core.model.Namespace finalizeNamespace(io.kardia.core.model.Namespace namespace) {
                pass("finalize namespace " + namespace.metadata().name());
                return through(() -> super.finalizeNamespace(namespace));
            }
        };
    }

    private final class Linked<T extends KubeObject> extends WriteInterceptingResources<T> {
        Linked(ResourceClient<T> delegate) {
            super(delegate);
        }

        @Override
        protected <R> R write(String verb, String namespace, String name, Supplier<R> call) {
            pass(verb + " " + type().plural() + " " + name);
            for (Simulation.WriteListener l : listeners) {
                l.writing(manager, verb, type(), namespace, name);
            }
            return through(call);
        }

        @Override
        public T get(String namespace, String name) {
            pass("get " + type().plural() + " " + name);
            return through(() -> super.get(namespace, name));
        }

        @Override
        public ObjectList<T> list(String namespace, ListOptions options) {
            pass("list " + type().plural());
            return through(() -> super.list(namespace, options));
        }

        @Override
        public Watch<T> watch(String namespace, WatchOptions options) {
            pass("watch " + type().plural());
            Watch<T> inner = through(() -> super.watch(namespace, options));
            return new Watch<>() {
                @Override
                public WatchEvent<T> next() throws InterruptedException {
                    WatchEvent<T> e = inner.next();
                    if (dead) {
                        inner.close(); // the process is gone: what the stream still carries reaches no one
                        return null;
                    }
                    if (e != null && isCut()) {
                        // The stream broke with the link: the event never arrives; the informer resumes later.
                        inner.close();
                        clock.sleep(Duration.ofNanos(Math.max(0, cutUntil - clock.nanoTime())));
                        return null;
                    }
                    return e;
                }

                @Override
                public void close() {
                    inner.close();
                }
            };
        }
    }
}
