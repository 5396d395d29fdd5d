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
    private final Deque<String> last;
    private final List<String> all;
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
            add("step " + step + " @" + time(nanos) + " " + thread.label());
        }
    }

    void advance(long nanos) {
        mix(-nanos);
        add("time -> " + time(nanos));
    }

    /** A note in the trace (a fault injected, a restart, a check), part of the fingerprint. */
    void note(String what) {
        mix(what.hashCode());
        add(what);
    }

    private void add(String line) {
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
        return all != null ? List.copyOf(all) : List.copyOf(last);
    }

    /** The last entries, one per line. */
    public String tail() {
        return String.join("\n", last);
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
