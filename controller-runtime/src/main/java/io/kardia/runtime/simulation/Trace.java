package io.kardia.runtime.simulation;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What a simulation did, step by step: which thread ran at what virtual time, when time moved,
 * which faults were injected. Keeps a fingerprint of the whole run (two runs of one seed have the
 * same) and the last steps in full, for failure reports.
 */
public final class Trace {
    private final int kept;
    /** Entries are formatted only when read: a step's line cost more than the rest of the bookkeeping of a step. */
    private final Deque<Object> last;
    private final List<Object> all;
    private long fingerprint = 0xcbf29ce484222325L;
    private long entries;

    Trace(int kept, boolean keepAll) {
        this.kept = kept;
        this.last = new ArrayDeque<>(kept);
        this.all = keepAll ? new ArrayList<>() : null;
    }

    void step(long step, long nanos, StepScheduler.SimThread thread) {
        mix(thread.id);
        mix(nanos);
        if (all != null || kept > 0) {
            add(new Step(step, nanos, thread.id, thread.name()));
        }
    }

    void advance(long nanos) {
        mix(-nanos);
        add(new Advance(nanos));
    }

    /** A step as the trace shows it, formatted when read. */
    private record Step(long step, long nanos, int id, String name) {
        @Override
        public String toString() {
            return "step " + step + " @" + time(nanos) + " " + StepScheduler.SimThread.label(name, id);
        }
    }

    /** Virtual time moving forward, formatted when read. */
    private record Advance(long nanos) {
        @Override
        public String toString() {
            return "time -> " + time(nanos);
        }
    }

    /** A note in the trace (a fault injected, a restart, a check), part of the fingerprint. */
    void note(String what) {
        mix(what.hashCode());
        add(what);
    }

    private void add(Object line) {
        entries++;
        if (all != null) {
            all.add(line);
        }
        if (kept > 0) {
            if (last.size() == kept) {
                last.removeFirst();
            }
            last.addLast(line);
        }
    }

    private void mix(long v) {
        fingerprint = (fingerprint ^ v) * 0x100000001b3L;
        fingerprint ^= fingerprint >>> 29;
    }

    /** Identifies the whole run: equal for two runs that took the same steps at the same times. */
    public long fingerprint() {
        return fingerprint;
    }

    public long entries() {
        return entries;
    }

    /** Every entry, when the simulation was built with {@code keepFullTrace(true)}; else the last ones. */
    public List<String> entriesKept() {
        return (all != null ? all : last).stream().map(Object::toString).toList();
    }

    /** The last entries, one per line. */
    public String tail() {
        return String.join("\n", last.stream().map(Object::toString).toList());
    }

    static String time(long nanos) {
        Duration d = Duration.ofNanos(nanos - StepScheduler.ORIGIN_NANOS);
        return String.format("%d.%06ds", d.toSeconds(), d.toNanosPart() / 1000);
    }

    static String stack(Thread t) {
        if (t == null) {
            return " (unknown)";
        }
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            sb.append("\n\tat ").append(e);
        }
        return sb.toString();
    }
}
