package io.kardia.cli;

import io.kardia.controllers.ControllerManager;
import io.kardia.controllers.job.JobControllerOptions;
import io.kardia.controllers.node.NodeLifecycleOptions;
import io.kardia.controllers.scheduler.SchedulerOptions;
import io.kardia.runtime.Manager;
import io.kardia.runtime.leader.LeaderElectionConfig;
import io.kardia.simulator.SimulatedNodeOptions;
import io.kardia.simulator.SimulatedNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kardia up}: the store and its API server, the controller manager and simulated nodes in one
 * process until Ctrl-C. The controllers and nodes use the store in process (no HTTP hop).
 */
@Command(name = "up", mixinStandardHelpOptions = true, versionProvider = KardiaVersion.class, sortOptions = false,
        description = {"Run a whole Kardia control plane in the foreground (Ctrl-C stops it): the reference API "
                + "store (durable in --data-dir, served over HTTPS), the controller manager (node lifecycle, "
                + "scheduler, ReplicaSet, Deployment, StatefulSet, DaemonSet, Job and CronJob controllers, "
                + "EndpointSlices and Endpoints, default ServiceAccounts, simulated volume provisioning, garbage "
                + "collector for every kind, namespace and CRD cleanup; "
                + "leader-elected) and "
                + "simulated nodes.", "Objects are kept in the data directory for the next start."})
final class UpCommand implements Callable<Integer> {
    static final String NODE_PREFIX = "node";
    private static final Duration TEST_CLOCK_POLL = Duration.ofMillis(200);

    @ParentCommand
    KardiaCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ServeOptions serve;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3",
            description = "Simulated nodes node-1..node-N (default: ${DEFAULT-VALUE}; 0 for none).")
    int nodes;

    @Option(names = "--zones", paramLabel = "N", defaultValue = "1",
            description = "Spread the nodes over N zones (default: ${DEFAULT-VALUE}).")
    int zones;

    @Mixin
    NodeLifecycleFlags lifecycle;

    @Mixin
    LeaderElectionFlags leaderElection;

    @Override
    public Integer call() throws InterruptedException {
        serve.validate(spec.commandLine());
        Ranges.check(spec.commandLine(), "--nodes", nodes, 0, 5000);
        Ranges.check(spec.commandLine(), "--zones", zones, 1, 26);
        NodeLifecycleOptions lifecycleOptions = lifecycle.toOptions(spec.commandLine());
        LeaderElectionConfig election = leaderElection.config(spec.commandLine());

        // up runs the namespace and CRD cleanup controllers: its store leaves that work to them.
        ServedStore served = ServedStore.start(serve, false);
        Manager controllers = null;
        SimulatedNodes simulated = null;
        try {
            controllers = ControllerManager.start(served.store().client(), lifecycleOptions, SchedulerOptions.defaults(),
                    jobOptions(), election, leaderElection.policy);
            if (nodes > 0) {
                simulated = new SimulatedNodes(served.store().client(), SimulatedNodes.names(NODE_PREFIX, nodes),
                        SimulatedNodeOptions.defaults().withZones(zones));
                simulated.start();
            }
        } catch (InterruptedException | RuntimeException e) {
            stop(simulated, controllers, served);
            throw e;
        }
        spec.commandLine().getOut().print(welcome(served.url(), served.kubeconfig()));
        spec.commandLine().getOut().flush();
        Manager runningControllers = controllers;
        SimulatedNodes runningNodes = simulated;
        LeadershipWatch leadership = LeadershipWatch.start(runningControllers, parent.shutdown());
        parent.shutdown().awaitThenStop(() -> stop(runningNodes, runningControllers, served));
        leadership.throwIfLost();
        return 0;
    }

    /** The system clock; or a test's clock, looked at every 200 ms so that moving it is noticed without waiting. */
    private JobControllerOptions jobOptions() {
        Clock clock = parent.controllerClock();
        return clock == null ? JobControllerOptions.defaults()
                : JobControllerOptions.defaults().withClock(clock, TEST_CLOCK_POLL);
    }

    /** Nodes first (they stop writing), then the controllers (they release the leader lease), then the API. */
    private static void stop(SimulatedNodes simulated, Manager controllers, ServedStore served) {
        if (simulated != null) {
            simulated.close();
        }
        if (controllers != null) {
            controllers.close();
        }
        served.close();
    }

    private String welcome(String url, Path kubeconfig) {
        String kc = kubeconfig.toString();
        String stopNode = NODE_PREFIX + "-" + Math.min(2, Math.max(1, nodes));
        String demo = nodes == 0 ? "" : """
                  kubectl apply -f %s
                  kubectl get pods -o wide
                  ./kardia node stop %s --kubeconfig %s    # the node dies: its pods move
                """.formatted(exampleDeployment(), stopNode, kc);
        return """
                Kardia is up: API store, controller manager, scheduler and %d simulated node(s).
                  API:        %s
                  kubeconfig: %s

                Next, in another terminal:
                  export KUBECONFIG=%s
                  kubectl get nodes
                %s
                Ctrl-C stops it; objects are kept in %s for the next start.
                """.formatted(nodes, url, kc, kc, demo, serve.dataDirectory());
    }

    /** The repository's example manifest when run from the checkout (kubectl create would send protobuf). */
    private static String exampleDeployment() {
        Path example = Path.of("examples", "web-deployment.yaml").toAbsolutePath();
        return Files.isRegularFile(example) ? example.toString() : "web-deployment.yaml   # a Deployment named web";
    }
}
