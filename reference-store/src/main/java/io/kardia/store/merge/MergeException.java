package io.kardia.store.merge;

/** An object that cannot be read against its schema (a duplicate or incomplete associative list item). */
public final class MergeException extends RuntimeException {
    private final String field;

    public MergeException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The path in display form, e.g. {@code .spec.template.spec.containers}. */
    public String field() {
        return field;
    }
}
