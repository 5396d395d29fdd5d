package io.kardia.controllers.scheduler;

import io.kardia.core.model.Node;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodStatus;
import io.kardia.core.model.Quantity;
import io.kardia.core.model.Taint;
import io.kardia.core.model.Toleration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scheduler's in-memory picture of the cluster, fed by the node and pod informers: every
 * node with the resources its pods take, so a decision costs O(nodes), never a list call.
 * A pod the scheduler has just bound is counted at once ("assumed"), before its informer
 * notification arrives, so back-to-back decisions never overcommit a node. Thread-safe.
 */
final class ClusterView {

    /** A decision: the chosen node, or null and why no node fits. */
    record Decision(String node, String message) {
    }

    private static final class NodeInfo {
        Node node;
        // Allocatable, converted once per node change rather than once per decision (Quantity is a BigDecimal).
        long allocCpuMillis;
        long allocMemory;
        long allocPods;
        long cpuUsed;
        long memUsed;
        long scoreCpuUsed;
        long scoreMemUsed;
        int pods;
        final Map<String, Integer> byOwner = new HashMap<>();

        NodeInfo(Node node) {
            setNode(node);
        }

        void setNode(Node n) {
            node = n;
            Map<String, Quantity> alloc = n.status() == null ? Map.of() : n.status().allocatable();
            allocCpuMillis = allocatable(alloc, "cpu", 0, true);
            allocMemory = allocatable(alloc, "memory", 0, false);
            allocPods = allocatable(alloc, "pods", Long.MAX_VALUE, false);
        }

        void add(Placement p, int sign) {
            cpuUsed += sign * p.cpuMillis();
            memUsed += sign * p.memoryBytes();
            scoreCpuUsed += sign * p.scoreCpu();
            scoreMemUsed += sign * p.scoreMemory();
            pods += sign;
            if (p.owner() != null) {
                byOwner.merge(p.owner(), sign, Integer::sum);
                byOwner.remove(p.owner(), 0);
            }
        }
    }

    private final Map<String, NodeInfo> nodes = new TreeMap<>();
    private final Map<String, Placement> placements = new HashMap<>();

    synchronized void nodeChanged(Node node) {
        String name = node.metadata().name();
        NodeInfo info = nodes.get(name);
        if (info == null) {
            info = new NodeInfo(node);
            nodes.put(name, info);
            for (Placement p : placements.values()) {
                if (p.node().equals(name)) {
                    info.add(p, 1);
                }
            }
        } else {
            info.setNode(node);
        }
    }

    synchronized void nodeRemoved(Node node) {
        nodes.remove(node.metadata().name());
    }

    /** Counts a pod on its node while it is bound and not finished. */
    synchronized void podChanged(Pod pod) {
        String node = pod.spec() == null ? null : pod.spec().nodeName();
        String phase = pod.phase();
        boolean occupies = node != null && !node.isEmpty()
                && !PodStatus.SUCCEEDED.equals(phase) && !PodStatus.FAILED.equals(phase);
        if (occupies) {
            place(pod.key(), Placement.of(pod, node));
        } else {
            forget(pod.key());
        }
    }

    synchronized void podRemoved(Pod pod) {
        forget(pod.key());
    }

    synchronized void forget(String podKey) {
        Placement old = placements.remove(podKey);
        if (old != null && nodes.get(old.node()) != null) {
            nodes.get(old.node()).add(old, -1);
        }
    }

    private void place(String podKey, Placement p) {
        Placement old = placements.get(podKey);
        if (p.equals(old)) {
            return;
        }
        forget(podKey);
        placements.put(podKey, p);
        NodeInfo info = nodes.get(p.node());
        if (info != null) {
            info.add(p, 1);
        }
    }

    synchronized int nodeCount() {
        return nodes.size();
    }

    /** Filters and scores every node for {@code pod}; the winner is assumed to hold the pod from now on. */
    synchronized Decision selectAndAssume(Pod pod) {
        Placement wanted = Placement.of(pod, "");
        Map<String, Integer> failures = new TreeMap<>();
        String best = null;
        double bestScore = -1;
        int maxOwnerCount = 0;
        if (wanted.owner() != null) {
            for (NodeInfo info : nodes.values()) {
                maxOwnerCount = Math.max(maxOwnerCount, info.byOwner.getOrDefault(wanted.owner(), 0));
            }
        }
        for (NodeInfo info : nodes.values()) {
            String why = unfitReason(pod, wanted, info);
            if (why != null) {
                failures.merge(why, 1, Integer::sum);
                continue;
            }
            double score = score(wanted, info, maxOwnerCount);
            if (score > bestScore) {
                bestScore = score;
                best = info.node.metadata().name();
            }
        }
        if (best == null) {
            return new Decision(null, message(failures));
        }
        place(pod.key(), new Placement(best, wanted.cpuMillis(), wanted.memoryBytes(), wanted.scoreCpu(),
                wanted.scoreMemory(), wanted.owner()));
        return new Decision(best, null);
    }

    private String message(Map<String, Integer> failures) {
        StringBuilder sb = new StringBuilder("0/").append(nodes.size()).append(" nodes are available");
        String sep = ": ";
        for (var e : failures.entrySet()) {
            sb.append(sep).append(e.getValue()).append(' ').append(e.getKey());
            sep = ", ";
        }
        return sb.append('.').toString();
    }

    /** The first filter a node fails, worded as kube-scheduler does; null when the pod fits. */
    private static String unfitReason(Pod pod, Placement wanted, NodeInfo info) {
        Node node = info.node;
        if (node.unschedulable()) {
            return "node(s) were unschedulable";
        }
        List<Taint> taints = node.spec() == null ? List.of() : node.spec().taints();
        for (Taint t : taints) {
            if (!Taint.NO_SCHEDULE.equals(t.effect()) && !Taint.NO_EXECUTE.equals(t.effect())) {
                continue;
            }
            if (!tolerated(pod.spec().tolerations(), t)) {
                return "node(s) had untolerated taint {" + t.key() + ": " + (t.value() == null ? "" : t.value()) + "}";
            }
        }
        if (!node.ready()) {
            return "node(s) were not ready";
        }
        Map<String, String> labels = node.metadata().labels();
        for (var e : pod.spec().nodeSelector().entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return "node(s) didn't match Pod's node affinity/selector";
            }
        }
        if (info.pods + 1 > info.allocPods) {
            return "Too many pods";
        }
        if (wanted.cpuMillis() > 0 && info.cpuUsed + wanted.cpuMillis() > info.allocCpuMillis) {
            return "Insufficient cpu";
        }
        if (wanted.memoryBytes() > 0 && info.memUsed + wanted.memoryBytes() > info.allocMemory) {
            return "Insufficient memory";
        }
        return null;
    }

    private static boolean tolerated(List<Toleration> tolerations, Taint taint) {
        for (Toleration t : tolerations) {
            if (t.tolerates(taint)) {
                return true;
            }
        }
        return false;
    }

    private static long allocatable(Map<String, Quantity> alloc, String resource, long missing, boolean millis) {
        Quantity q = alloc.get(resource);
        if (q == null) {
            return missing;
        }
        return millis ? q.milliValue() : q.longValue();
    }

    /**
     * Least allocated (mean free fraction of cpu and memory after placing the pod) plus spreading:
     * a node holding fewer pods of the same owner scores higher. Both weigh 0..100.
     */
    private static double score(Placement wanted, NodeInfo info, int maxOwnerCount) {
        double cpuAlloc = Math.max(1, info.allocCpuMillis);
        double memAlloc = Math.max(1, info.allocMemory);
        double cpuFree = Math.max(0, (cpuAlloc - info.scoreCpuUsed - wanted.scoreCpu()) / cpuAlloc);
        double memFree = Math.max(0, (memAlloc - info.scoreMemUsed - wanted.scoreMemory()) / memAlloc);
        double leastAllocated = 50 * (cpuFree + memFree);
        double spread = 100;
        if (wanted.owner() != null && maxOwnerCount > 0) {
            int mine = info.byOwner.getOrDefault(wanted.owner(), 0);
            spread = 100.0 * (maxOwnerCount - mine) / maxOwnerCount;
        }
        return leastAllocated + 2 * spread;
    }
}
