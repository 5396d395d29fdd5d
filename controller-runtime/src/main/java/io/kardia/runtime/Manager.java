package io.kardia.runtime;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.informer.InformerOptions;
import io.kardia.informer.SharedInformer;
import io.kardia.informer.SharedInformerFactory;
import io.kardia.runtime.event.EventRecorder;
import io.kardia.runtime.event.EventRecorderOptions;
import io.kardia.runtime.event.KubeEventRecorder;
import io.kardia.runtime.leader.LeaderCallbacks;
import io.kardia.runtime.leader.LeaderElectionConfig;
import io.kardia.runtime.leader.LeaderElector;
import io.kardia.runtime.leader.FencingKubeClient;
import io.kardia.runtime.leader.LeadershipLossPolicy;
import io.kardia.runtime.leader.LeadershipLostException;
import io.kardia.runtime.leader.LeaseGuard;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a process's controllers: owns the API client, the shared informer factory, a client that
 * reads from the cache and writes to the API, the metrics registry, the health/readiness/metrics
 * endpoints and, when enabled, leader election (controllers run only while this process leads).
 *
 * <pre>{@code
 * try (Manager manager = Manager.builder(client).httpPort(8080).build()) {
 *     manager.newController().forKind(ConfigMap.class).complete(cm -> Result.done());
 *     manager.run();   // blocks; SIGTERM shuts down gracefully
 * }
 * }</pre>
 *
 * Shutdown ({@link #close()}): stop taking work, let in-flight reconciles finish up to the
 * graceful-shutdown timeout, release the lease, stop the informers and the endpoints.
 */
public final class Manager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Manager.class);
    /** The elector's own rate limit: a renewal every retry period needs far less. */
    static final double ELECTION_QPS = 5;
    static final int ELECTION_BURST = 10;

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    private final KubeClient apiClient;
    private final boolean ownsClient;
    private final String namespace;
    private final PrometheusMeterRegistry registry;
    private final SharedInformerFactory informers;
    private final CachedKubeClient cachedClient;
    private final Duration cacheSyncTimeout;
    private final Duration gracefulShutdownTimeout;
    private final InetSocketAddress httpAddress;
    private final LeaderElector elector;
    /** The elector's own client (own connections and rate limiter), closed with the manager; or the API client. */
    private final KubeClient electionClient;
    /** The API client with writes fenced by the lease (the API client itself without leader election). */
    private final KubeClient writeClient;
    private final LeadershipLossPolicy lossPolicy;
    private final DispatchGate gate;
    private final List<Controller> controllers = new CopyOnWriteArrayList<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private volatile State state = State.NEW;
    private volatile Throwable failure;
    private volatile boolean controllersStarted;
    private ManagerHttpServer http;

    private Manager(Builder b) {
        this.apiClient = b.client;
        this.ownsClient = b.ownsClient;
        this.namespace = b.namespace;
        this.registry = b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.informers = new SharedInformerFactory(apiClient, InformerOptions.defaults().withRegistry(registry));
        this.cacheSyncTimeout = b.cacheSyncTimeout;
        this.gracefulShutdownTimeout = b.gracefulShutdownTimeout;
        this.httpAddress = b.httpAddress;
        this.lossPolicy = b.lossPolicy;
        // Renewals never queue behind the controllers' requests: the elector has its own client.
        this.electionClient = b.leaderElection == null ? null
                : b.electionClient != null ? b.electionClient
                : apiClient instanceof HttpKubeClient http ? http.withOwnRateLimit(ELECTION_QPS, ELECTION_BURST) : apiClient;
        this.elector = b.leaderElection == null ? null
                : new LeaderElector(electionClient, b.leaderElection, new ManagerLeaderCallbacks());
        this.writeClient = elector == null ? apiClient : new FencingKubeClient(apiClient, elector.guard());
        this.gate = new DispatchGate(elector == null);
        this.cachedClient = new CachedKubeClient(writeClient, informers, namespace, cacheSyncTimeout);
        if (elector != null) {
            Gauge.builder("leader.election.master.status", elector, e -> e.isLeader() ? 1 : 0)
                    .description("1 while this process is the leader of the named lease, else 0")
                    .tag("name", b.leaderElection.name())
                    .register(registry);
        }
    }

    public static Builder builder(KubeClient client) {
        return new Builder(client);
    }

    /** Starts declaring a controller; {@code complete(...)} adds it to this manager. */
    public ControllerBuilder<io.kardia.core.model.KubeObject> newController() {
        return new ControllerBuilder<>(this);
    }

    /** Reads from the cache, writes to the API: what reconcilers read and write through. */
    public CachedClient client() {
        return cachedClient;
    }

    /**
     * The API client, for reads that must not be stale and for the helpers that re-read after a
     * conflict ({@link StatusUpdates}, {@link Conflicts}); with leader election its writes are
     * fenced (refused once the lease's renew deadline has passed, see {@link FencingKubeClient}).
     */
    public KubeClient apiClient() {
        return writeClient;
    }

    public SharedInformerFactory informers() {
        return informers;
    }

    public MeterRegistry meterRegistry() {
        return registry;
    }

    /** The namespace this manager is limited to, or null for all. */
    public String namespace() {
        return namespace;
    }

    Duration cacheSyncTimeout() {
        return cacheSyncTimeout;
    }

    /** An event recorder writing core/v1 Events as {@code component}, with default aggregation and rate limits. */
    public EventRecorder eventRecorder(String component) {
        return new KubeEventRecorder(writeClient, EventRecorderOptions.defaults(component));
    }

    public List<Controller> controllers() {
        return List.copyOf(controllers);
    }

    /** What this manager may do now under its lease ({@link LeaseGuard#ALWAYS} without leader election). */
    public LeaseGuard leaseGuard() {
        return elector == null ? LeaseGuard.ALWAYS : elector.guard();
    }

    /** True while leader election is disabled, or this process leads. */
    public boolean isLeader() {
        return elector == null || elector.isLeader();
    }

    /** Why the manager stopped on its own (leadership lost, a controller failed to start), if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** The port of the health/metrics endpoints. */
    public int httpPort() {
        if (http == null) {
            throw new IllegalStateException("the manager serves no HTTP endpoints: set httpPort(...) on its builder "
                    + "and start it");
        }
        return http.port();
    }

    /** Prometheus text of every meter. */
    public String scrapeMetrics() {
        return registry.scrape();
    }

    /** Fails early, before a queue is built, if a controller of this name exists. */
    void requireUniqueName(String controllerName) {
        for (Controller c : controllers) {
            if (c.name().equals(controllerName)) {
                throw new IllegalArgumentException("a controller named '" + controllerName
                        + "' is already registered; name them apart with named(...)");
            }
        }
    }

    void add(Controller controller) {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("controller " + controller.name() + " was added to a manager that is "
                        + state + "; declare controllers before start()");
            }
            for (Controller c : controllers) {
                if (c.name().equals(controller.name())) {
                    throw new IllegalArgumentException("a controller named '" + controller.name()
                            + "' is already registered; name them apart with named(...)");
                }
            }
            controller.dispatchGate(gate);
            controllers.add(controller);
        }
    }

    /**
     * Starts the endpoints and the informers, then the controllers: at once (waiting for their
     * caches) without leader election, else whenever this process becomes the leader.
     *
     * @throws io.kardia.informer.CacheSyncTimeoutException if caches did not sync in time (no leader election)
     */
    public void start() throws InterruptedException {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("the manager was already started (state " + state + ")");
            }
            state = State.RUNNING;
        }
        if (httpAddress != null) {
            try {
                http = new ManagerHttpServer(httpAddress, this::healthProblem, this::readinessProblem, registry::scrape);
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("could not serve the manager endpoints on " + httpAddress, e);
            }
        }
        informers.start();
        if (elector == null) {
            try {
                startControllers();
            } catch (RuntimeException | InterruptedException e) {
                failure = e;
                close();
                throw e;
            }
        } else {
            elector.start();
        }
    }

    /**
     * {@link #start()}, shut down gracefully on SIGTERM, and block until the manager stops.
     *
     * @throws LeadershipLostException if it stopped because it lost its lease (policy EXIT)
     */
    public void run() throws InterruptedException {
        Thread hook = new Thread(this::close, "manager-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        start();
        awaitTermination();
        if (failure instanceof LeadershipLostException lost) {
            throw lost; // the process exits non-zero and its supervisor starts a fresh one
        }
    }

    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void startControllers() throws InterruptedException {
        for (Controller c : controllers) {
            if (state != State.RUNNING) {
                return;
            }
            c.start();
        }
        controllersStarted = true;
    }

    private void stopControllers(Duration drainTimeout) {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        for (Controller c : controllers) {
            try {
                c.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Graceful shutdown; idempotent, safe from any thread (the SIGTERM hook included). */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (state == State.STOPPING || state == State.STOPPED) {
                return;
            }
            boolean wasNew = state == State.NEW;
            state = State.STOPPING;
            if (wasNew) {
                finish();
                return;
            }
        }
        log.info("manager shutting down: draining in-flight reconciles for up to {} ms",
                gracefulShutdownTimeout.toMillis());
        stopControllers(gracefulShutdownTimeout);
        if (elector != null) {
            elector.close(); // after the drain: the lease is held until no reconcile runs, then released
        }
        finish();
    }

    private void finish() {
        informers.stop();
        if (http != null) {
            http.close();
        }
        if (ownsClient) {
            apiClient.close();
        }
        if (electionClient != null && electionClient != apiClient) {
            electionClient.close();
        }
        state = State.STOPPED;
        terminated.countDown();
        log.info("manager stopped");
    }

    private String healthProblem() {
        Throwable f = failure;
        if (f != null) {
            return "manager failed: " + f.getMessage();
        }
        if (elector != null && elector.overdue()) {
            // It believes it leads but has not renewed for a whole lease: it should lead and does not.
            return "leader election: " + elector.guard().why();
        }
        return null;
    }

    private String readinessProblem() {
        List<String> unsynced = new ArrayList<>();
        for (SharedInformer<?> i : informers.informers()) {
            if (!i.hasSynced()) {
                unsynced.add(i.type().groupResource() + (i.namespace() == null ? "" : " in " + i.namespace()));
            }
        }
        if (state != State.RUNNING) {
            return "manager is " + state;
        }
        return unsynced.isEmpty() ? null : "caches not synced: " + String.join(", ", unsynced);
    }

    private final class ManagerLeaderCallbacks implements LeaderCallbacks {
        @Override
        public void onStartedLeading() {
            gate.open();
            if (controllersStarted) {
                // Leading again (CAMPAIGN_AGAIN): whatever changed while others led is reconciled.
                controllers.forEach(Controller::resync);
                log.info("leading again: controllers resume with a full resync");
                return;
            }
            // Not on the elector's thread: starting waits for the caches, and renewals must go on.
            Thread.ofVirtual().name("manager-start-controllers").start(() -> {
                try {
                    startControllers();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    log.error("controllers failed to start; the manager stops", e);
                    failure = e;
                    Thread.ofVirtual().start(Manager.this::close);
                }
            });
        }

        @Override
        public void onRenewalFailing() {
            gate.close();
            log.warn("renewing lease {}/{} failed: no new reconciles until it is renewed",
                    elector.config().namespace(), elector.config().name());
        }

        @Override
        public void onRenewed() {
            if (elector.isLeader() && state == State.RUNNING && !gate.isOpen()) {
                gate.open();
                log.info("lease {}/{} renewed: reconciles resume", elector.config().namespace(), elector.config().name());
            }
        }

        @Override
        public void onStoppedLeading() {
            gate.close();
            if (state != State.RUNNING) {
                return; // shutting down: close() drains the controllers itself
            }
            String lease = elector.config().namespace() + "/" + elector.config().name();
            // Stop acting before the lease can expire for others: the renew deadline left us
            // (leaseDuration - renewDeadline) of margin, so interrupt whatever runs after half of it.
            Duration margin = elector.config().leaseDuration().minus(elector.config().renewDeadline()).dividedBy(2);
            Duration grace = margin.compareTo(gracefulShutdownTimeout) < 0 ? margin : gracefulShutdownTimeout;
            if (lossPolicy == LeadershipLossPolicy.CAMPAIGN_AGAIN) {
                for (Controller c : controllers) {
                    try {
                        c.cancelInFlight(grace);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                log.error("leadership of lease {} was lost; controllers paused, campaigning again", lease);
                return;
            }
            failure = new LeadershipLostException("leadership of lease " + lease + " was lost");
            stopControllers(grace);
            log.error("{}; controllers stopped, the manager shuts down", failure.getMessage());
            Thread.ofVirtual().start(Manager.this::close);
        }

        @Override
        public void onNewLeader(String identity) {
            log.info("lease {}/{} is held by {}", elector.config().namespace(), elector.config().name(), identity);
        }
    }

    /** Configures a {@link Manager}. */
    public static final class Builder {
        private final KubeClient client;
        private boolean ownsClient;
        private String namespace;
        private PrometheusMeterRegistry registry;
        private Duration cacheSyncTimeout = Duration.ofMinutes(2);
        private Duration gracefulShutdownTimeout = Duration.ofSeconds(30);
        private InetSocketAddress httpAddress;
        private LeaderElectionConfig leaderElection;
        private LeadershipLossPolicy lossPolicy = LeadershipLossPolicy.EXIT;
        private KubeClient electionClient;

        private Builder(KubeClient client) {
            this.client = Objects.requireNonNull(client, "a manager needs a KubeClient");
        }

        /** Close the API client when the manager closes (default: the caller closes it). */
        public Builder ownsClient(boolean owns) {
            this.ownsClient = owns;
            return this;
        }

        /** Watch and cache only this namespace (default: all). */
        public Builder namespace(String ns) {
            this.namespace = ns == null || ns.isEmpty() ? null : ns;
            return this;
        }

        /** Registry for every meter; default: a new Prometheus registry. */
        public Builder meterRegistry(PrometheusMeterRegistry r) {
            this.registry = Objects.requireNonNull(r, "registry");
            return this;
        }

        /** How long controllers wait for their caches before failing; default 2 min. */
        public Builder cacheSyncTimeout(Duration timeout) {
            this.cacheSyncTimeout = positive(timeout, "cacheSyncTimeout");
            return this;
        }

        /** How long shutdown lets in-flight reconciles finish; default 30 s. */
        public Builder gracefulShutdownTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative()) {
                throw new IllegalArgumentException("gracefulShutdownTimeout must be zero or positive, got " + timeout);
            }
            this.gracefulShutdownTimeout = timeout;
            return this;
        }

        /** Serve /healthz, /readyz and /metrics on all interfaces at this port (0 for any free one). */
        public Builder httpPort(int port) {
            return httpAddress(new InetSocketAddress(port));
        }

        public Builder httpAddress(InetSocketAddress address) {
            this.httpAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Run controllers only while leading this Lease. */
        public Builder leaderElection(LeaderElectionConfig config) {
            this.leaderElection = Objects.requireNonNull(config, "config");
            return this;
        }

        /** What to do on losing the lease (default {@link LeadershipLossPolicy#EXIT}). */
        public Builder onLeadershipLoss(LeadershipLossPolicy policy) {
            this.lossPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The client the elector renews with (default: over HTTP, a client of its own with its own
         * connections and a 5 QPS limiter; in process, the API client, which has no limiter).
         * Never the controllers' rate-limited client: renewals would queue behind their requests.
         */
        public Builder leaderElectionClient(KubeClient client) {
            this.electionClient = Objects.requireNonNull(client, "client");
            return this;
        }

        public Manager build() {
            return new Manager(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }
    }
}
