package io.kardia.store.merge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An apply that would take fields other managers own, without {@code force}. */
public final class ApplyConflictException extends RuntimeException {
    private final List<Conflict> conflicts;

    public ApplyConflictException(List<Conflict> conflicts) {
        super(message(conflicts));
        this.conflicts = List.copyOf(conflicts);
    }

    public List<Conflict> conflicts() {
        return conflicts;
    }

    /**
     * kube-apiserver's wording: {@code Apply failed with 1 conflict: conflict with "mgr" using apps/v1: .spec.replicas},
     * or for several, the paths grouped by manager (managers sorted).
     */
    static String message(List<Conflict> conflicts) {
        if (conflicts.size() == 1) {
            Conflict c = conflicts.get(0);
            return "Apply failed with 1 conflict: conflict with " + c.describeOwner() + ": " + c.field();
        }
        Map<String, List<String>> byManager = new LinkedHashMap<>();
        List<Conflict> sorted = new ArrayList<>(conflicts);
        sorted.sort(Comparator.comparing(Conflict::describeOwner));
        for (Conflict c : sorted) {
            byManager.computeIfAbsent(c.describeOwner(), k -> new ArrayList<>()).add(c.field());
        }
        List<String> lines = new ArrayList<>();
        byManager.forEach((m, paths) -> {
            lines.add("conflicts with " + m + ":");
            paths.forEach(p -> lines.add("- " + p));
        });
        return "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
    }
}
