package io.kardia.store.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The server's TLS identity: a self-signed CA and a server certificate for 127.0.0.1/localhost
 * that it signed, kept in {@code <data-dir>/tls}. Made once with the JDK's own {@code keytool}
 * (no extra dependency), reused on later starts so clients keep trusting the same CA.
 */
public final class TlsMaterial {
    private static final String STORE_PASSWORD = "kardia-local";

    private final Path dir;

    private TlsMaterial(Path dir) {
        this.dir = dir;
    }

    /** Loads the material in {@code dir}, creating it first if absent. */
    public static TlsMaterial ensure(Path dir) throws IOException {
        TlsMaterial m = new TlsMaterial(dir);
        if (!Files.exists(m.serverStore()) || !Files.exists(m.caPemFile())) {
            m.generate();
        }
        return m;
    }

    private Path caStore() { return dir.resolve("ca.p12"); }
    private Path serverStore() { return dir.resolve("server.p12"); }
    public Path caPemFile() { return dir.resolve("ca.crt"); }

    public String caPem() throws IOException {
        return Files.readString(caPemFile(), StandardCharsets.US_ASCII);
    }

    public SSLContext sslContext() throws IOException {
        try (InputStream in = Files.newInputStream(serverStore())) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, STORE_PASSWORD.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, STORE_PASSWORD.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the server certificate in " + serverStore() + ": " + e.getMessage(), e);
        }
    }

    private void generate() throws IOException {
        Files.createDirectories(dir);
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

    private static void keytool(String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path keytool = Path.of(java).resolveSibling("keytool");
        List<String> cmd = new ArrayList<>();
        cmd.add(Files.isExecutable(keytool) ? keytool.toString() : "keytool");
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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
