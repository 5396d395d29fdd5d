package io.kardia.store.journal;

/** The data directory holds damage that is not a torn final write: refuse to start. */
public class JournalCorruptedException extends RuntimeException {
    public JournalCorruptedException(String message) {
        super(message);
    }

    public JournalCorruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
