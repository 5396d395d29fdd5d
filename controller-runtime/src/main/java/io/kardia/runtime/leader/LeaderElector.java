package io.kardia.runtime.leader;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Lease;
import io.kardia.core.model.LeaseSpec;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lease-based leader election, as client-go's {@code leaderelection} package does it, through the
 * ordinary {@link KubeClient} (so it works on the reference store and on a real cluster).
 *
 * <p>Safety: a candidate only takes a lease whose record it has seen unchanged for a whole lease
 * duration (measured on its own monotonic clock from when it observed the record), and every
 * write is conditional on the Lease's resourceVersion. The leader measures its renew deadline
 * from the moment it <em>sent</em> its last successful renewal, which is before anyone could
 * observe it; since renewDeadline &lt; leaseDuration it stops leading (and calls
 * {@link LeaderCallbacks#onStoppedLeading}) before any other candidate may acquire. A renewal
 * that hangs is abandoned at the deadline.
 *
 * <p>Losing the lease is not the end: the elector goes back to trying to acquire it.
 */
public final class LeaderElector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

    private final ResourceClient<Lease> leases;
    private final LeaderElectionConfig config;
    private final LeaderCallbacks callbacks;
    private final LeaderClock clock;
    private final java.util.random.RandomGenerator random;
    private final java.util.concurrent.ThreadFactory loopThreads;
    private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();
    private final Object lifecycle = new Object();

    private volatile boolean leading;
    private volatile boolean renewalFailing;
    /** When the last successful acquire or renewal was sent (elector clock), for {@link #guard()}. */
    private volatile long authoritySince;
    private volatile boolean stopping;
    private volatile String observedHolder;
    private Thread loop;

    // Touched only by the elector thread (and by release after it has ended).
    private LeaseSpec observedSpec;
    private long observedNanos;
    private final java.util.concurrent.locks.ReentrantLock attemptLock = new java.util.concurrent.locks.ReentrantLock();

    public LeaderElector(KubeClient client, LeaderElectionConfig config, LeaderCallbacks callbacks) {
        this(client, config, callbacks, LeaderClock.system());
    }

    public LeaderElector(KubeClient client, LeaderElectionConfig config, LeaderCallbacks callbacks, LeaderClock clock) {
        this(client, config, callbacks, clock, null, null);
    }

    /**
     * @param random      jitter of the retry period (null: {@link ThreadLocalRandom})
     * @param loopThreads makes the campaign loop's thread (null: a platform daemon thread, so that
     *                    renewals are never starved by busy virtual threads); the simulation test
     *                    kit gives virtual threads on its scheduler
     */
    public LeaderElector(KubeClient client, LeaderElectionConfig config, LeaderCallbacks callbacks, LeaderClock clock,
                         java.util.random.RandomGenerator random, java.util.concurrent.ThreadFactory loopThreads) {
        this.random = random;
        this.loopThreads = loopThreads;
        this.leases = Objects.requireNonNull(client, "client").resources(ResourceTypes.LEASE);
        this.config = Objects.requireNonNull(config, "config");
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public LeaderElectionConfig config() {
        return config;
    }

    /** Whether this candidate currently holds the lease and may act. */
    public boolean isLeader() {
        return leading;
    }

    /** What this candidate may do now, from its own view of the lease (see {@link LeaseGuard}). */
    public LeaseGuard guard() {
        return new LeaseGuard() {
            @Override
            public boolean mayDispatch() {
                return mayWrite() && !renewalFailing;
            }

            @Override
            public boolean mayWrite() {
                return leading && clock.nanoTime() - authoritySince < config.renewDeadline().toNanos();
            }

            @Override
            public String why() {
                if (!leading) {
                    return config.identity() + " does not lead lease " + config.namespace() + "/" + config.name();
                }
                long ms = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - authoritySince);
                return config.identity() + " last renewed lease " + config.namespace() + "/" + config.name() + " "
                        + ms + " ms ago (renew deadline " + config.renewDeadline().toMillis() + " ms)"
                        + (renewalFailing ? "; its renewals are failing" : "");
            }
        };
    }

    /**
     * True while this candidate believes it leads but has not renewed within the lease duration:
     * it should have stopped leading by then (a stuck elector). Health checks report it.
     */
    public boolean overdue() {
        return leading && clock.nanoTime() - authoritySince > config.leaseDuration().toNanos();
    }

    /** The holder last observed in the lease, if any. */
    public Optional<String> observedLeader() {
        String h = observedHolder;
        return h == null || h.isEmpty() ? Optional.empty() : Optional.of(h);
    }

    /** Starts campaigning on a thread of its own. */
    public void start() {
        synchronized (lifecycle) {
            if (loop != null) {
                throw new IllegalStateException("leader elector " + config.identity() + " was already started");
            }
            String name = "leader-election-" + config.name();
            if (loopThreads == null) {
                loop = Thread.ofPlatform().daemon().name(name).start(this::run);
            } else {
                loop = loopThreads.newThread(this::run);
                loop.setName(name);
                loop.start();
            }
        }
    }

    /**
     * Stops campaigning; if leading, calls {@link LeaderCallbacks#onStoppedLeading} and (with
     * releaseOnCancel) gives the lease up so another candidate takes over at its next retry.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (lifecycle) {
            if (stopping) {
                return;
            }
            stopping = true;
            t = loop;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // A renewal may still be in flight on the attempts executor: let it finish first, or it
        // could land after the release and take the lease back.
        attempts.shutdownNow();
        try {
            attempts.awaitTermination(config.renewDeadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean wasLeading = leading;
        if (wasLeading) {
            stopLeading("the elector is stopping");
            if (config.releaseOnCancel()) {
                release();
            }
        }
    }

    private void run() {
        try {
            while (!stopping) {
                acquire();
                if (stopping) {
                    return;
                }
                renewUntilLost();
            }
        } catch (InterruptedException e) {
            // close() interrupts the loop; it handles the rest
        } catch (RuntimeException | Error e) {
            log.error("leader election loop for lease {}/{} failed", config.namespace(), config.name(), e);
            if (leading) {
                stopLeading("the election loop failed: " + e);
            }
        }
    }

    private void acquire() throws InterruptedException {
        while (!stopping) {
            boolean acquired;
            try {
                acquired = attempt();
            } catch (RuntimeException e) {
                log.debug("{}: acquiring lease {}/{} failed: {}", config.identity(), config.namespace(), config.name(),
                        e.toString());
                acquired = false;
            }
            if (acquired) {
                authoritySince = lastAttemptStart;
                renewalFailing = false;
                leading = true;
                log.info("{} became leader of lease {}/{}", config.identity(), config.namespace(), config.name());
                callbacks.onStartedLeading();
                return;
            }
            double jitter = 1 + (random != null ? random.nextDouble() : ThreadLocalRandom.current().nextDouble()) * 0.2;
            clock.sleep(Duration.ofNanos((long) (config.retryPeriod().toNanos() * jitter)));
        }
    }

    private void renewUntilLost() throws InterruptedException {
        long lastRenewSent = lastAttemptStart;
        while (!stopping) {
            clock.sleep(config.retryPeriod());
            boolean renewed = false;
            while (!stopping) {
                long attemptStart = clock.nanoTime();
                long left = lastRenewSent + config.renewDeadline().toNanos() - attemptStart;
                if (left <= 0) {
                    break;
                }
                java.util.concurrent.CompletableFuture<Boolean> result = new java.util.concurrent.CompletableFuture<>();
                Future<?> f = attempts.submit(() -> {
                    try {
                        result.complete(attempt());
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                });
                try {
                    renewed = clock.await(result, left); // on the elector's clock: virtual in a simulation
                } catch (TimeoutException e) {
                    f.cancel(true);
                    renewalFailing = true;
                    notifyRenewalFailing();
                    break;
                } catch (ExecutionException e) {
                    log.warn("{}: renewing lease {}/{} failed: {}", config.identity(), config.namespace(), config.name(),
                            e.getCause().toString());
                }
                if (renewed) {
                    lastRenewSent = attemptStart;
                    authoritySince = attemptStart;
                    if (renewalFailing) {
                        renewalFailing = false;
                        log.info("{}: renewed lease {}/{} again", config.identity(), config.namespace(), config.name());
                    }
                    notifyRenewed();
                    break;
                }
                if (!renewalFailing) {
                    renewalFailing = true; // dispatching stops now, not at the deadline
                    notifyRenewalFailing();
                }
                long rest = lastRenewSent + config.renewDeadline().toNanos() - clock.nanoTime();
                if (rest <= 0) {
                    break;
                }
                clock.sleep(Duration.ofNanos(Math.min(config.retryPeriod().toNanos(), rest)));
            }
            if (stopping) {
                return; // close() stops leading and releases
            }
            if (!renewed) {
                stopLeading("failed to renew lease " + config.namespace() + "/" + config.name() + " within the renew "
                        + "deadline of " + config.renewDeadline().toMillis() + " ms");
                return;
            }
        }
    }

    private void notifyRenewalFailing() {
        try {
            callbacks.onRenewalFailing();
        } catch (RuntimeException e) {
            log.error("onRenewalFailing callback of {} failed", config.identity(), e);
        }
    }

    private void notifyRenewed() {
        try {
            callbacks.onRenewed();
        } catch (RuntimeException e) {
            log.error("onRenewed callback of {} failed", config.identity(), e);
        }
    }

    private void stopLeading(String why) {
        leading = false;
        log.warn("{} stopped leading: {}", config.identity(), why);
        try {
            callbacks.onStoppedLeading();
        } catch (RuntimeException e) {
            log.error("onStoppedLeading callback of {} failed", config.identity(), e);
        }
    }

    private volatile long lastAttemptStart;

    /** One try to acquire or renew; true if this candidate holds the lease afterwards. */
    private boolean attempt() throws InterruptedException {
        // An abandoned (timed-out) renewal may still be running: never let two attempts interleave.
        attemptLock.lockInterruptibly();
        try {
            return attemptLocked();
        } finally {
            attemptLock.unlock();
        }
    }

    private boolean attemptLocked() {
        long now = clock.nanoTime();
        lastAttemptStart = now;
        Instant wallNow = clock.now();
        int seconds = (int) config.leaseDuration().toSeconds();
        Optional<Lease> existing = leases.find(config.namespace(), config.name());
        if (existing.isEmpty()) {
            Lease fresh = Lease.of(ObjectMeta.of(config.namespace(), config.name()),
                    LeaseSpec.of(config.identity(), seconds, wallNow, wallNow, 0));
            try {
                written(leases.create(fresh), clock.nanoTime());
                return true;
            } catch (KubeApiException.AlreadyExistsException e) {
                return false;
            }
        }
        // Observation time is taken after the read, as client-go does: the later it is, the later others expire us.
        now = clock.nanoTime();
        Lease current = existing.get();
        LeaseSpec spec = current.spec() == null ? new LeaseSpec(null, null, null, null, null, null) : current.spec();
        if (!Objects.equals(spec, observedSpec)) {
            observe(spec, now);
        }
        String holder = spec.holderIdentity();
        boolean held = holder != null && !holder.isEmpty();
        boolean mine = config.identity().equals(holder);
        long recordNanos = spec.leaseDurationSeconds() != null && spec.leaseDurationSeconds() > 0
                ? TimeUnit.SECONDS.toNanos(spec.leaseDurationSeconds())
                : config.leaseDuration().toNanos();
        if (held && !mine && now - observedNanos < recordNanos) {
            return false; // someone else holds a lease that has not expired by our own clock
        }
        int transitions = spec.leaseTransitions() == null ? 0 : spec.leaseTransitions();
        LeaseSpec next = mine
                ? new LeaseSpec(holder, seconds, spec.acquireTime(), wallNow, transitions, spec.extra())
                : new LeaseSpec(config.identity(), seconds, wallNow, wallNow, transitions + 1, spec.extra());
        try {
            Lease updated = leases.update(current.withSpec(next));
            written(updated, clock.nanoTime());
            return true;
        } catch (KubeApiException.ConflictException | KubeApiException.NotFoundException e) {
            return false; // someone wrote first; look again next time
        }
    }

    private void written(Lease lease, long nanos) {
        observe(lease.spec(), nanos);
    }

    private void observe(LeaseSpec spec, long nanos) {
        String before = observedHolder;
        observedSpec = spec;
        observedNanos = nanos;
        String holder = spec == null ? null : spec.holderIdentity();
        observedHolder = holder;
        if (holder != null && !holder.isEmpty() && !holder.equals(before)) {
            try {
                callbacks.onNewLeader(holder);
            } catch (RuntimeException e) {
                log.error("onNewLeader callback of {} failed", config.identity(), e);
            }
        }
    }

    /** Gives the lease up: no holder and a 1 s duration, as client-go writes it on release. */
    private void release() {
        for (int attempt = 1; ; attempt++) {
            try {
                Lease current = leases.get(config.namespace(), config.name());
                if (current.spec() == null || !config.identity().equals(current.spec().holderIdentity())) {
                    return;
                }
                Instant now = clock.now();
                int transitions = current.spec().leaseTransitions() == null ? 0 : current.spec().leaseTransitions();
                leases.update(current.withSpec(new LeaseSpec(null, 1, now, now, transitions, current.spec().extra())));
                log.info("{} released lease {}/{}", config.identity(), config.namespace(), config.name());
                return;
            } catch (KubeApiException.ConflictException e) {
                if (attempt >= 3) {
                    log.warn("{} could not release lease {}/{} (kept changing); others take over when it expires",
                            config.identity(), config.namespace(), config.name());
                    return;
                }
                // changed under us (our own last renewal landing): read it again
            } catch (RuntimeException e) {
                log.warn("{} could not release lease {}/{}; others take over when it expires: {}", config.identity(),
                        config.namespace(), config.name(), e.toString());
                return;
            }
        }
    }
}
