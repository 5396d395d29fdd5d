package io.kardia.core.selector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A parsed label selector ({@code a=b,c!=d,e in (x,y),f notin (z),g,!h}) that matches label maps.
 * Immutable and thread-safe; {@link #toString()} is the canonical string (requirements sorted by
 * key, values sorted), which parses back to an equal selector.
 */
public interface Selector {

    /** Matches every object: the empty selector; its string is {@code ""}. */
    Selector EVERYTHING = RequirementsSelector.EMPTY;

    /**
     * Matches no object (what a null {@code LabelSelector} means in Kubernetes). Its string is an
     * unsatisfiable selector ({@code kardia.io/nothing,!kardia.io/nothing}) rather than Kubernetes'
     * {@code ""}, so sending it to a server can never select everything by mistake.
     */
    Selector NOTHING = RequirementsSelector.NOTHING;

    boolean matches(Map<String, String> labels);

    /** True for the selector that matches everything (a parsed one without requirements). */
    default boolean isEmpty() {
        return this == EVERYTHING;
    }

    /** The requirements, sorted by key; all must hold (logical AND). Empty for {@link #EVERYTHING}. */
    default List<Requirement> requirements() {
        return List.of();
    }

    /** A selector requiring all of these (in any order; stored sorted by key). */
    static Selector of(Requirement... requirements) {
        return of(Arrays.asList(requirements));
    }

    static Selector of(List<Requirement> requirements) {
        return requirements.isEmpty() ? EVERYTHING : new RequirementsSelector(requirements);
    }

    /** {@code k1=v1,k2=v2}: what {@code matchLabels} and {@code Service.spec.selector} mean. */
    static Selector equalTo(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return EVERYTHING;
        }
        List<Requirement> reqs = new ArrayList<>(labels.size());
        labels.forEach((k, v) -> reqs.add(Requirement.equal(k, v)));
        return of(reqs);
    }

    /** This selector plus one more requirement. */
    default Selector and(Requirement requirement) {
        List<Requirement> all = new ArrayList<>(requirements());
        all.add(requirement);
        return of(all);
    }

    /**
     * Parses the string syntax of kube-apiserver's {@code labelSelector} parameter; null or blank
     * yields {@link #EVERYTHING}. Keys and values are validated as label keys and values; the
     * operators are {@code =}, {@code ==}, {@code !=}, {@code in}, {@code notin}, existence
     * ({@code key}, {@code !key}), and {@code >}, {@code <} with integer values.
     *
     * @throws SelectorParseException naming the position and what was expected
     */
    static Selector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        return of(new LabelSelectorParser(selector).parse());
    }
}
