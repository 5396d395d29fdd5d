package ${package};

import java.nio.file.Path;

/**
 * The operator's command-line flags ({@code --name=value}), as kubebuilder's operators take them.
 *
 * @param kubeconfig              {@code --kubeconfig}: the cluster to run against (default: as kubectl chooses)
 * @param httpPort                {@code --http-port}: where {@code /healthz}, {@code /readyz} and
 *                                {@code /metrics} are served (default 8080; 0 any free port; -1 off)
 * @param leaderElect             {@code --leader-elect}: reconcile only while holding the leader Lease (default true)
 * @param leaderElectionNamespace {@code --leader-election-namespace}: the Lease's namespace
 *                                (default: the kubeconfig context's, or in a pod its own)
 * @param installCrds             {@code --install-crds}: apply the generated CRD at start (default true)
 */
public record OperatorOptions(Path kubeconfig, int httpPort, boolean leaderElect, String leaderElectionNamespace,
                              boolean installCrds) {

    static final String USAGE = "flags: --kubeconfig=PATH --http-port=8080 (0: any free port, -1: off)"
            + " --leader-elect=true|false --leader-election-namespace=NAMESPACE --install-crds=true|false";

    public static OperatorOptions defaults() {
        return new OperatorOptions(null, 8080, true, null, true);
    }

    /** @throws IllegalArgumentException naming the flag, for an unknown flag or a bad value */
    public static OperatorOptions parse(String... args) {
        OperatorOptions o = defaults();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("'" + arg + "' is not a flag of the form --name=value; " + USAGE);
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            o = switch (name) {
                case "kubeconfig" -> new OperatorOptions(Path.of(value), o.httpPort, o.leaderElect, o.leaderElectionNamespace, o.installCrds);
                case "http-port" -> new OperatorOptions(o.kubeconfig, port(value), o.leaderElect, o.leaderElectionNamespace, o.installCrds);
                case "leader-elect" -> new OperatorOptions(o.kubeconfig, o.httpPort, bool(name, value), o.leaderElectionNamespace, o.installCrds);
                case "leader-election-namespace" -> new OperatorOptions(o.kubeconfig, o.httpPort, o.leaderElect,
                        value.isEmpty() ? null : value, o.installCrds);
                case "install-crds" -> new OperatorOptions(o.kubeconfig, o.httpPort, o.leaderElect, o.leaderElectionNamespace, bool(name, value));
                default -> throw new IllegalArgumentException("unknown flag --" + name + "; " + USAGE);
            };
        }
        return o;
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= -1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--http-port=" + value + " is not a port (0-65535, or -1 for off)");
    }

    private static boolean bool(String name, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("--" + name + "=" + value + " must be true or false");
        };
    }
}
