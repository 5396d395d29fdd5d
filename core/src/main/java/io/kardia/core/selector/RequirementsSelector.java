package io.kardia.core.selector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The AND of requirements, sorted by key (stable, as Kubernetes sorts them). */
record RequirementsSelector(List<Requirement> requirements) implements Selector {
    static final RequirementsSelector EMPTY = new RequirementsSelector(List.of());
    static final RequirementsSelector NOTHING = new RequirementsSelector(List.of(
            Requirement.exists("kardia.io/nothing"), Requirement.doesNotExist("kardia.io/nothing")));

    RequirementsSelector {
        List<Requirement> sorted = new ArrayList<>(requirements);
        sorted.sort(Comparator.comparing(Requirement::key));
        requirements = List.copyOf(sorted);
    }

    @Override
    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    @Override
    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
    }
}
