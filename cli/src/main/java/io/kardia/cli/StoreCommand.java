package io.kardia.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kardia store}: only the reference store and its API server, until Ctrl-C. */
@Command(name = "store", mixinStandardHelpOptions = true, versionProvider = KardiaVersion.class, sortOptions = false,
        description = {"Run only the reference API store (durable in --data-dir, served over HTTPS) until Ctrl-C; "
                + "run the controllers and nodes against it with 'kardia controllers' and 'kardia nodes'."})
final class StoreCommand implements Callable<Integer> {
    @ParentCommand
    KardiaCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ServeOptions serve;

    @Override
    public Integer call() {
        serve.validate(spec.commandLine());
        ServedStore served = ServedStore.start(serve, true);
        String kc = served.kubeconfig().toString();
        spec.commandLine().getOut().print("""
                Kardia store is up.
                  API:        %s
                  kubeconfig: %s

                Next, in another terminal:
                  export KUBECONFIG=%s
                  kubectl get namespaces
                  ./kardia controllers --kubeconfig %s     # the controllers and scheduler
                  ./kardia nodes --kubeconfig %s --count 3 # simulated nodes

                Ctrl-C stops it; objects are kept in %s for the next start.
                """.formatted(served.url(), kc, kc, kc, kc, serve.dataDirectory()));
        spec.commandLine().getOut().flush();
        parent.shutdown().awaitThenStop(served::close);
        return 0;
    }
}
