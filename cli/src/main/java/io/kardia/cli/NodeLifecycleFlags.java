package io.kardia.cli;

import io.kardia.controllers.node.NodeLifecycleOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The node lifecycle controller's timings: flags of {@code up} and {@code controllers}. */
final class NodeLifecycleFlags {
    @Option(names = "--node-grace-seconds", paramLabel = "S", defaultValue = "20",
            description = "A node silent this long turns NotReady and is tainted (default: ${DEFAULT-VALUE}; Kubernetes: 40).")
    int graceSeconds;

    @Option(names = "--default-toleration-seconds", paramLabel = "S", defaultValue = "20",
            description = "Pods without their own toleration leave a NoExecute-tainted node after S seconds "
                    + "(default: ${DEFAULT-VALUE}; Kubernetes: 300).")
    int tolerationSeconds;

    NodeLifecycleOptions toOptions(picocli.CommandLine cl) {
        Ranges.check(cl, "--node-grace-seconds", graceSeconds, 1, 86_400);
        Ranges.check(cl, "--default-toleration-seconds", tolerationSeconds, 0, 86_400);
        return NodeLifecycleOptions.defaults().withGracePeriod(Duration.ofSeconds(graceSeconds))
                .withDefaultToleration(Duration.ofSeconds(tolerationSeconds));
    }
}
