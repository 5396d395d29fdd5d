package io.kardia.cli;

import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.simulator.SimulatedNodeOptions;
import io.kardia.simulator.SimulatedNodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kardia nodes}: simulated nodes against any API server, until Ctrl-C. */
@Command(name = "nodes", mixinStandardHelpOptions = true, versionProvider = KardiaVersion.class, sortOptions = false,
        description = "Run simulated nodes (heartbeats, pods that start and report Ready) against any API server until Ctrl-C.")
final class NodesCommand implements Callable<Integer> {
    @ParentCommand
    KardiaCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    KubeconfigOption kubeconfig;

    @Option(names = "--count", paramLabel = "N", defaultValue = "3", description = "How many nodes (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--prefix", paramLabel = "NAME", defaultValue = UpCommand.NODE_PREFIX,
            description = "Node names are NAME-1..NAME-N (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--zones", paramLabel = "N", defaultValue = "1", description = "Spread the nodes over N zones (default: ${DEFAULT-VALUE}).")
    int zones;

    @Override
    public Integer call() throws InterruptedException {
        Ranges.check(spec.commandLine(), "--count", count, 1, 5000);
        Ranges.check(spec.commandLine(), "--zones", zones, 1, 26);
        ClientConfig config = kubeconfig.clientConfig();
        HttpKubeClient client = HttpKubeClient.create(config);
        SimulatedNodes nodes = new SimulatedNodes(client, SimulatedNodes.names(prefix, count),
                SimulatedNodeOptions.defaults().withZones(zones));
        try {
            nodes.start();
        } catch (InterruptedException e) {
            nodes.close();
            client.close();
            throw e;
        } catch (RuntimeException e) {
            nodes.close();
            client.close();
            throw new CommandFailedException("could not start simulated nodes against " + config.server() + ": "
                    + e.getMessage(), e);
        }
        spec.commandLine().getOut().println(count + " simulated node(s) " + prefix + "-1.." + prefix + "-" + count
                + " running against " + config.server() + " (Ctrl-C stops them)");
        parent.shutdown().awaitThenStop(() -> {
            nodes.close();
            client.close();
        });
        return 0;
    }
}
