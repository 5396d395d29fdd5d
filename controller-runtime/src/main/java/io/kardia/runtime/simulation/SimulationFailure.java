package io.kardia.runtime.simulation;

/**
 * A simulation found a problem: an invariant broke, a property did not come true within its
 * budget, a simulated thread slept or blocked on real I/O, or the run deadlocked. The message
 * names the seed, the last steps of the trace and how to replay the run.
 */
public final class SimulationFailure extends AssertionError {
    private final long seed;

    SimulationFailure(long seed, String message) {
        super(message);
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }
}
