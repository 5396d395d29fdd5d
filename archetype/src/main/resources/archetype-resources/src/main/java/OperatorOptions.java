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
 * @param webhookPort             {@code --webhook-port}: where the admission webhooks ({@code @KardiaWebhook}
 *                                beans) are served over HTTPS, if there are any (default 9443; 0 any free port)
 * @param webhookCertDir          {@code --webhook-cert-dir}: the webhook server's {@code tls.crt} and
 *                                {@code tls.key} (default controller-runtime's
 *                                {@value #DEFAULT_WEBHOOK_CERT_DIR}, where the Deployment mounts the
 *                                cert-manager Secret); without them a self-signed certificate for localhost
 */
public record OperatorOptions(Path kubeconfig, int httpPort, boolean leaderElect, String leaderElectionNamespace,
                              boolean installCrds, int webhookPort, Path webhookCertDir) {

    static final String DEFAULT_WEBHOOK_CERT_DIR = "/tmp/k8s-webhook-server/serving-certs";
    static final String USAGE = "flags: --kubeconfig=PATH --http-port=8080 (0: any free port, -1: off)"
            + " --leader-elect=true|false --leader-election-namespace=NAMESPACE --install-crds=true|false"
            + " --webhook-port=9443 (0: any free port) --webhook-cert-dir=" + DEFAULT_WEBHOOK_CERT_DIR;

    public static OperatorOptions defaults() {
        return new OperatorOptions(null, 8080, true, null, true, 9443, Path.of(DEFAULT_WEBHOOK_CERT_DIR));
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
                case "kubeconfig" -> new OperatorOptions(Path.of(value), o.httpPort, o.leaderElect, o.leaderElectionNamespace,
                        o.installCrds, o.webhookPort, o.webhookCertDir);
                case "http-port" -> new OperatorOptions(o.kubeconfig, port(name, value, true), o.leaderElect, o.leaderElectionNamespace,
                        o.installCrds, o.webhookPort, o.webhookCertDir);
                case "leader-elect" -> new OperatorOptions(o.kubeconfig, o.httpPort, bool(name, value), o.leaderElectionNamespace,
                        o.installCrds, o.webhookPort, o.webhookCertDir);
                case "leader-election-namespace" -> new OperatorOptions(o.kubeconfig, o.httpPort, o.leaderElect,
                        value.isEmpty() ? null : value, o.installCrds, o.webhookPort, o.webhookCertDir);
                case "install-crds" -> new OperatorOptions(o.kubeconfig, o.httpPort, o.leaderElect, o.leaderElectionNamespace,
                        bool(name, value), o.webhookPort, o.webhookCertDir);
                case "webhook-port" -> new OperatorOptions(o.kubeconfig, o.httpPort, o.leaderElect, o.leaderElectionNamespace,
                        o.installCrds, port(name, value, false), o.webhookCertDir);
                case "webhook-cert-dir" -> new OperatorOptions(o.kubeconfig, o.httpPort, o.leaderElect, o.leaderElectionNamespace,
                        o.installCrds, o.webhookPort, Path.of(value));
                default -> throw new IllegalArgumentException("unknown flag --" + name + "; " + USAGE);
            };
        }
        return o;
    }

    private static int port(String name, String value, boolean mayBeOff) {
        try {
            int port = Integer.parseInt(value);
            if (port >= (mayBeOff ? -1 : 0) && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + "=" + value + " is not a port (0-65535" + (mayBeOff ? ", or -1 for off)" : ")"));
    }

    private static boolean bool(String name, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("--" + name + "=" + value + " must be true or false");
        };
    }
}
