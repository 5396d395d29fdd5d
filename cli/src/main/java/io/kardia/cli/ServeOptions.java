package io.kardia.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How the store is kept and served: the flags that {@code up} and {@code store} share. */
final class ServeOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".kardia",
            description = "Where objects, the API token, the TLS material and the kubeconfig live (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "6443",
            description = "API port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--tls", paramLabel = "true|false", defaultValue = "true", arity = "0..1", fallbackValue = "true",
            description = "Serve HTTPS with a self-signed CA made in DIR/tls and written into the kubeconfig "
                    + "(default: ${DEFAULT-VALUE}; kubectl sends its bearer token only over HTTPS). --tls=false serves plain HTTP.")
    boolean tls;

    @Option(names = "--drop-damaged-journal-tail",
            description = "Start even though the journal's last record is complete but fails its checksum (the start "
                    + "refuses otherwise, naming file and offset): that record, one change that may have been "
                    + "acknowledged, is dropped. Use once, knowingly; see docs/reference-store.md, \"Durability and recovery\".")
    boolean dropDamagedJournalTail;

    Path dataDirectory() {
        return dataDir.toAbsolutePath().normalize();
    }

    void validate(picocli.CommandLine cl) {
        Ranges.check(cl, "--port", port, 0, 65_535);
    }
}
