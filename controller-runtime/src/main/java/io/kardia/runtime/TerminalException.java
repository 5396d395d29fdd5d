package io.kardia.runtime;

/**
 * A reconcile failure that retrying cannot fix (an invalid spec, a missing reference the user must
 * create). The controller logs and counts it and does not requeue the key: the next change of the
 * object, which produces a new event, brings it back.
 */
public class TerminalException extends RuntimeException {

    public TerminalException(String message) {
        super(message);
    }

    public TerminalException(String message, Throwable cause) {
        super(message, cause);
    }
}
