package io.kardia.cli;

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
            "up", Set.of("data-dir", "port", "host", "nodes", "zones", "node-grace-seconds",
                    "default-toleration-seconds", "on-leader-loss"),
            "store", Set.of("data-dir", "port", "host"),
            "controllers", Set.of("kubeconfig", "node-grace-seconds", "default-toleration-seconds", "on-leader-loss"),
            "nodes", Set.of("kubeconfig", "count", "prefix", "zones"),
            "node", Set.of("kubeconfig"),
            "help", Set.of());
    private static final Map<String, Set<String>> SWITCHES = Map.of(
            "up", Set.of("tls", "drop-damaged-journal-tail"),
            "store", Set.of("tls", "drop-damaged-journal-tail"));

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
                case "controllers" -> ClusterCommands.controllers(cl);
                case "nodes" -> ClusterCommands.nodes(cl);
                case "node" -> ClusterCommands.node(cl);
                default -> {
                    System.out.println(usage());
                    yield 0;
                }
            };
        } catch (CommandLine.UsageException e) {
            System.err.println("kardia: " + e.getMessage());
            return EXIT_USAGE;
        } catch (UpCommand.StartupException | ClusterCommands.CommandFailedException e) {
            System.err.println("kardia: " + e.getMessage());
            LOG.debug("startup failed", e);
            return EXIT_FAILURE;
        }
    }

    /** The command line as {@link #run} parses it (for in-process callers). */
    static CommandLine parse(String... argv) {
        return CommandLine.parse(argv, VALUE_FLAGS, SWITCHES);
    }

    static String usage() {
        return """
                Usage: ./kardia COMMAND [FLAGS]

                Commands:
                  up           Run a whole Kardia control plane in the foreground (Ctrl-C stops it):
                               the reference API store (durable in --data-dir, served over HTTP(S)),
                               the controller manager (node lifecycle, scheduler, ReplicaSet and
                               Deployment controllers, garbage collector; leader-elected) and
                               simulated nodes.
                  store        Run only the reference API store (flags as up, without the node ones).
                  controllers  Run the controller manager and scheduler against any API server
                               (--kubeconfig FILE); stands by while another one leads.
                  nodes        Run simulated nodes against any API server (--kubeconfig FILE,
                               --count N, --prefix NAME, --zones N).
                  node stop NAME | node start NAME
                               Stop (no heartbeats, no pod updates: a crashed or partitioned node)
                               or restart a simulated node of a running control plane
                               (--kubeconfig FILE); it sets the Node annotation kardia.io/simulate.
                  help         Show this text.

                Flags of up and store:
                  --data-dir DIR   where objects, the token and the kubeconfig live (default: .kardia)
                  --port PORT      API port on the host (default: 6443; 0 picks a free one)
                  --host HOST      address to listen on (default: 127.0.0.1)
                  --tls=false      serve plain HTTP instead of HTTPS (by default a self-signed CA is
                                   made in DATA-DIR/tls and written into the kubeconfig; kubectl
                                   sends the bearer token only over HTTPS)
                  --drop-damaged-journal-tail
                                   start even though the journal's last record is complete but
                                   fails its checksum (the start refuses otherwise, naming file and
                                   offset): that record, one change that may have been
                                   acknowledged, is dropped. Use once, knowingly; see
                                   docs/reference-store.md, "Durability and recovery"
                  --nodes N        simulated nodes node-1..node-N (up; default 3, 0 for none)
                  --zones N        spread the nodes over N zones (up; default 1)
                  --node-grace-seconds S
                                   a node silent this long is NotReady and tainted (up, controllers;
                                   default 20 here, Kubernetes uses 40)
                  --default-toleration-seconds S
                                   pods without their own toleration leave a NoExecute-tainted node
                                   after S seconds (up, controllers; default 20 here, Kubernetes 300)

                  --on-leader-loss exit|campaign
                                   when the controller manager loses its leader lease (up,
                                   controllers): exit (default) stops the command with exit status
                                   1 so a supervisor restarts it; campaign pauses the controllers
                                   and campaigns again, resuming with a full resync if it leads again

                Flags of controllers, nodes and node:
                  --kubeconfig FILE  the API server to use (default: $KUBECONFIG or ~/.kube/config)
                """;
    }
}
