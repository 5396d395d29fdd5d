package io.kardia.cli;

/**
 * Something the user asked for cannot be done as asked (port in use, data directory locked or not
 * writable...): the message says what is wrong and what to do; the command exits with 2, having
 * released whatever it had started.
 */
final class BadInputException extends RuntimeException {
    BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
