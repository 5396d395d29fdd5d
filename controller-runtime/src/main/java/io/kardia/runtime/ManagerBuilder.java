package io.kardia.runtime;

import io.kardia.core.client.KubeClient;
import io.kardia.runtime.leader.LeaderClock;
import io.kardia.runtime.leader.LeaderElectionConfig;
import io.kardia.runtime.leader.LeadershipLossPolicy;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/** Configures a {@link Manager}: {@code Manager.builder(client)...build()}. */
public final class ManagerBuilder {
    final KubeClient client;
    boolean ownsClient;
    String namespace;
    PrometheusMeterRegistry registry;
    Duration cacheSyncTimeout = Duration.ofMinutes(2);
    Duration gracefulShutdownTimeout = Duration.ofSeconds(30);
    InetSocketAddress httpAddress;
    LeaderElectionConfig leaderElection;
    LeadershipLossPolicy lossPolicy = LeadershipLossPolicy.EXIT;
    KubeClient electionClient;
    /** Null: the manager's clock (the system's LeaderClock by default). */
    LeaderClock leaderClock;
    ManagerClock clock = ManagerClock.system();
    /** Null: each component's default source of jitter. */
    java.util.random.RandomGenerator random;
    io.kardia.informer.ReflectorOptions reflector;
    boolean warmStandby = true;
    boolean keepManagedFields;
    io.kardia.runtime.webhook.Webhooks webhooks;
    final java.util.List<Class<? extends io.kardia.core.model.KubeObject>> crds = new java.util.ArrayList<>();

    ManagerBuilder(KubeClient client) {
        this.client = Objects.requireNonNull(client, "a manager needs a KubeClient");
    }

    /** Close the API client when the manager closes (default: the caller closes it). */
    public ManagerBuilder ownsClient(boolean owns) {
        this.ownsClient = owns;
        return this;
    }

    /** Watch and cache only this namespace (default: all). */
    public ManagerBuilder namespace(String ns) {
        this.namespace = ns == null || ns.isEmpty() ? null : ns;
        return this;
    }

    /** Registry for every meter; default: a new Prometheus registry. */
    public ManagerBuilder meterRegistry(PrometheusMeterRegistry r) {
        this.registry = Objects.requireNonNull(r, "registry");
        return this;
    }

    /**
     * With leader election: whether a manager that does not lead still starts and syncs its
     * informers (default true, controller-runtime's warm replicas), so that on taking over it
     * reconciles from a warm cache at once instead of listing first. Off, a standby lists and
     * watches nothing until it leads (less load on the API server from idle replicas).
     */
    public ManagerBuilder warmStandby(boolean warm) {
        this.warmStandby = warm;
        return this;
    }

    /**
     * Keep {@code metadata.managedFields} in the manager's caches. By default they are dropped
     * before caching, as kube-controller-manager and kube-scheduler do (and as controller-runtime
     * advises with {@code TransformStripManagedFields}): a reconciler writes with apply or update
     * and never needs them, and they are about half of a cached pod's heap. An update of a cached
     * object without them leaves the stored ones as they are. Keep them only for a reconciler that
     * reads field ownership from its cache.
     */
    public ManagerBuilder keepManagedFields() {
        this.keepManagedFields = true;
        return this;
    }

    /** How long controllers wait for their caches before failing; default 2 min. */
    public ManagerBuilder cacheSyncTimeout(Duration timeout) {
        this.cacheSyncTimeout = positive(timeout, "cacheSyncTimeout");
        return this;
    }

    /** How long shutdown lets in-flight reconciles finish; default 30 s. */
    public ManagerBuilder gracefulShutdownTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("gracefulShutdownTimeout must be zero or positive, got " + timeout);
        }
        this.gracefulShutdownTimeout = timeout;
        return this;
    }

    /** Serve /healthz, /readyz and /metrics on all interfaces at this port (0 for any free one). */
    public ManagerBuilder httpPort(int port) {
        return httpAddress(new InetSocketAddress(port));
    }

    public ManagerBuilder httpAddress(InetSocketAddress address) {
        this.httpAddress = Objects.requireNonNull(address, "address");
        return this;
    }

    /**
     * Serve these admission webhooks (validators, defaulters) while the manager runs, on every
     * replica (leader or not), as controller-runtime's webhook server.
     */
    public ManagerBuilder webhooks(io.kardia.runtime.webhook.Webhooks webhooks) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
        return this;
    }

    /** Run controllers only while leading this Lease. */
    public ManagerBuilder leaderElection(LeaderElectionConfig config) {
        this.leaderElection = Objects.requireNonNull(config, "config");
        return this;
    }

    /** What to do on losing the lease (default {@link LeadershipLossPolicy#EXIT}). */
    public ManagerBuilder onLeadershipLoss(LeadershipLossPolicy policy) {
        this.lossPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * The client the elector renews with (default: over HTTP, a client of its own with its own
     * connections and a 5 QPS limiter; in process, the API client, which has no limiter).
     * Never the controllers' rate-limited client: renewals would queue behind their requests.
     */
    public ManagerBuilder leaderElectionClient(KubeClient client) {
        this.electionClient = Objects.requireNonNull(client, "client");
        return this;
    }

    /** The elector's clock (default: the system's); tests inject one to simulate a paused process. */
    public ManagerBuilder leaderElectionClock(LeaderClock clock) {
        this.leaderClock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * The time source of everything the manager builds (queues, rate limiters, informers, fences,
     * events, leader election unless {@link #leaderElectionClock} is set, controllers that read
     * {@link Manager#clock()}); default the system's. The simulation test kit sets a virtual one.
     */
    public ManagerBuilder clock(ManagerClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Where jitter comes from (informers' watch timeouts and back-off, leader election's retry
     * period); default each component's own. A seeded one makes a simulated run repeatable.
     */
    public ManagerBuilder random(java.util.random.RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /** List/watch tuning of the manager's informers (default {@link io.kardia.informer.ReflectorOptions#defaults()} on the manager's clock). */
    public ManagerBuilder reflectorOptions(io.kardia.informer.ReflectorOptions options) {
        this.reflector = Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * Apply these {@link io.kardia.core.crd.Kind}s' generated CRDs and wait until they are
     * Established when the manager starts, before any informer lists them
     * ({@link io.kardia.runtime.crd.Crds#ensureInstalled}). Off by default: in production the CRDs
     * are usually installed with the deploy manifests, and the operator may lack the permission.
     */
    @SafeVarargs
    public final ManagerBuilder installCrds(Class<? extends io.kardia.core.model.KubeObject>... kinds) {
        crds.addAll(java.util.List.of(kinds));
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
