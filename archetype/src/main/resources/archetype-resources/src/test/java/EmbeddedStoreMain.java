package ${package};

import io.kardia.store.ReferenceStore;
import io.kardia.store.http.ApiServer;
import io.kardia.store.http.KubeconfigWriter;
import io.kardia.store.http.TlsMaterial;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator against a Kardia reference store in this process: in memory, served over
 * HTTPS on a free local port (kubectl sends its token only over TLS), with a kubeconfig for
 * kubectl in {@code target/kardia/kubeconfig}. No cluster needed:
 * {@code ./mvnw test-compile exec:exec -Dembedded}. Test code, so it is not in the image.
 */
public final class EmbeddedStoreMain {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreMain.class);

    private EmbeddedStoreMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of("target", "kardia").toAbsolutePath();
        TlsMaterial tls = TlsMaterial.ensure(dir.resolve("tls"));
        String token = UUID.randomUUID().toString();
        try (ReferenceStore store = ReferenceStore.inMemory();
             ApiServer server = ApiServer.start(store, "127.0.0.1", 0, token, tls.sslContext())) {
            Path kubeconfig = dir.resolve("kubeconfig");
            KubeconfigWriter.write(kubeconfig, server.url(), token, tls.caPem());
            log.info("Kardia store at {}; in another terminal: export KUBECONFIG={}", server.url(), kubeconfig);
            OperatorMain.main(Stream.concat(Stream.of("--kubeconfig=" + kubeconfig), Stream.of(args)).toArray(String[]::new));
        }
    }
}
