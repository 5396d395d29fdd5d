package io.kardia.store.journal;

import java.nio.file.Path;

/** The data directory holds damage that is not a torn final write: refuse to start. */
public class JournalCorruptedException extends RuntimeException {
    public JournalCorruptedException(String message) {
        super(message);
    }

    public JournalCorruptedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Damage at a known place: the message names the file and the byte offset. */
    static JournalCorruptedException at(Path file, long offset, String what) {
        return new JournalCorruptedException(what + " in " + file + " at byte offset " + offset
                + "; the data directory cannot be trusted, refusing to start (restore it from a backup"
                + " or move the damaged file away knowingly)");
    }
}
