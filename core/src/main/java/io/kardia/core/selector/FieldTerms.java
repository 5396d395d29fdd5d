package io.kardia.core.selector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The AND of field requirements, and the parsing rules of apimachinery's {@code fields} package. */
record FieldTerms(List<FieldRequirement> requirements) implements FieldSelector {
    static final FieldTerms EMPTY = new FieldTerms(List.of());

    FieldTerms {
        List<FieldRequirement> sorted = new ArrayList<>(requirements);
        sorted.sort(Comparator.comparing(FieldRequirement::toString));
        requirements = List.copyOf(sorted);
    }

    @Override
    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    @Override
    public boolean matches(Function<String, String> fieldValue) {
        for (FieldRequirement r : requirements) {
            if (!r.matches(fieldValue.apply(r.field()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Set<String> fields() {
        Set<String> out = new LinkedHashSet<>();
        requirements.forEach(r -> out.add(r.field()));
        return Set.copyOf(out);
    }

    @Override
    public String toString() {
        return requirements.stream().map(FieldRequirement::toString).collect(Collectors.joining(","));
    }

    static List<FieldRequirement> parseTerms(String selector) {
        List<FieldRequirement> out = new ArrayList<>();
        for (String term : splitTerms(selector)) {
            if (term.isEmpty()) {
                continue;
            }
            int at = -1;
            String op = null;
            // No escaping in the field name: the first operator occurrence splits the term.
            for (int i = 0; i < term.length() && op == null; i++) {
                if (term.startsWith("!=", i)) {
                    op = "!=";
                } else if (term.startsWith("==", i)) {
                    op = "==";
                } else if (term.startsWith("=", i)) {
                    op = "=";
                }
                at = i;
            }
            if (op == null) {
                throw new SelectorParseException("invalid field selector \"" + selector + "\": can't understand '"
                        + term + "' (expected field=value, field==value or field!=value)");
            }
            String field = term.substring(0, at);
            if (field.isEmpty()) {
                throw new SelectorParseException("invalid field selector \"" + selector + "\": term '" + term
                        + "' has no field name before '" + op + "'");
            }
            String value = unescape(selector, term.substring(at + op.length()));
            out.add(new FieldRequirement(field, !op.equals("!="), value));
        }
        return out;
    }

    /** Splits on commas that are not backslash-escaped; escapes stay in the terms. */
    private static List<String> splitTerms(String s) {
        List<String> terms = new ArrayList<>();
        int start = 0;
        boolean inSlash = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inSlash) {
                inSlash = false;
            } else if (c == '\\') {
                inSlash = true;
            } else if (c == ',') {
                terms.add(s.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(s.substring(start));
        return terms;
    }

    private static String unescape(String selector, String v) {
        if (v.indexOf('\\') < 0 && v.indexOf(',') < 0 && v.indexOf('=') < 0) {
            return v;
        }
        StringBuilder out = new StringBuilder(v.length());
        boolean inSlash = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (inSlash) {
                if (c != '\\' && c != ',' && c != '=') {
                    throw new SelectorParseException("invalid field selector \"" + selector
                            + "\": invalid escape sequence '\\" + c + "' in value '" + v
                            + "' (only \\\\, \\, and \\= are allowed)");
                }
                out.append(c);
                inSlash = false;
            } else if (c == '\\') {
                inSlash = true;
            } else if (c == ',' || c == '=') {
                throw new SelectorParseException("invalid field selector \"" + selector + "\": unescaped '" + c
                        + "' in value '" + v + "' (write \\" + c + ")");
            } else {
                out.append(c);
            }
        }
        if (inSlash) {
            throw new SelectorParseException("invalid field selector \"" + selector
                    + "\": value '" + v + "' ends with a lone backslash");
        }
        return out.toString();
    }

    static String escape(String v) {
        if (v.indexOf('\\') < 0 && v.indexOf(',') < 0 && v.indexOf('=') < 0) {
            return v;
        }
        StringBuilder out = new StringBuilder(v.length() + 4);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' || c == ',' || c == '=') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
