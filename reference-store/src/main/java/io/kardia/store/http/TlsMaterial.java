package io.kardia.store.http;

import io.kardia.store.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The server's TLS identity: a self-signed CA and a server certificate for 127.0.0.1/localhost
 * that it signed, kept in {@code <data-dir>/tls}. Made once with the JDK's own {@code keytool}
 * (no extra dependency), reused on later starts so clients keep trusting the same CA.
 *
 * <p>The directory is 0700 and every file in it 0600. The keystores' password is random, made on
 * first use and kept in {@code keystore-password} (0600); it reaches keytool through its
 * environment, never its command line. Keystores of older versions, protected by a fixed
 * password, are re-protected with a new random one on first start.
 */
public final class TlsMaterial {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TlsMaterial.class);
    /** What versions before random passwords used: only ever read, to migrate their keystores. */
    private static final String LEGACY_PASSWORD = "kardia-local";
    private static final String PASSWORD_ENV = "KARDIA_KEYSTORE_PASSWORD";

    private final Path dir;
    private final String password;

    private TlsMaterial(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    /** Loads the material in {@code dir}, creating it first if absent. */
    public static TlsMaterial ensure(Path dir) throws IOException {
        PrivateFiles.directory(dir);
        TlsMaterial m = new TlsMaterial(dir, password(dir.resolve("keystore-password")));
        if (!Files.exists(m.serverStore()) || !Files.exists(m.caPemFile())) {
            m.generate();
        } else {
            m.migrateLegacy(m.caStore());
            m.migrateLegacy(m.serverStore());
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    PrivateFiles.restrict(f);
                }
            }
        }
        return m;
    }

    private static String password(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String p = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        PrivateFiles.writeString(file, p + "\n");
        return p;
    }

    private Path caStore() { return dir.resolve("ca.p12"); }
    private Path serverStore() { return dir.resolve("server.p12"); }
    public Path caPemFile() { return dir.resolve("ca.crt"); }

    public String caPem() throws IOException {
        return Files.readString(caPemFile(), StandardCharsets.US_ASCII);
    }

    public SSLContext sslContext() throws IOException {
        try {
            KeyStore ks = load(serverStore(), password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the server certificate in " + serverStore() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The server's TLS context that also verifies client certificates against this CA and
     * {@code clientCaPem} (a PEM bundle, kube-apiserver's {@code --client-ca-file}; null for none).
     */
    public SSLContext serverContext(Path clientCaPem) throws IOException {
        try {
            KeyStore ks = load(serverStore(), password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password.toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Path pem : clientCaPem == null ? List.of(caPemFile()) : List.of(caPemFile(), clientCaPem)) {
                try (InputStream in = Files.newInputStream(pem)) {
                    for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        trust.setCertificateEntry("client-ca-" + i++, c);
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the server certificate or the client CA"
                    + (clientCaPem == null ? "" : " " + clientCaPem) + ": " + e.getMessage(), e);
        }
    }

    /** A client certificate and its key, both PEM, as a kubeconfig's client-certificate-data and client-key-data hold them. */
    public record ClientCredentials(String certificatePem, String privateKeyPem) {
    }

    /**
     * Issues a client certificate signed by this CA for {@code user} in {@code groups} (subject
     * CN=user, O=group...), valid for a year: what an administrator hands a user for
     * certificate authentication.
     */
    public ClientCredentials issueClientCertificate(String user, List<String> groups) throws IOException {
        Path work = Files.createTempDirectory(dir, "client-");
        try {
            Path store = work.resolve("client.p12");
            Path csr = work.resolve("client.csr");
            Path signed = work.resolve("client.crt");
            StringBuilder dname = new StringBuilder("CN=").append(dnEscape(user));
            for (String g : groups) {
                dname.append(", O=").append(dnEscape(g));
            }
            keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname.toString(),
                    "-validity", "365", "-keystore", store.toString());
            keytool("-certreq", "-alias", "client", "-keystore", store.toString(), "-file", csr.toString());
            keytool("-gencert", "-alias", "ca", "-keystore", caStore().toString(), "-infile", csr.toString(),
                    "-outfile", signed.toString(), "-rfc", "-validity", "365", "-ext", "eku=clientAuth");
            String key;
            try {
                java.security.Key k = load(store, password).getKey("client", password.toCharArray());
                key = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(k.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot read the client key just made: " + e.getMessage(), e);
            }
            return new ClientCredentials(Files.readString(signed, StandardCharsets.US_ASCII), key);
        } finally {
            try (var files = Files.list(work)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    private static String dnEscape(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,").replace("+", "\\+").replace("\"", "\\\"")
                .replace("<", "\\<").replace(">", "\\>").replace(";", "\\;").replace("=", "\\=");
    }

    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            return ks;
        }
    }

    /** A keystore still under the fixed password of older versions is re-protected with the random one. */
    private void migrateLegacy(Path file) throws IOException {
        try {
            load(file, password);
            return; // already ours
        } catch (IOException | GeneralSecurityException notOurs) {
            // try the legacy password below
        }
        KeyStore legacy;
        try {
            legacy = load(file, LEGACY_PASSWORD);
        } catch (IOException | GeneralSecurityException e) {
            throw new IOException("cannot open " + file + " with its password (keystore-password); delete "
                    + dir + " to make new TLS material (clients must then use the new kubeconfig)", e);
        }
        try {
            KeyStore fresh = KeyStore.getInstance("PKCS12");
            fresh.load(null, null);
            for (String alias : java.util.Collections.list(legacy.aliases())) {
                if (legacy.isKeyEntry(alias)) {
                    fresh.setKeyEntry(alias, legacy.getKey(alias, LEGACY_PASSWORD.toCharArray()), password.toCharArray(),
                            legacy.getCertificateChain(alias));
                } else {
                    fresh.setCertificateEntry(alias, legacy.getCertificate(alias));
                }
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try (var channel = PrivateFiles.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 var out = java.nio.channels.Channels.newOutputStream(channel)) {
                fresh.store(out, password.toCharArray());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Re-protected {} with a random password (kept in {})", file, dir.resolve("keystore-password"));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot re-protect " + file + ": " + e.getMessage(), e);
        }
    }

    private void generate() throws IOException {
        Path csr = dir.resolve("server.csr");
        Path signed = dir.resolve("server.crt");
        Files.deleteIfExists(caStore());
        Files.deleteIfExists(serverStore());
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=kardia-ca",
                "-ext", "bc:c", "-validity", "3650", "-keystore", caStore().toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore().toString(), "-file", caPemFile().toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=kardia",
                "-validity", "3650", "-keystore", serverStore().toString());
        keytool("-certreq", "-alias", "server", "-keystore", serverStore().toString(), "-file", csr.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", caStore().toString(), "-infile", csr.toString(),
                "-outfile", signed.toString(), "-rfc", "-validity", "3650",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth");
        // The server entry needs the chain CA -> server: import the CA first, then the signed reply.
        keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", serverStore().toString(),
                "-file", caPemFile().toString());
        keytool("-importcert", "-alias", "server", "-keystore", serverStore().toString(), "-file", signed.toString());
        Files.deleteIfExists(csr);
        Files.deleteIfExists(signed);
    }

    private void keytool(String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path keytool = Path.of(java).resolveSibling("keytool");
        List<String> cmd = new ArrayList<>();
        cmd.add(Files.isExecutable(keytool) ? keytool.toString() : "keytool");
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass:env", PASSWORD_ENV));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().put(PASSWORD_ENV, password);
        Process p = builder.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating TLS material", e);
        }
    }
}
