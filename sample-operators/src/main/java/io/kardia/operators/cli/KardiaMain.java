package io.kardia.operators.cli;

import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kardia} command line. Every failure a user can cause ends with a one-line message
 * and a non-zero exit code, never a stack trace.
 */
public final class KardiaMain {
    private static final Logger LOG = LoggerFactory.getLogger(KardiaMain.class);

    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILURE = 1;

    private static final Map<String, Set<String>> VALUE_FLAGS = Map.of(
            "up", Set.of("data-dir", "port", "host"),
            "store", Set.of("data-dir", "port", "host"),
            "help", Set.of());
    private static final Map<String, Set<String>> SWITCHES = Map.of(
            "up", Set.of("tls"),
            "store", Set.of("tls"));

    private KardiaMain() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    static int run(String[] argv) {
        CommandLine cl;
        try {
            cl = CommandLine.parse(argv, VALUE_FLAGS, SWITCHES);
        } catch (CommandLine.UsageException e) {
            System.err.println("kardia: " + e.getMessage());
            return EXIT_USAGE;
        }
        try {
            return switch (cl.command()) {
                case "up", "store" -> new UpCommand(cl).run();
                default -> {
                    System.out.println(usage());
                    yield 0;
                }
            };
        } catch (CommandLine.UsageException e) {
            System.err.println("kardia: " + e.getMessage());
            return EXIT_USAGE;
        } catch (UpCommand.StartupException e) {
            System.err.println("kardia: " + e.getMessage());
            LOG.debug("startup failed", e);
            return EXIT_FAILURE;
        }
    }

    static String usage() {
        return """
                Usage: ./kardia COMMAND [FLAGS]

                Commands:
                  up      Run a Kardia control plane in the foreground (Ctrl-C stops it):
                          the reference API store, durable in --data-dir, served over HTTP(S).
                  store   Run only the reference API store (same flags as up).
                  help    Show this text.

                Flags of up and store:
                  --data-dir DIR   where objects, the token and the kubeconfig live (default: .kardia)
                  --port PORT      API port on the host (default: 6443; 0 picks a free one)
                  --host HOST      address to listen on (default: 127.0.0.1)
                  --tls=false      serve plain HTTP instead of HTTPS (by default a self-signed CA is
                                   made in DATA-DIR/tls and written into the kubeconfig; kubectl
                                   sends the bearer token only over HTTPS)
                """;
    }
}
