package io.kardia.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How simulated nodes look and behave.
 *
 * @param cpu                  capacity (= allocatable) cpu, e.g. "4"
 * @param memory               capacity (= allocatable) memory, e.g. "16Gi"
 * @param pods                 how many pods fit on a node
 * @param zones                nodes are spread round-robin over this many zones
 * @param leaseRenewInterval   how often a running node renews its Lease in kube-node-lease
 * @param statusReportInterval how often a running node rewrites its Ready condition even when unchanged
 * @param podStartupDelay      how long a bound pod stays Pending before it is Running and Ready
 * @param jobPodRunTime        how long the containers of a pod that a Job controls run (then exit 0)
 *                             unless the pod's annotations say otherwise ({@link SimulatedPodBehavior})
 */
public record SimulatedNodeOptions(String cpu, String memory, int pods, int zones, Duration leaseRenewInterval,
                                   Duration statusReportInterval, Duration podStartupDelay, Duration jobPodRunTime) {

    public SimulatedNodeOptions {
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(memory, "memory");
        if (pods < 1 || zones < 1) {
            throw new IllegalArgumentException("pods and zones must be at least 1, got pods=" + pods + " zones=" + zones);
        }
        if (leaseRenewInterval.isNegative() || leaseRenewInterval.isZero()) {
            throw new IllegalArgumentException("leaseRenewInterval must be positive, got " + leaseRenewInterval);
        }
        if (statusReportInterval.compareTo(leaseRenewInterval) < 0) {
            throw new IllegalArgumentException("statusReportInterval must be at least leaseRenewInterval");
        }
        if (podStartupDelay.isNegative()) {
            throw new IllegalArgumentException("podStartupDelay must not be negative, got " + podStartupDelay);
        }
        if (jobPodRunTime.isNegative()) {
            throw new IllegalArgumentException("jobPodRunTime must not be negative, got " + jobPodRunTime);
        }
    }

    /**
     * Demo defaults: 4 cpu, 16Gi, 110 pods, one zone, lease every 2 s, status every 20 s, pods start
     * after 0.5 s, a Job's pods run for 1 s.
     */
    public static SimulatedNodeOptions defaults() {
        return new SimulatedNodeOptions("4", "16Gi", 110, 1, Duration.ofSeconds(2), Duration.ofSeconds(20),
                Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    public SimulatedNodeOptions withTimings(Duration leaseRenew, Duration statusReport, Duration startupDelay) {
        return new SimulatedNodeOptions(cpu, memory, pods, zones, leaseRenew, statusReport, startupDelay, jobPodRunTime);
    }

    public SimulatedNodeOptions withCapacity(String newCpu, String newMemory, int newPods) {
        return new SimulatedNodeOptions(newCpu, newMemory, newPods, zones, leaseRenewInterval, statusReportInterval,
                podStartupDelay, jobPodRunTime);
    }

    public SimulatedNodeOptions withZones(int newZones) {
        return new SimulatedNodeOptions(cpu, memory, pods, newZones, leaseRenewInterval, statusReportInterval,
                podStartupDelay, jobPodRunTime);
    }

    /** How long a Job's pods run by default (see {@link SimulatedPodBehavior}). */
    public SimulatedNodeOptions withJobPodRunTime(Duration runTime) {
        return new SimulatedNodeOptions(cpu, memory, pods, zones, leaseRenewInterval, statusReportInterval,
                podStartupDelay, runTime);
    }
}
