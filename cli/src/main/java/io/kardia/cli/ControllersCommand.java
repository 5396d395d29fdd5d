package io.kardia.cli;

import io.kardia.controllers.ControllerManager;
import io.kardia.controllers.node.NodeLifecycleOptions;
import io.kardia.controllers.scheduler.SchedulerOptions;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.runtime.Manager;
import io.kardia.runtime.leader.LeaderElectionConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kardia controllers}: the controller manager and scheduler against any API server, until Ctrl-C. */
@Command(name = "controllers", mixinStandardHelpOptions = true, versionProvider = KardiaVersion.class, sortOptions = false,
        description = {"Run the controller manager and scheduler against any API server (a real cluster "
                + "included) until Ctrl-C; stands by while another one holds the leader lease. Losing the lease "
                + "ends it with exit status 1 (see --on-leader-loss)."})
final class ControllersCommand implements Callable<Integer> {
    @ParentCommand
    KardiaCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    KubeconfigOption kubeconfig;

    @Mixin
    NodeLifecycleFlags lifecycle;

    @Mixin
    LeaderElectionFlags leaderElection;

    @Override
    public Integer call() throws InterruptedException {
        NodeLifecycleOptions options = lifecycle.toOptions(spec.commandLine());
        LeaderElectionConfig election = leaderElection.config(spec.commandLine());
        ClientConfig config = kubeconfig.clientConfig();
        HttpKubeClient client = HttpKubeClient.create(config);
        Manager manager;
        try {
            manager = ControllerManager.start(client, options, SchedulerOptions.defaults(), election,
                    leaderElection.policy);
        } catch (InterruptedException e) {
            client.close();
            throw e;
        } catch (RuntimeException e) {
            client.close();
            throw new CommandFailedException("could not start the controllers against " + config.server() + ": "
                    + e.getMessage(), e);
        }
        spec.commandLine().getOut().println("Kardia controllers running against " + config.server()
                + " (leader-elected on kube-system/" + ControllerManager.LEADER_LEASE + "; Ctrl-C stops them)");
        LeadershipWatch leadership = LeadershipWatch.start(manager, parent.shutdown());
        parent.shutdown().awaitThenStop(() -> {
            manager.close();
            client.close();
        });
        leadership.throwIfLost();
        return 0;
    }
}
