package io.kardia.runtime.leader;

/** What a manager does when it loses its leader lease. */
public enum LeadershipLossPolicy {
    /**
     * Stop every controller and stop the manager with a {@link LeadershipLostException} (the
     * process should exit non-zero and be restarted by its supervisor). The default, as
     * kube-controller-manager: a fresh process starts from a clean state.
     */
    EXIT,
    /**
     * Stop dispatching and cancel in-flight reconciles, keep the caches, campaign again; on
     * becoming leader again every controller resumes with a full resync of its caches.
     */
    CAMPAIGN_AGAIN
}
