package io.kardia.cli;

import io.kardia.controllers.ControllerManager;
import io.kardia.controllers.node.NodeLifecycleOptions;
import io.kardia.controllers.scheduler.SchedulerOptions;
import io.kardia.runtime.leader.LeadershipLossPolicy;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.config.KubeConfig;
import io.kardia.core.config.KubeConfigException;
import io.kardia.core.model.Node;
import io.kardia.runtime.Manager;
import io.kardia.simulator.SimulatedNodeOptions;
import io.kardia.simulator.SimulatedNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** The commands that work against a running API server through a kubeconfig: controllers, nodes, node. */
final class ClusterCommands {

    /** The command ran but could not do its job (API refused, node missing...). */
    static final class CommandFailedException extends RuntimeException {
        CommandFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private ClusterCommands() {
    }

    static NodeLifecycleOptions lifecycleOptions(CommandLine cl) {
        int grace = cl.intFlag("node-grace-seconds", 20, 1, 86_400);
        int toleration = cl.intFlag("default-toleration-seconds", 20, 0, 86_400);
        return NodeLifecycleOptions.defaults().withGracePeriod(Duration.ofSeconds(grace))
                .withDefaultToleration(Duration.ofSeconds(toleration));
    }

    /** {@code kardia controllers}: the controller manager and scheduler until Ctrl-C. */
    static int controllers(CommandLine cl) {
        NodeLifecycleOptions lifecycle = lifecycleOptions(cl);
        ClientConfig config = clientConfig(cl);
        HttpKubeClient client = HttpKubeClient.create(config);
        Manager manager;
        try {
            manager = ControllerManager.start(client, lifecycle,
                    SchedulerOptions.defaults(), true, leaderLossPolicy(cl));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            return 1;
        } catch (RuntimeException e) {
            client.close();
            throw new CommandFailedException("could not start the controllers against " + config.server() + ": "
                    + e.getMessage(), e);
        }
        System.out.println("Kardia controllers running against " + config.server()
                + " (leader-elected on kube-system/" + ControllerManager.LEADER_LEASE + "; Ctrl-C stops them)");
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
        UpCommand.watchLeadership(manager, lost, stopped);
        awaitShutdown(stopped, () -> {
            manager.close();
            client.close();
        });
        return lost.get() ? KardiaMain.EXIT_FAILURE : 0;
    }

    /** {@code kardia nodes}: simulated nodes until Ctrl-C. */
    static int nodes(CommandLine cl) {
        int count = cl.intFlag("count", 3, 1, 5000);
        int zones = cl.intFlag("zones", 1, 1, 26);
        String prefix = cl.flag("prefix", UpCommand.NODE_PREFIX);
        ClientConfig config = clientConfig(cl);
        HttpKubeClient client = HttpKubeClient.create(config);
        SimulatedNodes nodes = new SimulatedNodes(client, SimulatedNodes.names(prefix, count),
                SimulatedNodeOptions.defaults().withZones(zones));
        try {
            nodes.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            nodes.close();
            client.close();
            return 1;
        } catch (RuntimeException e) {
            nodes.close();
            client.close();
            throw new CommandFailedException("could not start simulated nodes against " + config.server() + ": "
                    + e.getMessage(), e);
        }
        System.out.println(count + " simulated node(s) " + prefix + "-1.." + prefix + "-" + count + " running against "
                + config.server() + " (Ctrl-C stops them)");
        awaitShutdown(() -> {
            nodes.close();
            client.close();
        });
        return 0;
    }

    /** {@code kardia node stop|start NAME}: sets or removes the Node's kardia.io/simulate annotation. */
    static int node(CommandLine cl) {
        List<String> args = cl.args();
        if (args.size() != 2 || !List.of("stop", "start").contains(args.get(0))) {
            throw new CommandLine.UsageException("usage: ./kardia node stop|start NAME [--kubeconfig FILE]");
        }
        boolean stop = "stop".equals(args.get(0));
        String name = args.get(1);
        ClientConfig config = clientConfig(cl);
        try (KubeClient client = HttpKubeClient.create(config)) {
            String value = stop ? "\"" + SimulatedNodes.STOPPED + "\"" : "null";
            client.resources(Node.class).patch(null, name, PatchType.MERGE,
                    "{\"metadata\":{\"annotations\":{\"" + SimulatedNodes.SIMULATE_ANNOTATION + "\":" + value + "}}}");
        } catch (KubeApiException.NotFoundException e) {
            throw new CommandFailedException("there is no node named '" + name + "' (kubectl get nodes lists them)", e);
        } catch (KubeApiException | KubeClientException e) {
            throw new CommandFailedException("could not " + args.get(0) + " node " + name + ": " + e.getMessage(), e);
        }
        System.out.println(stop
                ? "node " + name + " stopped: no more heartbeats or pod updates. It becomes NotReady after the grace "
                        + "period, then its pods are evicted and replaced elsewhere."
                : "node " + name + " started: heartbeats resume; it becomes Ready and loses its taints.");
        return 0;
    }

    private static ClientConfig clientConfig(CommandLine cl) {
        String file = cl.flag("kubeconfig", null);
        try {
            if (file == null) {
                return KubeConfig.load().toClientConfig();
            }
            Path path = Path.of(file);
            if (!Files.isRegularFile(path)) {
                throw new CommandLine.UsageException("--kubeconfig " + file + ": no such file (./kardia up writes "
                        + "DATA-DIR/kubeconfig)");
            }
            return KubeConfig.load(List.of(path)).toClientConfig();
        } catch (KubeConfigException e) {
            throw new CommandFailedException("cannot use the kubeconfig: " + e.getMessage(), e);
        }
    }

    /** {@code --on-leader-loss exit|campaign} (default exit). */
    static LeadershipLossPolicy leaderLossPolicy(CommandLine cl) {
        return switch (cl.flag("on-leader-loss", "exit")) {
            case "exit" -> LeadershipLossPolicy.EXIT;
            case "campaign" -> LeadershipLossPolicy.CAMPAIGN_AGAIN;
            default -> throw new CommandLine.UsageException("--on-leader-loss must be exit or campaign, got "
                    + cl.flag("on-leader-loss", ""));
        };
    }

    private static void awaitShutdown(Runnable stop) {
        awaitShutdown(new CountDownLatch(1), stop);
    }

    /** Until Ctrl-C or {@code stopped} is counted down (e.g. the manager lost its lease); then {@code stop} runs. */
    private static void awaitShutdown(CountDownLatch stopped, Runnable stop) {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable once = () -> {
            if (done.compareAndSet(false, true)) {
                stop.run();
            }
        };
        Thread hook = new Thread(() -> {
            once.run();
            stopped.countDown();
        }, "kardia-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        once.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook did the work
        }
    }
}
