package io.kardia.cli;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.model.Node;
import io.kardia.simulator.SimulatedNodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kardia node stop|start NAME}: sets or removes the Node's kardia.io/simulate annotation. */
@Command(name = "node", mixinStandardHelpOptions = true, versionProvider = KardiaVersion.class,
        description = "Stop or restart a simulated node of a running control plane.",
        subcommands = picocli.CommandLine.HelpCommand.class)
final class NodeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command: stop or start");
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, versionProvider = KardiaVersion.class,
            description = "Stop a simulated node: no more heartbeats or pod updates (a crashed or partitioned node). "
                    + "It turns NotReady after the grace period, then its pods are replaced on other nodes.")
    int stop(@Parameters(paramLabel = "NAME", description = "The node (kubectl get nodes lists them).") String name,
             @Mixin KubeconfigOption kubeconfig) {
        annotate(name, kubeconfig, true);
        spec.commandLine().getOut().println("node " + name + " stopped: no more heartbeats or pod updates. It turns "
                + "NotReady after the grace period, then its pods are evicted and replaced elsewhere.");
        return 0;
    }

    @Command(name = "start", mixinStandardHelpOptions = true, versionProvider = KardiaVersion.class,
            description = "Restart a stopped simulated node: heartbeats resume, it turns Ready and loses its taints.")
    int start(@Parameters(paramLabel = "NAME", description = "The node (kubectl get nodes lists them).") String name,
              @Mixin KubeconfigOption kubeconfig) {
        annotate(name, kubeconfig, false);
        spec.commandLine().getOut().println("node " + name + " started: heartbeats resume; it turns Ready and loses its taints.");
        return 0;
    }

    private static void annotate(String name, KubeconfigOption kubeconfig, boolean stop) {
        try (KubeClient client = HttpKubeClient.create(kubeconfig.clientConfig())) {
            String value = stop ? "\"" + SimulatedNodes.STOPPED + "\"" : "null";
            client.resources(Node.class).patch(null, name, PatchType.MERGE,
                    "{\"metadata\":{\"annotations\":{\"" + SimulatedNodes.SIMULATE_ANNOTATION + "\":" + value + "}}}");
        } catch (KubeApiException.NotFoundException e) {
            throw new CommandFailedException("there is no node named '" + name + "' (kubectl get nodes lists them)", e);
        } catch (KubeApiException | KubeClientException e) {
            throw new CommandFailedException("could not " + (stop ? "stop" : "start") + " node " + name + ": "
                    + e.getMessage(), e);
        }
    }
}
