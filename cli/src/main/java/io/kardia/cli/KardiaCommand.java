package io.kardia.cli;

import java.time.Clock;
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
    private final Clock controllerClock;

    @Spec
    CommandSpec spec;

    KardiaCommand(Shutdown shutdown) {
        this(shutdown, null);
    }

    /**
     * A command tree whose {@code up} runs its Job and CronJob controllers on {@code controllerClock}
     * instead of the system clock: the developer hook through which a test drives a schedule through
     * many ticks in seconds (a {@link io.kardia.runtime.testkit.ShiftableClock}). Not a command-line
     * option: a user's cluster always runs on real time.
     */
    KardiaCommand(Shutdown shutdown, Clock controllerClock) {
        this.shutdown = shutdown;
        this.controllerClock = controllerClock;
    }

    /** The clock the time-judging controllers of {@code up} use instead of the system's; null for the system's. */
    Clock controllerClock() {
        return controllerClock;
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
