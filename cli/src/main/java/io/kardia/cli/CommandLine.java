package io.kardia.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line: {@code COMMAND [ARGS...] [--flag VALUE | --flag=VALUE | --switch]}.
 * Flags are checked against what the command accepts, so a typo is an error, not ignored.
 */
record CommandLine(String command, List<String> args, Map<String, String> flags) {

    /** Thrown for any command line the user has to correct; the message says how. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    static CommandLine parse(String[] argv, Map<String, Set<String>> valueFlagsByCommand,
                             Map<String, Set<String>> switchesByCommand) {
        if (argv.length == 0) {
            return new CommandLine("help", List.of(), Map.of());
        }
        String command = argv[0];
        if (!valueFlagsByCommand.containsKey(command)) {
            throw new UsageException("unknown command '" + command + "'; run './kardia help' to list the commands");
        }
        Set<String> valueFlags = valueFlagsByCommand.get(command);
        Set<String> switches = switchesByCommand.getOrDefault(command, Set.of());
        List<String> args = new ArrayList<>();
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 1; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                args.add(a);
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (switches.contains(name)) {
                flags.put(name, value == null ? "true" : value);
            } else if (valueFlags.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.length) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = argv[++i];
                }
                flags.put(name, value);
            } else {
                throw new UsageException("unknown flag --" + name + " for '" + command + "'; run './kardia help'");
            }
        }
        return new CommandLine(command, args, flags);
    }

    String flag(String name, String fallback) {
        return flags.getOrDefault(name, fallback);
    }

    boolean has(String name) {
        return flags.containsKey(name) && !"false".equals(flags.get(name));
    }

    int intFlag(String name, int fallback, int min, int max) {
        String v = flags.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
        }
    }
}
