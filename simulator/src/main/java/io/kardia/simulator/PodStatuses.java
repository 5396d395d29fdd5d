package io.kardia.simulator;

import io.kardia.core.model.Pod;

/** What the simulated kubelet reports about pods besides their lifecycle. */
final class PodStatuses {
    private PodStatuses() {
    }

    /** A stable address from the pod's uid, in 10.244.0.0/16. */
    static String podIp(Pod pod) {
        int h = pod.metadata().uid() == null ? pod.key().hashCode() : pod.metadata().uid().hashCode();
        return "10.244." + ((h >>> 8) & 0xff) + "." + (2 + Math.floorMod(h, 250));
    }
}
