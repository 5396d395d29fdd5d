package io.kardia.cli;

import io.kardia.store.PrivateFiles;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.auth.ApiSecurity;
import io.kardia.store.auth.SigningKey;
import io.kardia.store.auth.TokenFile;
import io.kardia.store.http.ApiServer;
import io.kardia.store.http.BearerTokenAuthenticator;
import io.kardia.store.http.KubeconfigWriter;
import io.kardia.store.http.TlsMaterial;
import io.kardia.store.journal.FileJournal;
import io.kardia.store.journal.JournalLockedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The reference store, durable in its data directory, served over HTTP(S) with a kubeconfig
 * written beside it: what {@code up} and {@code store} both run. A start that fails releases what
 * it had taken (the directory lock, the port) before it throws.
 */
final class ServedStore implements AutoCloseable {
    private final ReferenceStore store;
    private final ApiServer server;
    private final Path kubeconfig;

    private ServedStore(ReferenceStore store, ApiServer server, Path kubeconfig) {
        this.store = store;
        this.server = server;
        this.kubeconfig = kubeconfig;
    }

    /**
     * @param inStoreLifecycle whether the store empties deleted namespaces and CRDs itself
     *                         ({@code store}, which runs no controllers) or leaves that to the
     *                         namespace and CRD cleanup controllers, as kube-apiserver does ({@code up})
     */
    static ServedStore start(ServeOptions options, boolean inStoreLifecycle) {
        Path dataDir = options.dataDirectory();
        FileJournal.Options journal = FileJournal.Options.defaults().withDropDamagedLastRecord(options.dropDamagedJournalTail);
        ReferenceStore store = open(dataDir, StoreOptions.defaults().withInStoreLifecycle(inStoreLifecycle), journal);
        try {
            String token = token(dataDir);
            SSLContext ssl = null;
            String caPem = null;
            if (options.tls) {
                TlsMaterial material = TlsMaterial.ensure(dataDir.resolve("tls"));
                ssl = options.clientCaFile != null ? material.serverContext(readable(options.clientCaFile, "--client-ca-file"))
                        : material.sslContext();
                caPem = material.caPem();
            }
            ApiServer server = listen(store, options, ssl, security(options, dataDir, token));
            Path kubeconfig = dataDir.resolve("kubeconfig");
            try {
                KubeconfigWriter.write(kubeconfig, server.url(), token, caPem);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            return new ServedStore(store, server, kubeconfig);
        } catch (IOException e) {
            store.close();
            throw unusable(dataDir, e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    ReferenceStore store() {
        return store;
    }

    String url() {
        return server.url();
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }

    private static ReferenceStore open(Path dataDir, StoreOptions storeOptions, FileJournal.Options journal) {
        try {
            PrivateFiles.directory(dataDir); // 0700: it holds the token and the TLS key
            probeWritable(dataDir);
            return ReferenceStore.open(storeOptions, FileJournal.open(dataDir.resolve("store"), journal));
        } catch (JournalLockedException e) {
            throw new BadInputException("data directory " + dataDir + " is in use by another Kardia store; stop that "
                    + "one first, or choose another directory with --data-dir DIR", e);
        } catch (IOException e) {
            throw unusable(dataDir, e);
        } catch (UncheckedIOException e) {
            throw unusable(dataDir, e.getCause());
        } catch (RuntimeException e) {
            // A damaged journal names the file: say so and refuse to start rather than guess
            // (--drop-damaged-journal-tail lets a complete but damaged last record go, knowingly).
            throw new BadInputException("cannot open the store in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** Fails early, before anything is started, when files cannot be created in the directory. */
    private static void probeWritable(Path dataDir) throws IOException {
        Path probe = Files.createTempFile(dataDir, ".write-probe", ".tmp");
        Files.delete(probe);
    }

    private static BadInputException unusable(Path dataDir, IOException e) {
        String reason = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileAlreadyExistsException exists ? exists.getFile() + " is a file, not a directory"
                : e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                : e.getMessage();
        return new BadInputException("cannot write to data directory " + dataDir + " (" + reason + "); choose a "
                + "writable directory with --data-dir DIR", e);
    }

    /** Authentication and authorization as the flags ask (see {@link ServeOptions}). */
    private static ApiSecurity security(ServeOptions options, Path dataDir, String token) throws IOException {
        ApiSecurity security = ApiSecurity.adminTokenOnly(token)
                .withAuthorization(options.authorization)
                .withClientCertificates(options.clientCaFile != null)
                .withIssuer(options.serviceAccountIssuer, List.of());
        Path keyFile = options.serviceAccountSigningKeyFile != null ? options.serviceAccountSigningKeyFile
                : dataDir.resolve("service-account.key");
        try {
            security = security.withSigningKey(SigningKey.loadOrCreate(keyFile));
        } catch (IOException e) {
            throw new BadInputException("--service-account-signing-key-file " + keyFile + ": " + e.getMessage(), e);
        }
        if (options.tokenAuthFile != null) {
            try {
                security = security.withTokenFile(TokenFile.read(options.tokenAuthFile));
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--token-auth-file: " + e.getMessage(), e);
            }
        }
        return security;
    }

    private static Path readable(Path file, String flag) {
        if (!Files.isReadable(file)) {
            throw new BadInputException(flag + " " + file + " does not exist or cannot be read", null);
        }
        return file;
    }

    private static ApiServer listen(ReferenceStore store, ServeOptions options, SSLContext ssl, ApiSecurity security)
            throws IOException {
        try {
            return ApiServer.start(store, options.host, options.port, ssl, security);
        } catch (BindException e) {
            throw new BadInputException("cannot listen on " + options.host + ":" + options.port + " (" + e.getMessage()
                    + "): is another Kardia running? Stop it, or choose another port with --port PORT (0 picks a free one)", e);
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
        PrivateFiles.writeString(file, t + "\n"); // created 0600, never readable by others even briefly
        return t;
    }
}
