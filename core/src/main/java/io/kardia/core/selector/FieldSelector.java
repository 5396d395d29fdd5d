package io.kardia.core.selector;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A parsed field selector ({@code spec.nodeName=n1,status.phase!=Running}); only {@code =},
 * {@code ==} and {@code !=} exist, as in Kubernetes. In values, {@code \,}, {@code \=} and
 * {@code \\} escape the special characters (Kubernetes' {@code fields.EscapeValue}).
 * {@link #toString()} gives the canonical form (terms sorted, values escaped).
 * See {@link FieldSelectors} for the fields each kind supports and how values are read.
 */
public interface FieldSelector {

    FieldSelector EVERYTHING = FieldTerms.EMPTY;

    /** {@code fieldValue} gives an object's value for a field path ("" when absent). */
    boolean matches(Function<String, String> fieldValue);

    /** The field paths this selector reads, to check them against what a kind supports. */
    Set<String> fields();

    /** The terms, all of which must hold. */
    default List<FieldRequirement> requirements() {
        return List.of();
    }

    /** True for the selector that matches everything (a parsed one without terms). */
    default boolean isEmpty() {
        return this == EVERYTHING;
    }

    /** The value this selector requires {@code field} to equal, if it has such a term (e.g. to use an index). */
    default java.util.Optional<String> requiredValue(String field) {
        for (FieldRequirement r : requirements()) {
            if (r.field().equals(field) && r.equal()) {
                return java.util.Optional.of(r.value());
            }
        }
        return java.util.Optional.empty();
    }

    static FieldSelector of(List<FieldRequirement> requirements) {
        return requirements.isEmpty() ? EVERYTHING : new FieldTerms(requirements);
    }

    /** {@code field=value}. */
    static FieldSelector equal(String field, String value) {
        return of(List.of(new FieldRequirement(field, true, value)));
    }

    /** {@code field!=value}. */
    static FieldSelector notEqual(String field, String value) {
        return of(List.of(new FieldRequirement(field, false, value)));
    }

    /** This selector and one more term. */
    default FieldSelector and(FieldRequirement requirement) {
        List<FieldRequirement> all = new java.util.ArrayList<>(requirements());
        all.add(requirement);
        return of(all);
    }

    /**
     * Parses kube-apiserver's {@code fieldSelector} syntax; null or blank yields {@link #EVERYTHING}.
     *
     * @throws SelectorParseException naming the term that is wrong and why
     */
    static FieldSelector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        return of(FieldTerms.parseTerms(selector));
    }

    /** Escapes {@code \}, {@code ,} and {@code =} in a value for use in a selector string. */
    static String escapeValue(String value) {
        return FieldTerms.escape(value);
    }
}
