package io.kardia.runtime.simulation;

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
 * partition: calls time out, watches drop), and it reports every write that reaches the store
 * from this manager, past its leader fencing, to the simulation's write listeners.
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

    private boolean isCut() {
        return clock.nanoTime() - cutUntil < 0;
    }

    /** On a cut link: waits for the request timeout (or the end of the cut, if sooner) and fails. */
    private void pass(String what) {
        if (!isCut()) {
            return;
        }
        long wait = Math.min(REQUEST_TIMEOUT.toNanos(), cutUntil - clock.nanoTime());
        try {
            clock.sleep(Duration.ofNanos(wait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw KubeApiException.of(Status.timeout("simulated: the link of manager " + manager + " is cut; " + what
                + " timed out"));
    }

    KubeClient wrap(KubeClient client) {
        return new ForwardingKubeClient(client) {
            @Override
            public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
                return new Linked<>(super.resources(type));
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
            return call.get();
        }

        @Override
        public T get(String namespace, String name) {
            pass("get " + type().plural() + " " + name);
            return super.get(namespace, name);
        }

        @Override
        public ObjectList<T> list(String namespace, ListOptions options) {
            pass("list " + type().plural());
            return super.list(namespace, options);
        }

        @Override
        public Watch<T> watch(String namespace, WatchOptions options) {
            pass("watch " + type().plural());
            Watch<T> inner = super.watch(namespace, options);
            return new Watch<>() {
                @Override
                public WatchEvent<T> next() throws InterruptedException {
                    WatchEvent<T> e = inner.next();
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
