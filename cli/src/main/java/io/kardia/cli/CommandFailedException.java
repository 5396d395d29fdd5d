package io.kardia.cli;

/** The command ran but could not do its job (the API refused, a node is missing...): exit code 1. */
final class CommandFailedException extends RuntimeException {
    CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
