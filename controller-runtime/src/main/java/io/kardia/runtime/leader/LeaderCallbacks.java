package io.kardia.runtime.leader;

/**
 * What a candidate does as leadership changes. Called on the elector's thread, in order:
 * keep them short and start long work on another thread (a blocked callback delays renewals).
 */
public interface LeaderCallbacks {

    /** This candidate now holds the lease and may act. */
    default void onStartedLeading() {
    }

    /**
     * This candidate must stop acting now: it lost the lease, could not renew it within the renew
     * deadline, or is stopping. Returns before anyone else can have acquired the lease.
     */
    default void onStoppedLeading() {
    }

    /**
     * A renewal attempt failed while leading: the lease is still ours until the renew deadline,
     * but new work should wait (see {@link LeaseGuard#mayDispatch()}).
     */
    default void onRenewalFailing() {
    }

    /** A renewal succeeded (after {@link #onRenewalFailing()}, or routinely). */
    default void onRenewed() {
    }

    /** The lease holder changed (this candidate included). */
    default void onNewLeader(String identity) {
    }
}
