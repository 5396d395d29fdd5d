package io.kardia.runtime.simulation;

import java.time.Duration;

/**
 * Which faults a simulation injects, each on its own and each drawn from the seed. Rates are
 * probabilities per call (writes) or per watch event; zero turns a fault off.
 *
 * @param writeConflicts   a write fails with 409 Conflict before it reaches the store
 * @param writeErrors      a write fails with a transient 500/503; half of them after the store
 *                         applied it (the answer was lost: the caller cannot know it succeeded)
 * @param watchDisconnects a watch stream ends before an event (the informer resumes from its last revision)
 * @param watchGone        a watch answers 410 Gone instead of an event (the informer relists)
 * @param maxEventDelay    each watch event is held back up to this long in virtual time (zero: none),
 *                         so the events of different informers arrive in varied orders and batches
 * @param crashes          after a step, the chance that a manager crashes and restarts (fresh
 *                         caches and queues, same store)
 * @param storeRestarts    after a step, the chance that the store restarts from its journal: down
 *                         for up to {@link #MAX_STORE_DOWNTIME} (calls answer 503, watches end),
 *                         then back with every acknowledged write
 */
public record Faults(double writeConflicts, double writeErrors, double watchDisconnects, double watchGone,
                     Duration maxEventDelay, double crashes, double storeRestarts) {
    /** The longest a store restart injected as a fault keeps the store down (virtual time). */
    public static final Duration MAX_STORE_DOWNTIME = Duration.ofSeconds(10);

    public Faults {
        check(writeConflicts, "writeConflicts");
        check(writeErrors, "writeErrors");
        check(watchDisconnects, "watchDisconnects");
        check(watchGone, "watchGone");
        check(crashes, "crashes");
        check(storeRestarts, "storeRestarts");
        maxEventDelay = maxEventDelay == null ? Duration.ZERO : maxEventDelay;
        if (maxEventDelay.isNegative()) {
            throw new IllegalArgumentException("maxEventDelay must not be negative, got " + maxEventDelay);
        }
    }

    private static void check(double rate, String what) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(what + " is a probability between 0 and 1, got " + rate);
        }
    }

    /** No faults: only the orderings of the seed. */
    public static Faults none() {
        return new Faults(0, 0, 0, 0, Duration.ZERO, 0, 0);
    }

    /**
     * Every fault at a rate that still lets controllers make progress: 5% conflicts, 3% 5xx, 1%
     * disconnects, 0.5% 410 Gone per event, events delayed up to 2 s, a crash every ~3000 steps,
     * a store restart every ~10000 steps.
     */
    public static Faults all() {
        return new Faults(0.05, 0.03, 0.01, 0.005, Duration.ofSeconds(2), 0.0003, 0.0001);
    }

    public Faults withWriteConflicts(double rate) {
        return new Faults(rate, writeErrors, watchDisconnects, watchGone, maxEventDelay, crashes, storeRestarts);
    }

    public Faults withWriteErrors(double rate) {
        return new Faults(writeConflicts, rate, watchDisconnects, watchGone, maxEventDelay, crashes, storeRestarts);
    }

    public Faults withWatchDisconnects(double rate) {
        return new Faults(writeConflicts, writeErrors, rate, watchGone, maxEventDelay, crashes, storeRestarts);
    }

    public Faults withWatchGone(double rate) {
        return new Faults(writeConflicts, writeErrors, watchDisconnects, rate, maxEventDelay, crashes, storeRestarts);
    }

    public Faults withMaxEventDelay(Duration delay) {
        return new Faults(writeConflicts, writeErrors, watchDisconnects, watchGone, delay, crashes, storeRestarts);
    }

    public Faults withCrashes(double rate) {
        return new Faults(writeConflicts, writeErrors, watchDisconnects, watchGone, maxEventDelay, rate, storeRestarts);
    }

    public Faults withStoreRestarts(double rate) {
        return new Faults(writeConflicts, writeErrors, watchDisconnects, watchGone, maxEventDelay, crashes, rate);
    }

    boolean any() {
        return writeConflicts > 0 || writeErrors > 0 || watchDisconnects > 0 || watchGone > 0
                || !maxEventDelay.isZero() || crashes > 0 || storeRestarts > 0;
    }
}
