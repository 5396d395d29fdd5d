package io.kardia.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top of the command tree: {@code kardia} alone prints the usage. */
@Command(name = "kardia", mixinStandardHelpOptions = true, versionProvider = KardiaVersion.class,
        description = "Kardia: a Kubernetes-style control plane and controller framework on the JVM.",
        subcommands = {UpCommand.class, StoreCommand.class, ControllersCommand.class, NodesCommand.class,
                NodeCommand.class, picocli.CommandLine.HelpCommand.class},
        footer = {"", "Start with: ./kardia up    (then: export KUBECONFIG=.kardia/kubeconfig; kubectl get nodes)"})
final class KardiaCommand implements Runnable {
    private final Shutdown shutdown;

    @Spec
    CommandSpec spec;

    KardiaCommand(Shutdown shutdown) {
        this.shutdown = shutdown;
    }

    /** How a long-running command learns that it should stop (Ctrl-C, or a test). */
    Shutdown shutdown() {
        return shutdown;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
