package io.kardia.runtime;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.informer.InformerOptions;
import io.kardia.informer.SharedInformer;
import io.kardia.informer.SharedInformerFactory;
import io.kardia.runtime.event.EventRecorder;
import io.kardia.runtime.event.EventRecorderOptions;
import io.kardia.runtime.event.KubeEventRecorder;
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
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
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
    private final boolean warmStandby;
    private final CachedKubeClient cachedClient;
    private final Duration cacheSyncTimeout;
    final Duration gracefulShutdownTimeout;
    private final InetSocketAddress httpAddress;
    final LeaderElector elector;
    /** The elector's own client (own connections and rate limiter), closed with the manager; or the API client. */
    private final KubeClient electionClient;
    /** The API client with writes fenced by the lease (the API client itself without leader election). */
    private final KubeClient writeClient;
    final LeadershipLossPolicy lossPolicy;
    final DispatchGate gate;
    final List<Controller> controllers = new CopyOnWriteArrayList<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Open once {@link #start()} has installed the CRDs and started the informers (or failed). */
    private final CountDownLatch prepared = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private volatile State state = State.NEW;
    volatile Throwable failure;
    volatile boolean controllersStarted;
    private volatile ManagerHttpServer http;
    private final io.kardia.runtime.webhook.Webhooks webhooks;
    private final List<Class<? extends io.kardia.core.model.KubeObject>> crds;
    private final ManagerClock clock;

    Manager(ManagerBuilder b) {
        this.crds = List.copyOf(b.crds);
        this.apiClient = b.client;
        this.ownsClient = b.ownsClient;
        this.namespace = b.namespace;
        this.registry = b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.clock = b.clock;
        this.informers = new SharedInformerFactory(apiClient, InformerOptions.defaults().withRegistry(registry)
                .withManagedFieldsDropped(!b.keepManagedFields)
                .withReflector(reflectorOptions(b)));
        this.warmStandby = b.warmStandby;
        this.cacheSyncTimeout = b.cacheSyncTimeout;
        this.gracefulShutdownTimeout = b.gracefulShutdownTimeout;
        this.httpAddress = b.httpAddress;
        this.lossPolicy = b.lossPolicy;
        this.webhooks = b.webhooks;
        // Renewals never queue behind the controllers' requests: the elector has its own client.
        this.electionClient = b.leaderElection == null ? null
                : b.electionClient != null ? b.electionClient
                : apiClient instanceof HttpKubeClient http ? http.withOwnRateLimit(ELECTION_QPS, ELECTION_BURST) : apiClient;
        this.elector = b.leaderElection == null ? null
                : new LeaderElector(electionClient, b.leaderElection, new ManagerLeadership(this),
                        b.leaderClock != null ? b.leaderClock
                        : b.clock instanceof ManagerClock.SystemManagerClock ? io.kardia.runtime.leader.LeaderClock.system() : b.clock,
                        b.random, b.clock instanceof ManagerClock.SystemManagerClock ? null : Thread.ofVirtual().factory());
        this.writeClient = elector == null ? apiClient : new FencingKubeClient(apiClient, elector.guard());
        this.gate = elector == null ? new DispatchGate(true) : new DispatchGate(false, elector.guard());
        this.cachedClient = new CachedKubeClient(writeClient, informers, namespace, cacheSyncTimeout, clock);
        if (elector != null) {
            Gauge.builder("leader.election.master.status", elector, e -> e.isLeader() ? 1 : 0)
                    .description("1 while this process is the leader of the named lease, else 0")
                    .tag("name", b.leaderElection.name())
                    .register(registry);
        }
    }

    /** Informers on the manager's clock and jitter unless the builder set their options. */
    private static io.kardia.informer.ReflectorOptions reflectorOptions(ManagerBuilder b) {
        if (b.reflector != null) {
            return b.reflector;
        }
        io.kardia.informer.ReflectorOptions o = io.kardia.informer.ReflectorOptions.defaults();
        if (!(b.clock instanceof ManagerClock.SystemManagerClock)) {
            o = o.withNanoClock(b.clock::nanoTime);
        }
        return b.random == null ? o : o.withRandom(b.random);
    }

    /** The time source of this manager and what it builds ({@link ManagerBuilder#clock}). */
    public ManagerClock clock() {
        return clock;
    }

    /** The clock of the manager's queues: the very system QueueClock in production. */
    io.kardia.workqueue.QueueClock queueClock() {
        return clock instanceof ManagerClock.SystemManagerClock ? io.kardia.workqueue.QueueClock.system() : clock;
    }

    /** The admission webhooks this manager serves, if any ({@link ManagerBuilder#webhooks}). */
    public Optional<io.kardia.runtime.webhook.Webhooks> webhooks() {
        return Optional.ofNullable(webhooks);
    }

    public static ManagerBuilder builder(KubeClient client) {
        return new ManagerBuilder(client);
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
        EventRecorderOptions options = EventRecorderOptions.defaults(component);
        if (!(clock instanceof ManagerClock.SystemManagerClock)) {
            options = options.withClocks(clock.wallClock(), clock::nanoTime);
        }
        return new KubeEventRecorder(writeClient, options);
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
     * <p>Start-up is mostly a cold JVM's work and round trips to the API server, so what does not
     * depend on the rest runs beside it: the elector campaigns from the start (the controllers
     * still start only once the CRDs are installed and the informers started), and the endpoints
     * start on a thread of their own while this one installs CRDs and starts the informers.
     *
     * @throws io.kardia.informer.CacheSyncTimeoutException if caches did not sync in time (no leader election)
     * @throws KindNotServedException if the API server does not serve a kind an informer watches (CRD not installed)
     * @throws UncheckedIOException if the endpoints or the webhooks could not be served
     */
    public void start() throws InterruptedException {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("the manager was already started (state " + state + ")");
            }
            state = State.RUNNING;
        }
        if (elector != null) {
            elector.start(); // the lease depends on nothing below; leading, it waits for `prepared`
        }
        FutureTask<Void> endpoints = new FutureTask<>(this::startEndpoints, null);
        if (httpAddress != null || webhooks != null) {
            Thread.ofPlatform().daemon().name("manager-endpoints-start").start(endpoints);
        } else {
            endpoints.run(); // nothing to start: no thread either (a simulation schedules every thread)
        }
        try {
            for (Class<? extends io.kardia.core.model.KubeObject> kind : crds) {
                io.kardia.runtime.crd.Crds.ensureInstalled(apiClient, kind);
            }
            ServedKinds.require(apiClient, informers.informers()); // fail now, not at the cache-sync timeout
            if (elector == null || warmStandby) {
                informers.start(); // a standby's caches sync now, so that a takeover reconciles at once
            }
        } catch (RuntimeException e) {
            failure = e;
            awaitQuietly(endpoints);
            close();
            throw e;
        } finally {
            prepared.countDown();
        }
        try {
            endpoints.get();
        } catch (ExecutionException e) {
            close();
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        if (elector == null) {
            try {
                startControllers();
            } catch (RuntimeException | InterruptedException e) {
                failure = e;
                close();
                throw e;
            }
        }
    }

    /** The health/metrics endpoints and the webhooks; what failed is closed with the manager. */
    private void startEndpoints() {
        if (httpAddress != null) {
            try {
                http = new ManagerHttpServer(httpAddress, this::healthProblem, this::readinessProblem, registry::scrape);
            } catch (IOException e) {
                throw new UncheckedIOException("could not serve the manager endpoints on " + httpAddress, e);
            }
        }
        if (webhooks != null) {
            try {
                webhooks.start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not serve the admission webhooks", e);
            }
        }
    }

    /** Waits for a start that may fail: the manager closes what it started either way. */
    private static void awaitQuietly(FutureTask<?> task) throws InterruptedException {
        try {
            task.get();
        } catch (ExecutionException e) {
            log.debug("the endpoints did not start either", e.getCause());
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

    void startControllers() throws InterruptedException {
        prepared.await(); // leading early: not before start() has installed the CRDs and started the informers
        if (state != State.RUNNING) {
            return;
        }
        informers.start(); // already started unless this is a cold standby that just took over
        for (Controller c : controllers) {
            if (state != State.RUNNING) {
                return;
            }
            c.start();
        }
        controllersStarted = true;
    }

    void stopControllers(Duration drainTimeout) {
        long deadline = clock.nanoTime() + drainTimeout.toNanos();
        for (Controller c : controllers) {
            try {
                c.stop(Duration.ofNanos(Math.max(0, deadline - clock.nanoTime())));
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
        if (webhooks != null) {
            webhooks.close();
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

    boolean isRunning() {
        return state == State.RUNNING;
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
}
