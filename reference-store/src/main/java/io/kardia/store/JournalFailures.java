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
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.toLowerCase(Locale.ROOT).contains("no space left on device")) {
                return "ENOSPC: no space left on device (free disk space in the data directory, then restart): " + m;
            }
        }
        Throwable root = failure;
        while ((root.getMessage() == null || root.getMessage().isEmpty()) && root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null || root.getMessage().isEmpty() ? "I/O failure" : root.getMessage();
    }
}
