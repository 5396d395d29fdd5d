package io.kardia.runtime.leader;

/**
 * What a leader may do right now, from its own view of its lease (kept by its
 * {@link LeaderElector}, measured on the elector's monotonic clock):
 *
 * <ul>
 *   <li>{@link #mayDispatch()}: start new work. False from the moment a renewal fails until one
 *       succeeds, so work stops at the first sign of trouble, not at the deadline.
 *   <li>{@link #mayWrite()}: write to the API. False once the renew deadline since the last
 *       successful renewal has passed: after that another candidate may soon take the lease, and a
 *       write from this process could act on a world the new leader already owns (fencing).
 * </ul>
 */
public interface LeaseGuard {
    /** A guard for a process without leader election: it may always act. */
    LeaseGuard ALWAYS = new LeaseGuard() {
        @Override
        public boolean mayDispatch() {
            return true;
        }

        @Override
        public boolean mayWrite() {
            return true;
        }

        @Override
        public String why() {
            return "no leader election";
        }
    };

    boolean mayDispatch();

    boolean mayWrite();

    /** Why the guard says what it says (for errors and logs). */
    String why();
}
