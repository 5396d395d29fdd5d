package io.kardia.core.selector;

/** The operators of a label selector requirement, with their string syntax. */
public enum Operator {
    EQUALS("="),
    DOUBLE_EQUALS("=="),
    NOT_EQUALS("!="),
    IN("in"),
    NOT_IN("notin"),
    EXISTS(""),
    DOES_NOT_EXIST("!"),
    GREATER_THAN(">"),
    LESS_THAN("<");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as written in a selector string ({@code ""} for exists, {@code "!"} for does-not-exist). */
    public String symbol() {
        return symbol;
    }
}
