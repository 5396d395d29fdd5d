package io.kardia.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code kardia} command line. Every failure a user can cause ends with one line saying what
 * is wrong and what to do, and exit code 2 ({@link #EXIT_USAGE}); a command that ran but could not
 * do its job (the API refused) exits with 1. Never a stack trace.
 */
public final class KardiaMain {
    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILURE = 1;
    static final String LOG_FORMAT_ENV = "KARDIA_LOG_FORMAT";

    private KardiaMain() {
    }

    public static void main(String[] argv) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(new KardiaCommand(Shutdown.onSignal()), System.getenv(), out, err, argv));
    }

    /** Runs one command line to its end; in-process callers (tests) pass their own shutdown signal and streams. */
    static int run(KardiaCommand root, Map<String, String> env, PrintWriter out, PrintWriter err, String... argv) {
        String format = env.getOrDefault(LOG_FORMAT_ENV, "text");
        if (!List.of("text", "json").contains(format)) {
            err.println("kardia: " + LOG_FORMAT_ENV + "=" + format + " is not a log format; use text (the default) or json");
            return EXIT_USAGE;
        }
        return commandLine(root, out, err).execute(argv);
    }

    static CommandLine commandLine(KardiaCommand root, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(KardiaMain::badCommandLine);
        cl.setExecutionExceptionHandler((e, command, parsed) -> failed(e, command));
        return cl;
    }

    /** A command line that does not parse: one line with the closest valid flag or command, exit 2. */
    private static int badCommandLine(ParameterException e, String[] argv) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        String what = e.getMessage();
        String hint = "";
        if (e instanceof UnmatchedArgumentException u) {
            String arg = u.getUnmatched().isEmpty() ? "" : u.getUnmatched().get(0);
            boolean flag = arg.startsWith("-");
            what = flag ? "unknown flag '" + arg + "'"
                    : command.getSubcommands().isEmpty() ? "unexpected argument '" + arg + "'"
                    : "unknown command '" + arg + "'";
            String typed = flag && arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            Optional<String> closest = ClosestName.among(typed, flag
                    ? command.getCommandSpec().optionsMap().keySet() : command.getSubcommands().keySet());
            if (closest.isEmpty()) {
                // picocli's bigram suggestions name something for any word ("frob" -> controllers):
                // only an abbreviation of a valid name ("contr" -> controllers) is worth suggesting.
                closest = u.getSuggestions().stream().filter(s -> !typed.isEmpty() && s.startsWith(typed)).findFirst();
            }
            if (closest.isPresent()) {
                hint = "; did you mean " + closest.get() + "?";
            }
        }
        command.getErr().println(name + ": " + lowerFirst(what) + hint + " (see '" + name + " --help')");
        return EXIT_USAGE;
    }

    /** A command that started but could not go on: one line, and the exit code its kind of failure calls for. */
    private static int failed(Exception e, CommandLine command) {
        String name = command.getCommandSpec().qualifiedName();
        Logger log = LoggerFactory.getLogger(KardiaMain.class);
        if (e instanceof BadInputException bad) {
            command.getErr().println(name + ": " + bad.getMessage());
            log.debug("{} refused to start", name, e);
            return EXIT_USAGE;
        }
        if (e instanceof CommandFailedException failed) {
            command.getErr().println(name + ": " + failed.getMessage());
            log.debug("{} failed", name, e);
            return EXIT_FAILURE;
        }
        command.getErr().println(name + ": unexpected error: " + e);
        log.error("{} failed unexpectedly", name, e);
        return EXIT_FAILURE;
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
