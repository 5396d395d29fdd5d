package io.kardia.cli;

import io.kardia.core.config.ClientConfig;
import io.kardia.core.config.KubeConfig;
import io.kardia.core.config.KubeConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Which API server to use: the flag of the commands that work against a running one. */
final class KubeconfigOption {
    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "The kubeconfig of the API server to use (default: $KUBECONFIG, else ~/.kube/config; "
                    + "kardia up writes DIR/kubeconfig).")
    Path kubeconfig;

    ClientConfig clientConfig() {
        try {
            if (kubeconfig == null) {
                return KubeConfig.load().toClientConfig();
            }
            if (!Files.isRegularFile(kubeconfig)) {
                throw new BadInputException("--kubeconfig " + kubeconfig + ": no such file (kardia up writes "
                        + "DIR/kubeconfig; by default .kardia/kubeconfig)", null);
            }
            return KubeConfig.load(List.of(kubeconfig)).toClientConfig();
        } catch (KubeConfigException e) {
            throw new BadInputException("cannot use the kubeconfig: " + e.getMessage(), e);
        }
    }
}
