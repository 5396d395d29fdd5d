package io.kardia.core.selector;

import io.kardia.core.model.Validation;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One term of a label selector: a key, an operator and its values, validated as kube-apiserver
 * does ({@code labels.NewRequirement}). Values are kept sorted and de-duplicated.
 *
 * @throws SelectorParseException when the key or a value is not valid label syntax, or the number
 *                                of values does not suit the operator
 */
public record Requirement(String key, Operator operator, List<String> values) {

    public Requirement {
        if (operator == null) {
            throw new SelectorParseException("label selector requirement for key \"" + key + "\" has no operator");
        }
        List<String> keyErrors = Validation.qualifiedName(key);
        if (!keyErrors.isEmpty()) {
            throw new SelectorParseException("invalid label key \"" + key + "\": " + String.join("; ", keyErrors));
        }
        values = values == null ? List.of() : List.copyOf(new TreeSet<>(values));
        switch (operator) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    throw new SelectorParseException("key \"" + key
                            + "\": for 'in', 'notin' operators, values set can't be empty");
                }
            }
            case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
                if (values.size() != 1) {
                    throw new SelectorParseException("key \"" + key
                            + "\": exact-match compatibility requires one single value");
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    throw new SelectorParseException("key \"" + key
                            + "\": values set must be empty for exists and does not exist");
                }
            }
            case GREATER_THAN, LESS_THAN -> {
                if (values.size() != 1) {
                    throw new SelectorParseException("key \"" + key
                            + "\": for 'Gt', 'Lt' operators, exactly one value is required");
                }
                if (parseInteger(values.get(0)) == null) {
                    throw new SelectorParseException("key \"" + key + "\": for 'Gt', 'Lt' operators, the value must "
                            + "be an integer, got \"" + values.get(0) + "\"");
                }
            }
        }
        for (String v : values) {
            List<String> valueErrors = Validation.labelValue(v);
            if (!valueErrors.isEmpty()) {
                throw new SelectorParseException("invalid label value \"" + v + "\" for key \"" + key + "\": "
                        + String.join("; ", valueErrors));
            }
        }
    }

    public static Requirement equal(String key, String value) {
        return new Requirement(key, Operator.EQUALS, List.of(value));
    }

    public static Requirement notEqual(String key, String value) {
        return new Requirement(key, Operator.NOT_EQUALS, List.of(value));
    }

    public static Requirement in(String key, String... values) {
        return new Requirement(key, Operator.IN, List.of(values));
    }

    public static Requirement notIn(String key, String... values) {
        return new Requirement(key, Operator.NOT_IN, List.of(values));
    }

    public static Requirement exists(String key) {
        return new Requirement(key, Operator.EXISTS, List.of());
    }

    public static Requirement doesNotExist(String key) {
        return new Requirement(key, Operator.DOES_NOT_EXIST, List.of());
    }

    /** Kubernetes semantics: negative operators match objects that lack the label altogether. */
    public boolean matches(Map<String, String> labels) {
        String actual = labels == null ? null : labels.get(key);
        return switch (operator) {
            case EQUALS, DOUBLE_EQUALS, IN -> actual != null && values.contains(actual);
            case NOT_EQUALS, NOT_IN -> actual == null || !values.contains(actual);
            case EXISTS -> actual != null;
            case DOES_NOT_EXIST -> actual == null;
            case GREATER_THAN, LESS_THAN -> {
                Long have = actual == null ? null : parseInteger(actual);
                if (have == null) {
                    yield false;
                }
                long want = parseInteger(values.get(0));
                yield operator == Operator.GREATER_THAN ? have > want : have < want;
            }
        };
    }

    /** The canonical selector syntax: {@code a=b}, {@code a in (x,y)}, {@code !a}... */
    @Override
    public String toString() {
        return switch (operator) {
            case EXISTS -> key;
            case DOES_NOT_EXIST -> "!" + key;
            case IN, NOT_IN -> key + " " + operator.symbol() + " (" + String.join(",", values) + ")";
            default -> key + operator.symbol() + values.get(0);
        };
    }

    private static Long parseInteger(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
