package io.kardia.controllers.node;

/** A zone's health, as kube-controller-manager's node lifecycle controller classifies it. */
public enum ZoneState {
    NORMAL, PARTIAL_DISRUPTION, FULL_DISRUPTION;

    /** Every node down: full; more than 2 and at least {@code threshold} of them down: partial. */
    public static ZoneState of(int ready, int notReady, double threshold) {
        if (ready == 0 && notReady > 0) {
            return FULL_DISRUPTION;
        }
        if (notReady > 2 && (double) notReady / (ready + notReady) >= threshold) {
            return PARTIAL_DISRUPTION;
        }
        return NORMAL;
    }

    /** Nodes per second that may start evicting in a zone of {@code size} nodes in this state. */
    public double evictionRate(NodeLifecycleOptions o, int size) {
        return switch (this) {
            case NORMAL -> o.evictionRate();
            case PARTIAL_DISRUPTION -> size > o.largeClusterThreshold() ? o.secondaryEvictionRate() : 0;
            // A whole zone down looks like the control plane lost it, not like dead nodes: keep its pods.
            case FULL_DISRUPTION -> 0;
        };
    }
}
