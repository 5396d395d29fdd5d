package io.kardia.runtime.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Runs one scenario under many seeds. On the first failure it shrinks the run: it replays the
 * seed with injected faults left out, one at a time, and keeps every omission under which it
 * still fails, then throws the shrunk failure with its seed, trace and one-line replay.
 * {@code -Dkardia.simulation.seed=N} (and {@code -Dkardia.simulation.skipFaults=a,b}) runs just
 * that replay instead.
 *
 * <pre>{@code
 * Explorer.seeds(1, 200).faults(Faults.all()).run(sim -> scenario(sim));
 * }</pre>
 */
public final class Explorer {
    public static final String SEED_PROPERTY = "kardia.simulation.seed";
    public static final String SKIP_PROPERTY = "kardia.simulation.skipFaults";

    private final long first;
    private final int count;
    private Faults faults = Faults.none();
    private UnaryOperator<Simulation.Builder> configure = UnaryOperator.identity();
    private int shrinkRuns = 40;

    private Explorer(long first, int count) {
        this.first = first;
        this.count = count;
    }

    /** Seeds {@code first} .. {@code first + count - 1}. */
    public static Explorer seeds(long first, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
        return new Explorer(first, count);
    }

    public Explorer faults(Faults f) {
        this.faults = Objects.requireNonNull(f, "faults");
        return this;
    }

    /** Further settings of every run's builder (step budget...). */
    public Explorer configure(UnaryOperator<Simulation.Builder> c) {
        this.configure = Objects.requireNonNull(c, "configure");
        return this;
    }

    /** At most this many replays to shrink a failure (default 40). */
    public Explorer shrinkRuns(int runs) {
        this.shrinkRuns = Math.max(0, runs);
        return this;
    }

    /** Runs {@code scenario} under every seed; throws the first (shrunk) {@link SimulationFailure}. */
    public void run(Consumer<Simulation> scenario) {
        String replaySeed = System.getProperty(SEED_PROPERTY);
        if (replaySeed != null && !replaySeed.isBlank()) {
            Set<Integer> skip = parseSkip(System.getProperty(SKIP_PROPERTY, ""));
            SimulationFailure f = attempt(Long.parseLong(replaySeed.trim()), skip, scenario);
            if (f != null) {
                throw f;
            }
            return;
        }
        for (long seed = first; seed < first + count; seed++) {
            SimulationFailure f = attempt(seed, Set.of(), scenario);
            if (f != null) {
                throw shrink(seed, f, scenario);
            }
        }
    }

    private SimulationFailure shrink(long seed, SimulationFailure original, Consumer<Simulation> scenario) {
        Set<Integer> skip = new TreeSet<>();
        SimulationFailure last = original;
        int runs = 0;
        List<Integer> candidates = new ArrayList<>();
        for (int n = 0; n < original.faultsDrawn(); n++) {
            candidates.add(n);
        }
        for (int n : candidates) {
            if (runs++ >= shrinkRuns) {
                break;
            }
            Set<Integer> trial = new TreeSet<>(skip);
            trial.add(n);
            SimulationFailure f = attempt(seed, trial, scenario);
            if (f != null) {
                skip = trial;
                last = f;
            }
        }
        return new SimulationFailure(last, "seed " + seed + " fails (" + original.faultsDrawn() + " faults drawn; "
                + (skip.isEmpty() ? "none could be left out" : skip.size() + " left out: " + skip) + ")\n"
                + "replay: " + Simulation.replay(seed, skip) + "\n" + last.getMessage());
    }

    private SimulationFailure attempt(long seed, Set<Integer> skip, Consumer<Simulation> scenario) {
        try (Simulation sim = configure.apply(Simulation.builder(seed).faults(faults).skipFaults(skip)).build()) {
            scenario.accept(sim);
            return null;
        } catch (SimulationFailure f) {
            return f;
        }
    }

    private static Set<Integer> parseSkip(String list) {
        Set<Integer> out = new TreeSet<>();
        Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).forEach(out::add);
        return out;
    }
}
