package io.kardia.runtime.simulation;

/**
 * A simulation found a problem: an invariant broke, a property did not come true within its
 * budget, a simulated thread slept or blocked on real I/O, or the run deadlocked. The message
 * names the seed, the last steps of the trace and how to replay the run.
 */
public final class SimulationFailure extends AssertionError {
    private final long seed;
    private final int faultsDrawn;

    SimulationFailure(long seed, int faultsDrawn, String message) {
        super(message);
        this.seed = seed;
        this.faultsDrawn = faultsDrawn;
    }

    SimulationFailure(SimulationFailure shrunk, String message) {
        super(message, shrunk);
        this.seed = shrunk.seed;
        this.faultsDrawn = shrunk.faultsDrawn;
    }

    /** Faults drawn before the failure (injected or skipped): numbers 0..n-1 may be skipped in a replay. */
    public int faultsDrawn() {
        return faultsDrawn;
    }

    public long seed() {
        return seed;
    }
}
