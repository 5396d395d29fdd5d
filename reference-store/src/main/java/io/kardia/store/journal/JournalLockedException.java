package io.kardia.store.journal;

/** Another journal (in this or another process) already has the data directory open. */
public class JournalLockedException extends RuntimeException {
    public JournalLockedException(String message) {
        super(message);
    }
}
