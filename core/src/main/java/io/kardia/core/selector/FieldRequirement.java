package io.kardia.core.selector;

import java.util.Objects;

/**
 * One field selector term: {@code field=value} ({@code equal}) or {@code field!=value}. The value is
 * unescaped; {@link #toString()} escapes it.
 */
public record FieldRequirement(String field, boolean equal, String value) {
    public FieldRequirement {
        Objects.requireNonNull(field, "field");
        value = value == null ? "" : value;
        if (field.isEmpty()) {
            throw new SelectorParseException("field selector term has an empty field name");
        }
    }

    public boolean matches(String actual) {
        boolean same = value.equals(actual == null ? "" : actual);
        return equal == same;
    }

    @Override
    public String toString() {
        return field + (equal ? "=" : "!=") + FieldTerms.escape(value);
    }
}
