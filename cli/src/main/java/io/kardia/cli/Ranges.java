package io.kardia.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Range checks for numeric flags, reported as command-line errors (exit 2). */
final class Ranges {
    private Ranges() {
    }

    static void check(CommandLine cl, String flag, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(cl, flag + " must be from " + min + " to " + max + ", got " + value);
        }
    }
}
