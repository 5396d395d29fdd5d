package io.kardia.runtime.simulation;

import io.kardia.core.client.WriteInterceptingResources;
import io.kardia.core.client.ForwardingKubeClient;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Injects the {@link Faults} of a simulation into the clients its managers use. Every decision
 * is drawn from the seed in the (deterministic) order the calls come, and every injected fault
 * gets a number: a run replayed with some numbers skipped injects all the others, which is how a
 * failure is shrunk to the faults it needs.
 */
final class FaultInjector {
    private final Faults faults;
    private final SplittableRandom random;
    private final Set<Integer> skipped;
    private final Trace trace;
    private final VirtualClock clock;
    private int drawn;
    private int injected;
    private boolean stopped;

    FaultInjector(Faults faults, long seed, Set<Integer> skipped, Trace trace, VirtualClock clock) {
        this.faults = faults;
        this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 1);
        this.skipped = Set.copyOf(skipped);
        this.trace = trace;
        this.clock = clock;
    }

    /** No faults from now on (properties that must hold "once faults stop"). */
    void stop() {
        stopped = true;
    }

    boolean active() {
        return !stopped && faults.any();
    }

    /** Numbers of the faults injected so far (those skipped not included). */
    int injected() {
        return injected;
    }

    /** Decides one fault of probability {@code rate}; true when it is to be injected now. */
    private boolean draw(double rate, Supplier<String> what) {
        if (stopped || rate <= 0) {
            return false;
        }
        if (random.nextDouble() >= rate) {
            return false;
        }
        int n = drawn++;
        if (skipped.contains(n)) {
            return false;
        }
        injected++;
        trace.note("fault #" + n + ": " + what.get());
        return true;
    }

    boolean crashNow() {
        return draw(faults.crashes(), () -> "crash and restart a manager");
    }

    boolean storeRestartNow() {
        return draw(faults.storeRestarts(), () -> "restart the store from its journal");
    }

    /** How long a store restart keeps it down: up to {@link Faults#MAX_STORE_DOWNTIME}. */
    Duration storeDowntime() {
        return Duration.ofMillis(random.nextLong(Faults.MAX_STORE_DOWNTIME.toMillis() + 1));
    }

    int pick(int bound) {
        return random.nextInt(bound);
    }

    /** Faults drawn so far, injected or skipped: the numbers a replay may skip. */
    int drawn() {
        return drawn;
    }

    KubeClient wrap(KubeClient client) {
        if (!faults.any()) {
            return client;
        }
        return new ForwardingKubeClient(client) {
            @Override
            public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
                return new FaultyResources<>(super.resources(type));
            }
        };
    }

    private final class FaultyResources<T extends KubeObject> extends WriteInterceptingResources<T> {
        FaultyResources(ResourceClient<T> delegate) {
            super(delegate);
        }

        @Override
        protected <R> R write(String verb, String namespace, String name, Supplier<R> call) {
            String shown = name == null ? "(all)" : name;
            String what = verb + " " + type().plural() + " " + (namespace == null ? "" : namespace + "/") + shown;
            if (draw(faults.writeConflicts(), () -> "409 Conflict on " + what)) {
                throw KubeApiException.of(Status.conflict(type().named(shown),
                        "the object has been modified; please apply your changes to the latest version and try again"));
            }
            if (draw(faults.writeErrors(), () -> "transient 5xx on " + what)) {
                boolean afterApply = random.nextBoolean();
                if (afterApply) {
                    call.get(); // applied, but the answer is lost
                }
                throw KubeApiException.of(afterApply
                        ? Status.internalError("simulated: the answer to " + what + " was lost")
                        : Status.serviceUnavailable("simulated: " + what + " refused for a moment"));
            }
            return call.get();
        }

        @Override
        public Watch<T> watch(String namespace, WatchOptions options) {
            Watch<T> inner = super.watch(namespace, options);
            String what = "watch of " + type().plural();
            return new Watch<>() {
                @Override
                public WatchEvent<T> next() throws InterruptedException {
                    if (draw(faults.watchDisconnects(), () -> what + " disconnected")) {
                        inner.close();
                        return null;
                    }
                    if (draw(faults.watchGone(), () -> what + " answered 410 Gone")) {
                        inner.close();
                        return WatchEvent.error(Status.gone("simulated: too old resource version"));
                    }
                    WatchEvent<T> e = inner.next();
                    if (e != null && !stopped && !faults.maxEventDelay().isZero()) {
                        long nanos = (long) (random.nextDouble() * faults.maxEventDelay().toNanos());
                        clock.sleep(Duration.ofNanos(nanos)); // virtual: other informers' events overtake it
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
