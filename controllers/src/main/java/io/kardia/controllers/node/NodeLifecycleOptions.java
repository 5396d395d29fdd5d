package io.kardia.controllers.node;

import java.time.Duration;

/**
 * @param gracePeriod              a node with no heartbeat for this long is Unknown (kube: 40 s)
 * @param defaultTolerationSeconds how long a pod without a toleration for the not-ready/unreachable
 *                                 taints stays on a NoExecute-tainted node; Kubernetes' admission adds 300 s
 * @param evictionRate             nodes per second whose pods may be evicted, per zone (kube: 0.1)
 * @param secondaryEvictionRate    the rate in a partially disrupted zone of a large cluster (kube: 0.01)
 * @param largeClusterThreshold    zones with more nodes than this use the secondary rate when partially
 *                                 disrupted; smaller ones stop evicting (kube: 50)
 * @param unhealthyZoneThreshold   a zone with more than 2 nodes down and at least this fraction down is
 *                                 partially disrupted (kube: 0.55)
 * @param monitorPeriod            how often an unhealthy node is looked at again (kube: 5 s)
 */
public record NodeLifecycleOptions(Duration gracePeriod, Duration defaultTolerationSeconds, double evictionRate,
                                   double secondaryEvictionRate, int largeClusterThreshold,
                                   double unhealthyZoneThreshold, Duration monitorPeriod) {

    public NodeLifecycleOptions {
        if (gracePeriod.isNegative() || gracePeriod.isZero()) {
            throw new IllegalArgumentException("gracePeriod must be positive, got " + gracePeriod);
        }
        if (defaultTolerationSeconds.isNegative()) {
            throw new IllegalArgumentException("defaultTolerationSeconds must not be negative, got " + defaultTolerationSeconds);
        }
        if (evictionRate < 0 || secondaryEvictionRate < 0) {
            throw new IllegalArgumentException("eviction rates must not be negative");
        }
        if (monitorPeriod.isNegative() || monitorPeriod.isZero()) {
            throw new IllegalArgumentException("monitorPeriod must be positive, got " + monitorPeriod);
        }
    }

    public static NodeLifecycleOptions defaults() {
        return new NodeLifecycleOptions(Duration.ofSeconds(40), Duration.ofSeconds(300), 0.1, 0.01, 50, 0.55,
                Duration.ofSeconds(5));
    }

    public NodeLifecycleOptions withGracePeriod(Duration grace) {
        return new NodeLifecycleOptions(grace, defaultTolerationSeconds, evictionRate, secondaryEvictionRate,
                largeClusterThreshold, unhealthyZoneThreshold, monitorPeriod);
    }

    public NodeLifecycleOptions withDefaultToleration(Duration toleration) {
        return new NodeLifecycleOptions(gracePeriod, toleration, evictionRate, secondaryEvictionRate,
                largeClusterThreshold, unhealthyZoneThreshold, monitorPeriod);
    }

    public NodeLifecycleOptions withEvictionRates(double rate, double secondaryRate) {
        return new NodeLifecycleOptions(gracePeriod, defaultTolerationSeconds, rate, secondaryRate,
                largeClusterThreshold, unhealthyZoneThreshold, monitorPeriod);
    }

    public NodeLifecycleOptions withMonitorPeriod(Duration period) {
        return new NodeLifecycleOptions(gracePeriod, defaultTolerationSeconds, evictionRate, secondaryEvictionRate,
                largeClusterThreshold, unhealthyZoneThreshold, period);
    }
}
