package io.kardia.controllers.workload;

import io.kardia.core.model.Pod;
import io.kardia.core.model.PodStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The order in which a ReplicaSet gives up pods, first to last: Kubernetes'
 * {@code controller.ActivePodsWithRanks} (the ReplicaSet controller's {@code getPodsToDelete}):
 * <ol>
 *   <li>unassigned before assigned;</li>
 *   <li>Pending before Unknown before Running;</li>
 *   <li>not ready before ready;</li>
 *   <li>lower {@code controller.kubernetes.io/pod-deletion-cost} first (missing or invalid: 0);</li>
 *   <li>higher rank first (rank = how many of the owner's active pods share the node: doubled-up pods go first);</li>
 *   <li>both ready: the more recently ready first (a missing time counts as most recent);</li>
 *   <li>more container restarts first;</li>
 *   <li>newer first (a missing creation time counts as newest).</li>
 * </ol>
 * Without ranks ({@link #ACTIVE_PODS}) and deletion costs it is {@code controller.ActivePods}. The
 * {@code LogarithmicScaleDown} bucketing of times is not applied: times compare exactly.
 */
public final class ActivePodsOrder implements Comparator<Pod> {

    /** {@code controller.ActivePods}: every pod has the same rank. */
    public static final ActivePodsOrder ACTIVE_PODS = new ActivePodsOrder(p -> 0);

    private static final Map<String, Integer> PHASE_ORDINAL =
            Map.of(PodStatus.PENDING, 0, PodStatus.UNKNOWN, 1, PodStatus.RUNNING, 2);

    private final ToIntFunction<Pod> rank;

    public ActivePodsOrder(ToIntFunction<Pod> rank) {
        this.rank = rank;
    }

    /** Ranked by the number of pods (of {@code related}) on each pod's node, as the ReplicaSet controller does. */
    public static ActivePodsOrder rankedByColocation(Iterable<Pod> related) {
        Map<String, Integer> perNode = new java.util.HashMap<>();
        for (Pod p : related) {
            if (Pods.isAssigned(p) && Pods.isActive(p)) {
                perNode.merge(Pods.nodeName(p), 1, Integer::sum);
            }
        }
        return new ActivePodsOrder(p -> Pods.isAssigned(p) ? perNode.getOrDefault(Pods.nodeName(p), 0) : 0);
    }

    @Override
    public int compare(Pod a, Pod b) {
        boolean aAssigned = Pods.isAssigned(a);
        boolean bAssigned = Pods.isAssigned(b);
        if (aAssigned != bAssigned) {
            return aAssigned ? 1 : -1;
        }
        int pa = PHASE_ORDINAL.getOrDefault(a.phase(), 0);
        int pb = PHASE_ORDINAL.getOrDefault(b.phase(), 0);
        if (pa != pb) {
            return Integer.compare(pa, pb);
        }
        boolean aReady = Pods.isReady(a);
        boolean bReady = Pods.isReady(b);
        if (aReady != bReady) {
            return aReady ? 1 : -1;
        }
        int ca = deletionCost(a);
        int cb = deletionCost(b);
        if (ca != cb) {
            return Integer.compare(ca, cb);
        }
        int ra = rank.applyAsInt(a);
        int rb = rank.applyAsInt(b);
        if (ra != rb) {
            return ra > rb ? -1 : 1;
        }
        if (aReady) {
            int byReady = afterOrZeroFirst(Pods.readySince(a).orElse(null), Pods.readySince(b).orElse(null));
            if (byReady != 0) {
                return byReady;
            }
        }
        int restartsA = Pods.maxContainerRestarts(a);
        int restartsB = Pods.maxContainerRestarts(b);
        if (restartsA != restartsB) {
            return restartsA > restartsB ? -1 : 1;
        }
        return afterOrZeroFirst(a.metadata().creationTimestamp(), b.metadata().creationTimestamp());
    }

    public static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

    static int deletionCost(Pod pod) {
        String v = pod.metadata().annotations().get(DELETION_COST);
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code afterOrZero}: a missing time first, then the later time first; 0 when equal. */
    private static int afterOrZeroFirst(Instant a, Instant b) {
        if (a == null && b == null) {
            return 0;
        }
        if (a == null || b == null) {
            return a == null ? -1 : 1;
        }
        return b.compareTo(a);
    }
}
