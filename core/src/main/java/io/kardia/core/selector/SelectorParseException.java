package io.kardia.core.selector;

/** A label or field selector string that does not parse; the message says where and why. */
public class SelectorParseException extends IllegalArgumentException {
    public SelectorParseException(String message) {
        super(message);
    }
}
