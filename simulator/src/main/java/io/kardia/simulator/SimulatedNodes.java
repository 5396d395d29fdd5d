package io.kardia.simulator;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Lease;
import io.kardia.core.model.LeaseSpec;
import io.kardia.core.model.Node;
import io.kardia.core.model.NodeAddress;
import io.kardia.core.model.NodeSpec;
import io.kardia.core.model.NodeStatus;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.Quantity;
import io.kardia.informer.Indexers;
import io.kardia.informer.ResourceEventHandler;
import io.kardia.informer.SharedInformer;
import io.kardia.informer.SharedInformerFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of simulated nodes (a kubelet stand-in, like KWOK) sharing one pod informer indexed by
 * node name, so hundreds of nodes cost one watch. Each running node registers its Node, renews
 * its Lease in {@code kube-node-lease}, runs the pods bound to it (Running after the startup delay,
 * then as their annotations say: see {@link SimulatedPodBehavior} and {@link PodLifecycle}; by
 * default Ready until deleted, a Job's pods complete after a short run) and finishes the deletion
 * of its terminating pods. Pods live by a {@link SimulationClock}, which tests can drive.
 *
 * <p>A node is stopped (no heartbeats, no pod updates: a crashed or partitioned kubelet) by
 * {@link #stop(String)} or, from any process, by the Node annotation
 * {@value #SIMULATE_ANNOTATION}={@value #STOPPED}; removing the annotation resumes it.
 */
public final class SimulatedNodes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimulatedNodes.class);

    /** Annotation on a Node that stops its simulated kubelet while its value is {@value #STOPPED}. */
    public static final String SIMULATE_ANNOTATION = "kardia.io/simulate";
    public static final String STOPPED = "stopped";
    public static final String LEASE_NAMESPACE = "kube-node-lease";
    public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    static final String BY_NODE = "byNodeName";

    private final KubeClient client;
    private final SimulatedNodeOptions options;
    private final Map<String, Integer> indexByName = new LinkedHashMap<>();
    private final Set<String> stoppedLocally = ConcurrentHashMap.newKeySet();
    private final Set<String> stoppedByAnnotation = ConcurrentHashMap.newKeySet();
    private final Map<String, Lease> lastLease = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastStatusReport = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> registrationFailures = new ConcurrentHashMap<>();
    private final Map<String, Instant> nextRegistration = new ConcurrentHashMap<>();
    private static final int STATUS_WRITE_ATTEMPTS = 5;
    private final Map<String, Instant> firstSeenBound = new ConcurrentHashMap<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ResourceClient<Pod> pods;
    private final ResourceClient<Node> nodes;
    private final ResourceClient<Lease> leases;
    private final SharedInformerFactory informers;
    private final SharedInformer<Pod> podInformer;
    /** The simulated kubelet's system info: the API version it speaks, and that it is simulated. */
    static final Map<String, Object> NODE_INFO = Map.of(
            "kubeletVersion", "v1.35.0-kardia-simulated",
            "kubeProxyVersion", "",
            "containerRuntimeVersion", "kardia-simulated://1",
            "kernelVersion", "simulated",
            "osImage", "Kardia simulated node",
            "operatingSystem", "linux",
            "architecture", "amd64");
    private final SharedInformer<Node> nodeInformer;
    private final ScheduledExecutorService executor;
    private final SimulationClock clock;

    public SimulatedNodes(KubeClient client, List<String> nodeNames, SimulatedNodeOptions options) {
        this(client, nodeNames, options, SimulationClock.system());
    }

    /**
     * Nodes whose pods live by {@code clock} (start, exit, restart, become ready: see
     * {@link SimulatedPodBehavior}); heartbeats stay on real time.
     */
    public SimulatedNodes(KubeClient client, List<String> nodeNames, SimulatedNodeOptions options, SimulationClock clock) {
        this.client = client;
        this.options = options;
        this.clock = clock;
        for (String n : nodeNames) {
            if (indexByName.put(n, indexByName.size()) != null) {
                throw new IllegalArgumentException("node name given twice: " + n);
            }
        }
        this.pods = client.resources(Pod.class);
        this.nodes = client.resources(Node.class);
        this.leases = client.resources(Lease.class);
        this.informers = new SharedInformerFactory(client);
        this.podInformer = informers.informerFor(Pod.class).addIndex(BY_NODE, Indexers.podsByNodeName());
        this.nodeInformer = informers.informerFor(Node.class);
        this.executor = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("sim-nodes-", 0).factory());
    }

    /** Names {@code prefix-1 .. prefix-count}. */
    public static List<String> names(String prefix, int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            out.add(prefix + "-" + i);
        }
        return out;
    }

    public List<String> nodeNames() {
        return List.copyOf(indexByName.keySet());
    }

    /** Registers the nodes, then runs them until {@link #close()}. */
    public void start() throws InterruptedException {
        for (String name : indexByName.keySet()) {
            tryRegister(name);
        }
        nodeInformer.addEventHandler(ResourceEventHandler.latestState(this::nodeChanged, node -> { }));
        podInformer.addEventHandler(ResourceEventHandler.latestState(this::podChanged,
                pod -> firstSeenBound.remove(pod.key())));
        informers.start();
        if (!informers.waitForCacheSync(Duration.ofSeconds(30))) {
            // A kubelet does not exit when the API server is away: the informers keep retrying.
            log.warn("simulated nodes: the pod and node caches have not synced yet; carrying on while they retry");
        }
        long period = options.leaseRenewInterval().toMillis();
        executor.scheduleWithFixedDelay(this::heartbeatAll, 0, period, TimeUnit.MILLISECONDS);
        log.info("{} simulated node(s) running: {}", indexByName.size(), summary());
    }

    private String summary() {
        List<String> names = nodeNames();
        return names.size() <= 5 ? String.join(", ", names) : names.get(0) + " .. " + names.get(names.size() - 1);
    }

    /** Stops a node's kubelet here (same effect as the annotation). */
    public void stop(String name) {
        requireOwn(name);
        stoppedLocally.add(name);
        log.info("simulated node {} stopped", name);
    }

    /** Resumes a node stopped by {@link #stop(String)}. */
    public void resume(String name) {
        requireOwn(name);
        if (stoppedLocally.remove(name)) {
            log.info("simulated node {} resumed", name);
            resync(name);
        }
    }

    public boolean isRunning(String name) {
        return indexByName.containsKey(name) && !stoppedLocally.contains(name) && !stoppedByAnnotation.contains(name);
    }

    private void requireOwn(String name) {
        if (!indexByName.containsKey(name)) {
            throw new IllegalArgumentException("no simulated node named '" + name + "' here; nodes: " + summary());
        }
    }

    // ------------------------------------------------------------------ node registration and heartbeats

    private void register(String name) {
        int index = indexByName.get(name);
        String zone = "zone-" + (char) ('a' + index % options.zones());
        Map<String, Quantity> capacity = Map.of(
                "cpu", Quantity.parse(options.cpu()),
                "memory", Quantity.parse(options.memory()),
                "pods", Quantity.of(options.pods()));
        Instant now = Instant.now();
        NodeStatus reported = NodeStatus.of(capacity, capacity)
                .withAddresses(List.of(NodeAddress.of("InternalIP", nodeIp(index)), NodeAddress.of("Hostname", name)))
                .withConditions(List.of(readyCondition(now)));
        // What a kubelet reports about itself (kubectl's VERSION, OS-IMAGE, ... columns).
        NodeStatus status = new NodeStatus(reported.capacity(), reported.allocatable(), reported.phase(),
                reported.conditions(), reported.addresses(), Map.of("nodeInfo", NODE_INFO));
        Node existing = nodes.find(null, name).orElse(null);
        if (existing == null) {
            ObjectMeta meta = ObjectMeta.builder().name(name)
                    .label(HOSTNAME_LABEL, name)
                    .label(ZONE_LABEL, zone)
                    .label("type", "kardia-simulated")
                    .build();
            // As a kubelet registers: the status travels with the create, so no second write can
            // meet a conflict with whoever touches the new Node first.
            try {
                Node created = nodes.create(Node.named(name).withMetadata(meta)
                        .withSpec(NodeSpec.empty().withPodCIDR("10.244." + (index % 256) + ".0/24")).withStatus(status));
                if (created.status() == null || created.status().conditions().isEmpty()) {
                    writeStatusOf(name, latest -> status); // a server that drops status on create
                }
            } catch (KubeApiException.AlreadyExistsException raced) {
                writeStatusOf(name, latest -> keptStatus(latest, status, now));
            }
        } else {
            // A restart keeps the node's spec (taints, unschedulable) and labels; only the status is ours.
            writeStatusOf(name, latest -> keptStatus(latest, status, now));
        }
        registered.add(name);
        lastStatusReport.put(name, now);
    }

    private static NodeStatus keptStatus(Node latest, NodeStatus reported, Instant now) {
        return latest.status() == null ? reported
                : reported.withConditions(Condition.set(latest.status().conditions(), readyCondition(now), now));
    }

    /**
     * Registers a node, or leaves it to the heartbeats to try again with back-off (the API server
     * may be restarting): the node agent never gives up on a node.
     */
    private void tryRegister(String name) {
        try {
            register(name);
            registrationFailures.remove(name);
        } catch (RuntimeException e) {
            int failures = registrationFailures.merge(name, 1, Integer::sum);
            Duration backOff = registrationBackOff(failures);
            nextRegistration.put(name, Instant.now().plus(backOff));
            log.warn("simulated node {} could not register ({}); retrying in {} ms", name, e.toString(),
                    backOff.toMillis());
        }
    }

    /** 200 ms doubling per failure, at most 30 s. */
    static Duration registrationBackOff(int failures) {
        long millis = 200L << Math.min(failures - 1, 10);
        return Duration.ofMillis(Math.min(millis, 30_000));
    }

    /**
     * Writes a node's status on its latest version, reading it again after a conflict (someone
     * else — a controller, a user — wrote the Node meanwhile).
     */
    private void writeStatusOf(String name, java.util.function.Function<Node, NodeStatus> fromLatest) {
        for (int attempt = 1; ; attempt++) {
            Node latest = nodes.get(null, name);
            try {
                nodes.updateStatus(latest.withStatus(fromLatest.apply(latest)));
                return;
            } catch (KubeApiException.ConflictException e) {
                if (attempt >= STATUS_WRITE_ATTEMPTS) {
                    throw e;
                }
                log.debug("status of simulated node {} met a newer version; writing it on that one", name);
            }
        }
    }

    private static Condition readyCondition(Instant now) {
        return Condition.of("Ready", Condition.TRUE, "KubeletReady", "kubelet is posting ready status", now)
                .withLastHeartbeatTime(now);
    }

    private static String nodeIp(int index) {
        return "10.0." + (index / 250) + "." + (index % 250 + 2);
    }

    private void heartbeatAll() {
        for (String name : indexByName.keySet()) {
            if (!isRunning(name)) {
                continue;
            }
            if (!registered.contains(name)) {
                if (Instant.now().isAfter(nextRegistration.getOrDefault(name, Instant.EPOCH))) {
                    tryRegister(name); // not registered yet: with back-off, the lease waits for the Node
                }
                continue;
            }
            try {
                renewLease(name);
                reportStatusIfDue(name);
            } catch (RuntimeException e) {
                log.warn("heartbeat of simulated node {} failed: {}", name, e.toString());
            }
        }
    }

    private void renewLease(String name) {
        Instant now = Instant.now();
        int seconds = (int) Math.max(1, options.leaseRenewInterval().toSeconds() * 4 + 1);
        // The Lease this node wrote last saves a read per renewal; someone else's write means a re-read.
        Lease current = lastLease.get(name);
        if (current == null) {
            current = leases.find(LEASE_NAMESPACE, name).orElse(null);
        }
        try {
            Lease written = current == null
                    ? leases.create(Lease.of(ObjectMeta.of(LEASE_NAMESPACE, name), LeaseSpec.of(name, seconds, now, now, 0)))
                    : leases.update(current.withSpec(current.spec() == null ? LeaseSpec.of(name, seconds, now, now, 0)
                            : current.spec().withRenewTime(now)));
            lastLease.put(name, written);
        } catch (KubeApiException.ConflictException | KubeApiException.NotFoundException
                 | KubeApiException.AlreadyExistsException e) {
            lastLease.remove(name); // re-read on the next renewal
        }
    }

    /** The Ready condition is rewritten when it is not True (a controller marked it) or is due for a report. */
    private void reportStatusIfDue(String name) {
        Instant now = Instant.now();
        Node cached = nodeInformer.lister().get(name).orElse(null);
        boolean readyInCache = cached != null && cached.ready();
        Instant last = lastStatusReport.getOrDefault(name, Instant.EPOCH);
        if (readyInCache && Duration.between(last, now).compareTo(options.statusReportInterval()) < 0) {
            return;
        }
        Node node = nodes.find(null, name).orElse(null);
        if (node == null) {
            register(name); // deleted by someone: a kubelet registers again
            return;
        }
        writeStatusOf(name, latest -> (latest.status() == null ? NodeStatus.of(Map.of(), Map.of()) : latest.status())
                .withCondition(readyCondition(now), now));
        lastStatusReport.put(name, now);
        if (!readyInCache) {
            resync(name); // the node was marked down: its pods were marked not ready too
        }
    }

    private void nodeChanged(Node node) {
        String name = node.metadata().name();
        if (!indexByName.containsKey(name)) {
            return;
        }
        boolean stopped = STOPPED.equals(node.metadata().annotations().get(SIMULATE_ANNOTATION));
        if (stopped && stoppedByAnnotation.add(name)) {
            log.info("simulated node {} stopped by its {} annotation", name, SIMULATE_ANNOTATION);
        } else if (!stopped && stoppedByAnnotation.remove(name)) {
            log.info("simulated node {} resumed (annotation {} removed)", name, SIMULATE_ANNOTATION);
            resync(name);
        }
    }

    // ------------------------------------------------------------------ pods

    private void resync(String node) {
        for (Pod pod : podInformer.indexer().byIndex(BY_NODE, node)) {
            podChanged(pod);
        }
    }

    private void podChanged(Pod pod) {
        String node = pod.spec() == null ? null : pod.spec().nodeName();
        if (node == null || !isRunning(node)) {
            return;
        }
        firstSeenBound.putIfAbsent(pod.key(), clock.now());
        if (pod.metadata().deletionTimestamp() != null) {
            enqueue(pod.key(), Duration.ZERO);
            return;
        }
        PodLifecycle.Step step = step(pod);
        if (step.status() != null) {
            enqueue(pod.key(), Duration.ZERO);
        } else {
            step.wakeAt().ifPresent(at -> enqueue(pod.key(), Duration.between(clock.now(), at)));
        }
    }

    private PodLifecycle.Step step(Pod pod) {
        Instant startAt = firstSeenBound.getOrDefault(pod.key(), clock.now()).plus(options.podStartupDelay());
        return PodLifecycle.step(pod, SimulatedPodBehavior.of(pod, options.jobPodRunTime()), clock.now(), startAt,
                nodeIp(indexByName.get(pod.spec().nodeName())));
    }

    /** Schedules a sync of the pod; one per pod and wake-up time (a sync that finds nothing to do is cheap). */
    private void enqueue(String key, Duration delay) {
        Duration d = delay.isNegative() ? Duration.ZERO : delay;
        String ticket = key + "@" + clock.now().plus(d).toEpochMilli();
        if (queued.add(ticket)) {
            clock.schedule(executor, () -> {
                queued.remove(ticket);
                sync(key);
            }, d);
        }
    }

    private void sync(String key) {
        Pod pod = podInformer.indexer().getByKey(key).orElse(null);
        if (pod == null || pod.spec() == null || pod.spec().nodeName() == null || !isRunning(pod.spec().nodeName())) {
            return;
        }
        try {
            if (pod.metadata().deletionTimestamp() != null) {
                finishTermination(pod);
                return;
            }
            PodLifecycle.Step step = step(pod);
            if (step.status() != null) {
                // The informer's next event for this write schedules the following step.
                pods.updateStatus(pod.withStatus(step.status()));
            } else {
                step.wakeAt().ifPresent(at -> enqueue(key, Duration.between(clock.now(), at)));
            }
        } catch (KubeApiException.ConflictException | KubeApiException.NotFoundException e) {
            // A newer version is on its way through the informer, or the pod is gone: nothing to do now.
            log.debug("pod {} changed under us: {}", key, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("simulated kubelet could not update pod {}: {}; retrying", key, e.toString());
            enqueue(key, Duration.ofSeconds(1));
        }
    }

    /** Containers "stop" at once; the pod object is then removed, as the kubelet does after termination. */
    private void finishTermination(Pod pod) {
        pods.delete(pod.metadata().namespace(), pod.metadata().name(),
                DeleteOptions.DEFAULT.withGracePeriodSeconds(0L).withPreconditions(pod.metadata().uid(), null));
        firstSeenBound.remove(pod.key());
    }

    @Override
    public void close() {
        executor.shutdownNow();
        informers.stop();
    }
}
