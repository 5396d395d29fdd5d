package io.kardia.store.journal;

/**
 * A journal file was written in a format version this build does not read (e.g. by a newer
 * Kardia): refuse to start rather than misread it.
 */
public class JournalFormatException extends JournalCorruptedException {
    public JournalFormatException(String message) {
        super(message);
    }
}
