package io.kardia.controllers.job;

import io.kardia.core.model.Pod;
import java.util.BitSet;

/**
 * Indexed Jobs: each pod carries its completion index ({@value #ANNOTATION} annotation and label);
 * {@code status.completedIndexes} lists the succeeded ones as intervals ({@code "1,3-5,7"}).
 */
final class CompletionIndexes {
    static final String ANNOTATION = "batch.kubernetes.io/job-completion-index";
    static final String LABEL = ANNOTATION;
    static final String ENV = "JOB_COMPLETION_INDEX";

    private CompletionIndexes() {
    }

    /** The pod's completion index, or -1 if it has none (or not a valid one). */
    static int of(Pod pod) {
        String v = pod.metadata().annotations().get(ANNOTATION);
        if (v == null) {
            v = pod.metadata().labels().get(LABEL);
        }
        if (v == null || v.isEmpty() || v.length() > 9 || !v.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(v);
    }

    /** Parses {@code "1,3-5"}; indexes at or above {@code completions} (or unreadable parts) are dropped. */
    static BitSet parse(String intervals, int completions) {
        BitSet out = new BitSet();
        if (intervals == null || intervals.isBlank()) {
            return out;
        }
        for (String part : intervals.split(",")) {
            String[] range = part.trim().split("-");
            try {
                int from = Integer.parseInt(range[0].trim());
                int to = range.length > 1 ? Integer.parseInt(range[1].trim()) : from;
                if (from >= 0 && from <= to) {
                    out.set(from, Math.min(to, completions - 1) + 1);
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                // an unreadable part is ignored, as kube-controller-manager does
            }
        }
        return out;
    }

    /** {@code "1,3-5,7"}. */
    static String format(BitSet indexes) {
        StringBuilder sb = new StringBuilder();
        int i = indexes.nextSetBit(0);
        while (i >= 0) {
            int end = indexes.nextClearBit(i) - 1;
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(i);
            if (end > i) {
                sb.append('-').append(end);
            }
            i = indexes.nextSetBit(end + 1);
        }
        return sb.toString();
    }
}
