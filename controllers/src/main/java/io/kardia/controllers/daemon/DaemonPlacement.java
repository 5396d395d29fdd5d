package io.kardia.controllers.daemon;

import io.kardia.core.model.Node;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.Taint;
import io.kardia.core.model.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which nodes a DaemonSet's pod belongs on, as kube's {@code NodeShouldRunDaemonPod}: the
 * template's {@code nodeName} (if set), {@code nodeSelector} and required node affinity must match
 * the node, and every NoSchedule/NoExecute taint must be tolerated — counting the tolerations kube
 * adds to every daemon pod ({@link #withDaemonTolerations}). A pod already there may stay while the
 * node has no untolerated NoExecute taint.
 */
final class DaemonPlacement {
    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
    static final String MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
    static final String PID_PRESSURE = "node.kubernetes.io/pid-pressure";
    static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
    static final String NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";

    /** Whether a new daemon pod should go on the node, and whether one already there should stay. */
    record Decision(boolean shouldRun, boolean shouldContinueRunning) {
    }

    private DaemonPlacement() {
    }

    /**
     * {@code AddOrUpdateDaemonPodTolerations}: not-ready and unreachable (NoExecute, no time limit),
     * disk, memory and pid pressure and unschedulable (NoSchedule), network-unavailable for
     * host-network pods; tolerations the template has for the same key and effect are replaced.
     */
    static List<Toleration> withDaemonTolerations(PodSpec spec) {
        List<Toleration> out = new ArrayList<>(spec.tolerations());
        add(out, NOT_READY, Taint.NO_EXECUTE);
        add(out, UNREACHABLE, Taint.NO_EXECUTE);
        add(out, DISK_PRESSURE, Taint.NO_SCHEDULE);
        add(out, MEMORY_PRESSURE, Taint.NO_SCHEDULE);
        add(out, PID_PRESSURE, Taint.NO_SCHEDULE);
        add(out, UNSCHEDULABLE, Taint.NO_SCHEDULE);
        if (Boolean.TRUE.equals(spec.hostNetwork())) {
            add(out, NETWORK_UNAVAILABLE, Taint.NO_SCHEDULE);
        }
        return out;
    }

    private static void add(List<Toleration> tolerations, String key, String effect) {
        tolerations.removeIf(t -> key.equals(t.key()) && effect.equals(t.effect()));
        tolerations.add(new Toleration(key, "Exists", null, effect, null, Map.of()));
    }

    static Decision decide(PodSpec template, Node node) {
        String name = node.metadata().name();
        if (template.nodeName() != null && !template.nodeName().isEmpty() && !template.nodeName().equals(name)) {
            return new Decision(false, false);
        }
        if (!NodeAffinity.matches(template, node)) {
            return new Decision(false, false);
        }
        List<Toleration> tolerations = withDaemonTolerations(template);
        List<Taint> taints = node.spec() == null ? List.of() : node.spec().taints();
        boolean untoleratedSchedule = false;
        boolean untoleratedExecute = false;
        for (Taint t : taints) {
            boolean tolerated = tolerations.stream().anyMatch(tol -> tol.tolerates(t));
            if (tolerated) {
                continue;
            }
            if (Taint.NO_EXECUTE.equals(t.effect())) {
                untoleratedExecute = true;
            } else if (Taint.NO_SCHEDULE.equals(t.effect())) {
                untoleratedSchedule = true;
            }
        }
        if (untoleratedExecute) {
            return new Decision(false, false);
        }
        return new Decision(!untoleratedSchedule, true);
    }
}
