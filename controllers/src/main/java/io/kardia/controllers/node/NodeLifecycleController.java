package io.kardia.controllers.node;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Lease;
import io.kardia.core.model.Node;
import io.kardia.core.model.NodeSpec;
import io.kardia.core.model.NodeStatus;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodStatus;
import io.kardia.core.model.Taint;
import io.kardia.core.model.Toleration;
import io.kardia.informer.Indexers;
import io.kardia.informer.Lister;
import io.kardia.informer.SharedInformer;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.runtime.TypedReconciler;
import io.kardia.runtime.event.EventRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's node lifecycle controller. Heartbeats are a node's Lease in
 * {@code kube-node-lease} and its Ready condition's {@code lastHeartbeatTime}; the time a heartbeat
 * was <em>seen to change</em> is taken from this process's clock (no trust in other clocks).
 * After the grace period without one the node's Ready becomes Unknown, it gets the
 * {@code node.kubernetes.io/unreachable} NoSchedule taint, its pods are marked not Ready and —
 * at a per-zone rate, never in a fully disrupted zone — the NoExecute taint, after which pods that
 * do not tolerate it are evicted when their tolerationSeconds run out. A node that reports Ready
 * again loses the taints.
 */
public final class NodeLifecycleController implements TypedReconciler<Node> {
    private static final Logger log = LoggerFactory.getLogger(NodeLifecycleController.class);

    public static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";
    public static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";
    public static final String LEASE_NAMESPACE = "kube-node-lease";
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    private static final String PODS_BY_NODE = "nodelifecycle.byNodeName";

    /** What was last seen of a node's heartbeats, and when (on this process's monotonic clock). */
    private record Health(Instant leaseRenew, Instant readyHeartbeat, long seenNanos) {
    }

    private final NodeLifecycleOptions options;
    private final ResourceClient<Node> nodes;
    private final ResourceClient<Pod> pods;
    private final Lister<Lease> leases;
    private final Lister<Node> nodeLister;
    private final SharedInformer<Pod> podInformer;
    private final EventRecorder events;
    /** The manager's clock: the system's, or a simulation's virtual one. */
    private final io.kardia.runtime.ManagerClock clock;
    private final ZoneRateLimiter limiter;
    private final Map<String, Health> health = new ConcurrentHashMap<>();

    private NodeLifecycleController(Manager manager, NodeLifecycleOptions options) {
        this.options = options;
        this.clock = manager.clock();
        this.limiter = new ZoneRateLimiter(clock::nanoTime);
        this.nodes = manager.apiClient().resources(Node.class);
        this.pods = manager.apiClient().resources(Pod.class);
        this.leases = manager.informers().informerFor(Lease.class).lister();
        this.nodeLister = manager.informers().informerFor(Node.class).lister();
        this.podInformer = manager.informers().informerFor(Pod.class);
        this.podInformer.addIndex(PODS_BY_NODE, Indexers.podsByNodeName());
        this.events = manager.eventRecorder("node-controller");
    }

    public static NodeLifecycleController register(Manager manager, NodeLifecycleOptions options) {
        NodeLifecycleController c = new NodeLifecycleController(manager, options);
        manager.newController()
                .forKind(Node.class)
                .named("node-lifecycle")
                .watches(Lease.class, lease -> LEASE_NAMESPACE.equals(lease.metadata().namespace())
                        ? List.of(new Request(null, lease.metadata().name())) : List.of())
                .watches(Pod.class, pod -> pod.spec() != null && pod.spec().nodeName() != null
                        && !pod.spec().nodeName().isEmpty() && c.isTainted(pod.spec().nodeName())
                        ? List.of(new Request(null, pod.spec().nodeName())) : List.of())
                .maxConcurrentReconciles(2)
                .complete(c);
        return c;
    }

    private boolean isTainted(String node) {
        return nodeLister.get(node).map(n -> noExecuteTaint(n) != null).orElse(false);
    }

    @Override
    public Result reconcileAbsent(Request request) {
        health.remove(request.name());
        return Result.done();
    }

    @Override
    public Result reconcile(Node node) {
        String name = node.metadata().name();
        long now = clock.nanoTime();
        Health h = observe(node, now);
        Duration silent = Duration.ofNanos(now - h.seenNanos());
        Condition ready = readyCondition(node);
        String readyStatus = ready == null ? Condition.UNKNOWN : ready.status();

        if (silent.compareTo(options.gracePeriod()) > 0 && !Condition.UNKNOWN.equals(readyStatus)) {
            markUnknown(node, ready);
            return Result.requeue(); // look again at the written state
        }
        if (ready == null && silent.compareTo(options.gracePeriod()) <= 0) {
            // Registered but not yet reporting: give it the grace period.
            return Result.requeueAfter(options.gracePeriod().minus(silent).plusMillis(50));
        }
        String taintKey = switch (readyStatus) {
            case Condition.TRUE -> null;
            case Condition.FALSE -> NOT_READY_TAINT;
            default -> UNREACHABLE_TAINT;
        };
        if (taintKey == null) {
            if (hasTaint(node, UNREACHABLE_TAINT) || hasTaint(node, NOT_READY_TAINT)) {
                writeTaints(node, withoutNodeHealthTaints(node));
                log.info("node {} is Ready again: taints removed", name);
                events.normal(node, "NodeReady", "Node " + name + " status is now: NodeReady");
            }
            return Result.requeueAfter(options.gracePeriod().minus(silent).plusMillis(50));
        }
        markPodsNotReady(name);
        ZoneCount zone = zoneCount(node);
        ZoneState state = ZoneState.of(zone.ready, zone.notReady, options.unhealthyZoneThreshold());
        List<Taint> wanted = withoutNodeHealthTaints(node);
        Taint noSchedule = existingOr(node, taintKey, Taint.NO_SCHEDULE);
        wanted.add(noSchedule);
        Taint noExecute = existing(node, taintKey, Taint.NO_EXECUTE);
        Duration next = options.monitorPeriod();
        if (noExecute == null && state != ZoneState.FULL_DISRUPTION) {
            long wait = limiter.tryAcquire(zone.name, state.evictionRate(options, zone.ready + zone.notReady));
            if (wait == 0) {
                noExecute = Taint.of(taintKey, null, Taint.NO_EXECUTE).withTimeAdded(clock.wallClock().instant());
                log.info("node {} is {}: tainted {}:NoExecute; its pods will be evicted", name, readyStatus, taintKey);
            } else if (wait < next.toNanos()) {
                next = Duration.ofNanos(wait);
            }
        }
        if (noExecute != null) {
            wanted.add(noExecute);
        }
        if (!sameTaints(node, wanted)) {
            writeTaints(node, wanted);
            return Result.requeue();
        }
        if (noExecute != null) {
            if (state == ZoneState.FULL_DISRUPTION) {
                log.debug("zone {} is fully disrupted: no evictions from {}", zone.name, name);
            } else {
                Duration untilNext = evictPods(node, noExecute);
                if (untilNext != null && untilNext.compareTo(next) < 0) {
                    next = untilNext;
                }
            }
        }
        return Result.requeueAfter(next);
    }

    // ------------------------------------------------------------------ heartbeats

    private Health observe(Node node, long now) {
        String name = node.metadata().name();
        Instant renew = leases.get(LEASE_NAMESPACE + "/" + name)
                .map(l -> l.spec() == null ? null : l.spec().renewTime()).orElse(null);
        Condition ready = readyCondition(node);
        Instant heartbeat = ready == null ? null : ready.lastHeartbeatTime();
        return health.compute(name, (k, old) -> {
            if (old == null || !Objects.equals(old.leaseRenew(), renew) || !Objects.equals(old.readyHeartbeat(), heartbeat)) {
                return new Health(renew, heartbeat, old == null || changed(old, renew, heartbeat) ? now : old.seenNanos());
            }
            return old;
        });
    }

    /** A heartbeat moved forward (a lease renewed, a condition rewritten), not merely appeared. */
    private static boolean changed(Health old, Instant renew, Instant heartbeat) {
        return newer(renew, old.leaseRenew()) || newer(heartbeat, old.readyHeartbeat());
    }

    private static boolean newer(Instant now, Instant before) {
        return now != null && (before == null || now.isAfter(before));
    }

    private static Condition readyCondition(Node node) {
        return node.status() == null ? null : Condition.find(node.status().conditions(), "Ready").orElse(null);
    }

    private void markUnknown(Node node, Condition ready) {
        Instant now = clock.wallClock().instant();
        Condition unknown = new Condition("Ready", Condition.UNKNOWN, null,
                ready == null ? null : ready.lastHeartbeatTime(), null, null, null,
                "NodeStatusUnknown", "Kubelet stopped posting node status.", null);
        NodeStatus status = node.status() == null ? NodeStatus.of(Map.of(), Map.of()) : node.status();
        try {
            nodes.updateStatus(node.withStatus(status.withCondition(unknown, now)));
            log.info("node {}: no heartbeat for more than {}; Ready is Unknown", node.metadata().name(), options.gracePeriod());
            events.normal(node, "NodeNotReady", "Node " + node.metadata().name() + " status is now: NodeNotReady");
        } catch (KubeApiException.ConflictException e) {
            log.debug("node {} changed while marking it Unknown", node.metadata().name());
        }
    }

    private void markPodsNotReady(String node) {
        for (Pod pod : podInformer.indexer().byIndex(PODS_BY_NODE, node)) {
            if (!pod.ready() || pod.metadata().deletionTimestamp() != null) {
                continue;
            }
            Instant now = clock.wallClock().instant();
            PodStatus status = pod.status().withCondition(
                    Condition.of("Ready", Condition.FALSE, "NodeNotReady", "node " + node + " is not ready", null), now);
            try {
                pods.updateStatus(pod.withStatus(status));
            } catch (KubeApiException.ConflictException | KubeApiException.NotFoundException e) {
                log.debug("pod {} changed while marking it not ready", pod.key());
            }
        }
    }

    // ------------------------------------------------------------------ zones

    private record ZoneCount(String name, int ready, int notReady) {
    }

    private ZoneCount zoneCount(Node node) {
        String zone = zoneOf(node);
        int ready = 0;
        int notReady = 0;
        for (Node n : nodeLister.list()) {
            if (!zone.equals(zoneOf(n))) {
                continue;
            }
            if (n.ready()) {
                ready++;
            } else {
                notReady++;
            }
        }
        return new ZoneCount(zone, ready, notReady);
    }

    private static String zoneOf(Node node) {
        return node.metadata().labels().getOrDefault(ZONE_LABEL, "");
    }

    // ------------------------------------------------------------------ taints

    private static List<Taint> taints(Node node) {
        return node.spec() == null ? List.of() : node.spec().taints();
    }

    private static Taint existing(Node node, String key, String effect) {
        for (Taint t : taints(node)) {
            if (key.equals(t.key()) && effect.equals(t.effect())) {
                return t;
            }
        }
        return null;
    }

    private Taint existingOr(Node node, String key, String effect) {
        Taint t = existing(node, key, effect);
        return t != null ? t : Taint.of(key, null, effect).withTimeAdded(clock.wallClock().instant());
    }

    private static boolean hasTaint(Node node, String key) {
        return taints(node).stream().anyMatch(t -> key.equals(t.key()));
    }

    private static Taint noExecuteTaint(Node node) {
        for (Taint t : taints(node)) {
            if (Taint.NO_EXECUTE.equals(t.effect()) && (UNREACHABLE_TAINT.equals(t.key()) || NOT_READY_TAINT.equals(t.key()))) {
                return t;
            }
        }
        return null;
    }

    private static List<Taint> withoutNodeHealthTaints(Node node) {
        List<Taint> out = new ArrayList<>();
        for (Taint t : taints(node)) {
            if (!UNREACHABLE_TAINT.equals(t.key()) && !NOT_READY_TAINT.equals(t.key())) {
                out.add(t);
            }
        }
        return out;
    }

    private static boolean sameTaints(Node node, List<Taint> wanted) {
        return taints(node).size() == wanted.size() && taints(node).containsAll(wanted);
    }

    private void writeTaints(Node node, List<Taint> wanted) {
        NodeSpec spec = node.spec() == null ? NodeSpec.empty() : node.spec();
        try {
            nodes.update(node.withSpec(spec.withTaints(wanted)));
        } catch (KubeApiException.ConflictException e) {
            log.debug("node {} changed while writing its taints", node.metadata().name());
        }
    }

    // ------------------------------------------------------------------ evictions

    /** Deletes the pods whose time on the tainted node is up; returns the time until the next one, or null. */
    private Duration evictPods(Node node, Taint taint) {
        Instant now = clock.wallClock().instant();
        Instant added = taint.timeAdded() == null ? now : taint.timeAdded();
        Duration next = null;
        for (Pod pod : podInformer.indexer().byIndex(PODS_BY_NODE, node.metadata().name())) {
            if (pod.metadata().deletionTimestamp() != null) {
                continue;
            }
            Duration tolerated = toleration(pod, taint);
            if (tolerated == null) {
                continue; // tolerates the taint forever
            }
            Instant due = added.plus(tolerated);
            if (!due.isAfter(now)) {
                evict(pod, node, taint);
            } else {
                Duration wait = Duration.between(now, due);
                next = next == null || wait.compareTo(next) < 0 ? wait : next;
            }
        }
        return next;
    }

    /**
     * How long {@code pod} stays on a node with {@code taint}: its own toleration's seconds (null =
     * forever), else the configured default (what Kubernetes' DefaultTolerationSeconds admission adds).
     */
    Duration toleration(Pod pod, Taint taint) {
        boolean any = false;
        Long shortest = null;
        for (Toleration t : pod.spec().tolerations()) {
            if (!t.tolerates(taint)) {
                continue;
            }
            if (t.tolerationSeconds() == null) {
                return null;
            }
            any = true;
            shortest = shortest == null ? t.tolerationSeconds() : Math.min(shortest, t.tolerationSeconds());
        }
        return any ? Duration.ofSeconds(Math.max(0, shortest)) : options.defaultTolerationSeconds();
    }

    private void evict(Pod pod, Node node, Taint taint) {
        try {
            pods.delete(pod.metadata().namespace(), pod.metadata().name(),
                    DeleteOptions.DEFAULT.withPreconditions(pod.metadata().uid(), null));
            log.info("evicted pod {} from node {} ({}:NoExecute)", pod.key(), node.metadata().name(), taint.key());
            events.normal(pod, "TaintManagerEviction", "Marking for deletion Pod " + pod.key());
        } catch (KubeApiException.NotFoundException | KubeApiException.ConflictException e) {
            log.debug("pod {} already gone or replaced", pod.key());
        }
    }
}
