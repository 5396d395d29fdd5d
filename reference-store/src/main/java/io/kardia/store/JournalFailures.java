package io.kardia.store;

import java.util.Locale;

/**
 * Words a journal failure for an API client and an operator: the cause's message (never a Java
 * class name), with a disk-full error named as the operating system names it, ENOSPC ("no space
 * left on device"), wherever in the cause chain it is.
 */
final class JournalFailures {
    private JournalFailures() {
    }

    static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        // The deepest message: wrappers (UncheckedIOException, CompletionException) prefix class names.
        String deepest = null;
        boolean diskFull = false;
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isEmpty()) {
                deepest = m;
                diskFull |= m.toLowerCase(Locale.ROOT).contains("no space left on device");
            }
        }
        if (diskFull) {
            return "ENOSPC: no space left on device (free disk space in the data directory, then restart)";
        }
        return deepest == null ? "I/O failure" : deepest;
    }
}
