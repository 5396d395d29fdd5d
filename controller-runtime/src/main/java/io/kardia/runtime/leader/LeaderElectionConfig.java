package io.kardia.runtime.leader;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Where and how candidates elect a leader: a coordination.k8s.io/v1 Lease named {@code name} in
 * {@code namespace}. Defaults, as client-go's: lease 15 s, renew deadline 10 s, retry 2 s.
 *
 * @param identity        this candidate's name in {@code spec.holderIdentity}; unique per process
 * @param leaseDuration   how long others wait after the last observed renewal before taking over
 * @param renewDeadline   how long the leader keeps retrying a failed renewal before it stops
 *                        leading; shorter than the lease, so it stops before others may take over
 * @param retryPeriod     wait between attempts to acquire or renew
 * @param releaseOnCancel whether stopping gives the lease up at once (immediate handover)
 */
public record LeaderElectionConfig(String namespace, String name, String identity, Duration leaseDuration,
                                   Duration renewDeadline, Duration retryPeriod, boolean releaseOnCancel) {

    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
    public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);

    public LeaderElectionConfig {
        requireName(namespace, "namespace");
        requireName(name, "name");
        requireName(identity, "identity");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(renewDeadline, "renewDeadline");
        Objects.requireNonNull(retryPeriod, "retryPeriod");
        if (retryPeriod.isNegative() || retryPeriod.isZero()) {
            throw new IllegalArgumentException("leader election retryPeriod must be positive, got " + retryPeriod);
        }
        if (renewDeadline.compareTo(retryPeriod) <= 0) {
            throw new IllegalArgumentException("leader election renewDeadline (" + renewDeadline
                    + ") must be longer than retryPeriod (" + retryPeriod + ")");
        }
        if (leaseDuration.compareTo(renewDeadline) <= 0) {
            throw new IllegalArgumentException("leader election leaseDuration (" + leaseDuration
                    + ") must be longer than renewDeadline (" + renewDeadline
                    + "): a leader must stop before others may take its lease");
        }
        if (leaseDuration.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("leader election leaseDuration must be whole seconds (Lease "
                    + "spec.leaseDurationSeconds), got " + leaseDuration);
        }
    }

    /** Defaults, with a random identity. */
    public static LeaderElectionConfig of(String namespace, String name) {
        return new LeaderElectionConfig(namespace, name, defaultIdentity(), DEFAULT_LEASE_DURATION,
                DEFAULT_RENEW_DEADLINE, DEFAULT_RETRY_PERIOD, true);
    }

    public LeaderElectionConfig withIdentity(String id) {
        return new LeaderElectionConfig(namespace, name, id, leaseDuration, renewDeadline, retryPeriod, releaseOnCancel);
    }

    public LeaderElectionConfig withTimings(Duration lease, Duration renew, Duration retry) {
        return new LeaderElectionConfig(namespace, name, identity, lease, renew, retry, releaseOnCancel);
    }

    public LeaderElectionConfig withReleaseOnCancel(boolean release) {
        return new LeaderElectionConfig(namespace, name, identity, leaseDuration, renewDeadline, retryPeriod, release);
    }

    /** {@code hostname_random}: unique even for several candidates in one process. */
    public static String defaultIdentity() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "unknown-host";
            }
        }
        return host + "_" + UUID.randomUUID();
    }

    private static void requireName(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("leader election needs a non-blank lease " + what);
        }
    }
}
