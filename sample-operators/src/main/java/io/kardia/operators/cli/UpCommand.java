package io.kardia.operators.cli;

import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.http.ApiServer;
import io.kardia.store.http.BearerTokenAuthenticator;
import io.kardia.store.http.KubeconfigWriter;
import io.kardia.store.http.TlsMaterial;
import io.kardia.store.journal.FileJournal;
import java.io.IOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;

/** {@code kardia up}: the store (durable in the data directory) and its API server, until Ctrl-C. */
final class UpCommand {
    /** A start that cannot succeed as asked (port taken, data directory damaged or locked...). */
    static final class StartupException extends RuntimeException {
        StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final CommandLine cl;

    UpCommand(CommandLine cl) {
        this.cl = cl;
    }

    int run() {
        Path dataDir = Path.of(cl.flag("data-dir", ".kardia")).toAbsolutePath().normalize();
        int port = cl.intFlag("port", 6443, 0, 65535);
        String host = cl.flag("host", "127.0.0.1");
        // kubectl sends bearer tokens only over HTTPS, so TLS is on unless turned off explicitly.
        boolean tls = !"false".equals(cl.flag("tls", "true"));

        ReferenceStore store = openStore(dataDir);
        ApiServer server;
        try {
            String token = token(dataDir);
            SSLContext ssl = null;
            String caPem = null;
            if (tls) {
                TlsMaterial material = TlsMaterial.ensure(dataDir.resolve("tls"));
                ssl = material.sslContext();
                caPem = material.caPem();
            }
            server = startServer(store, host, port, token, ssl);
            Path kubeconfig = dataDir.resolve("kubeconfig");
            KubeconfigWriter.write(kubeconfig, server.url(), token, caPem);
            printWelcome(server.url(), kubeconfig);
        } catch (IOException | RuntimeException e) {
            store.close();
            if (e instanceof StartupException se) {
                throw se;
            }
            throw new StartupException("could not start: " + e.getMessage(), e);
        }

        CountDownLatch stopped = new CountDownLatch(1);
        ApiServer running = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            store.close();
            stopped.countDown();
        }, "kardia-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static ReferenceStore openStore(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            return ReferenceStore.open(StoreOptions.defaults(), FileJournal.open(dataDir.resolve("store")));
        } catch (IOException e) {
            throw new StartupException("cannot use data directory " + dataDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Corruption and lock errors name the file; say so plainly and refuse to start.
            throw new StartupException("cannot open the store in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static ApiServer startServer(ReferenceStore store, String host, int port, String token, SSLContext ssl)
            throws IOException {
        try {
            return ApiServer.start(store, host, port, token, ssl);
        } catch (BindException e) {
            throw new StartupException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); is another Kardia running? Choose another port with --port", e);
        }
    }

    /** The API token, made once and kept (owner-only) so the kubeconfig stays valid across restarts. */
    private static String token(Path dataDir) throws IOException {
        Path file = dataDir.resolve("token");
        if (Files.exists(file)) {
            String t = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (t.length() >= 16) {
                return t;
            }
        }
        String t = BearerTokenAuthenticator.newToken();
        Files.writeString(file, t + "\n", StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        return t;
    }

    private static void printWelcome(String url, Path kubeconfig) {
        String kc = kubeconfig.toString();
        System.out.println("""
                Kardia is up.
                  API:        %s
                  kubeconfig: %s

                Try:
                  export KUBECONFIG=%s
                  kubectl get namespaces
                  kubectl create deployment web --image=nginx --replicas=3
                  kubectl get deploy,rs,po

                Ctrl-C stops it; objects are kept in the data directory for the next start.
                """.formatted(url, kc, kc));
    }
}
