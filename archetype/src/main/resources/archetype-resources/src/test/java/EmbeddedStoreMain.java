package ${package};

import io.kardia.runtime.testkit.TestEnvironment;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator against a Kardia reference store in this process: in memory, served over
 * HTTP on a free local port, with a kubeconfig for kubectl in {@code target/kardia/kubeconfig}.
 * No cluster needed: {@code mvn test-compile exec:exec -Dembedded}. Test code, so it is not in the image.
 */
public final class EmbeddedStoreMain {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreMain.class);

    private EmbeddedStoreMain() {
    }

    public static void main(String[] args) throws Exception {
        try (TestEnvironment store = TestEnvironment.start(true)) {
            Path kubeconfig = store.writeKubeconfig(Path.of("target", "kardia", "kubeconfig").toAbsolutePath());
            log.info("Kardia store at {}; in another terminal: export KUBECONFIG={}", store.apiServerUrl().orElseThrow(), kubeconfig);
            OperatorMain.main(Stream.concat(Stream.of("--kubeconfig=" + kubeconfig), Stream.of(args)).toArray(String[]::new));
        }
    }
}
