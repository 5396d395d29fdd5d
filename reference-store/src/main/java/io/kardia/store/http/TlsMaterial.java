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
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.Base64;
import java.security.KeyStore;
import java.util.List;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The server's TLS identity: a self-signed CA and a server certificate for localhost, 127.0.0.1 and ::1
 * that it signed, kept in {@code <data-dir>/tls}. Made once, in process ({@link CertificateAuthority},
 * BouncyCastle; the JDK's {@code keytool} as seven child JVMs took seconds),
 * reused on later starts so clients keep trusting the same CA.
 *
 * <p>The directory is 0700 and every file in it 0600. The keystores' password is random, made on
 * first use and kept in {@code keystore-password} (0600). Keystores of older versions, protected by a fixed
 * password, are re-protected with a new random one on first start. The keystores are written with
 * 1,000 PBKDF2 iterations for the key and the MAC and unencrypted certificates ({@link Pkcs12Writer})
 * instead of the JDK's 10,000 for each of the three, which was the largest cost left in a first
 * start and is paid again on every load; with a 192-bit random password the count protects nothing.
 */
public final class TlsMaterial {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TlsMaterial.class);
    /** What versions before random passwords used: only ever read, to migrate their keystores. */
    private static final String LEGACY_PASSWORD = "kardia-local";
    private static final String CA_ALIAS = "ca";
    private static final String SERVER_ALIAS = "server";
    private static final String CA_NAME = "kardia-ca";
    private static final String SERVER_DN = "CN=kardia";
    private static final List<String> SERVER_DNS_NAMES = List.of("localhost");
    private static final List<String> SERVER_IP_ADDRESSES = List.of("127.0.0.1", "::1");
    /** CA and server certificate: ten years, as before. */
    private static final Duration VALIDITY = Duration.ofDays(3650);
    private static final Duration CLIENT_VALIDITY = Duration.ofDays(365);

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
        StringBuilder dname = new StringBuilder("CN=").append(dnEscape(user));
        for (String g : groups) {
            dname.append(", O=").append(dnEscape(g));
        }
        try {
            CertificateAuthority.Issued client = authority().issueClient(dname.toString(), CLIENT_VALIDITY);
            return new ClientCredentials(pem("CERTIFICATE", client.certificate().getEncoded()),
                    pem("PRIVATE KEY", client.key().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot issue a client certificate for " + user + ": " + e.getMessage(), e);
        }
    }

    /** The CA kept in {@code ca.p12}, which signs client certificates. */
    private CertificateAuthority authority() throws IOException, GeneralSecurityException {
        KeyStore ks = load(caStore(), password);
        return new CertificateAuthority(new CertificateAuthority.Issued(
                (PrivateKey) ks.getKey(CA_ALIAS, password.toCharArray()), (X509Certificate) ks.getCertificate(CA_ALIAS)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
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

    /**
     * Makes the CA ({@code ca.p12}, entry "ca"; its certificate also in {@code ca.crt}) and the
     * server's key and certificate ({@code server.p12}, entry "server" with the chain server -> CA,
     * plus the CA as trusted entry "ca"), all in process.
     */
    private void generate() throws IOException {
        try {
            CertificateAuthority authority = CertificateAuthority.create(CA_NAME, VALIDITY);
            CertificateAuthority.Issued ca = authority.ca();
            CertificateAuthority.Issued server = authority.issueServer(SERVER_DN, SERVER_DNS_NAMES, SERVER_IP_ADDRESSES, VALIDITY);

            // Written with their cost chosen (Pkcs12Writer): the JDK's defaults were most of a first start's TLS time.
            byte[] caStore = Pkcs12Writer.write(CA_ALIAS, ca.key(), new X509Certificate[] {ca.certificate()}, null,
                    password.toCharArray());
            byte[] serverStore = Pkcs12Writer.write(SERVER_ALIAS, server.key(),
                    new X509Certificate[] {server.certificate(), ca.certificate()}, CA_ALIAS, password.toCharArray());

            // ca.crt last: its presence with server.p12 is what marks the material complete.
            writePrivately(caStore(), caStore);
            writePrivately(serverStore(), serverStore);
            writePrivately(caPemFile(), pem("CERTIFICATE", ca.certificate().getEncoded()).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the TLS material in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code file} 0600 through a temporary sibling and an atomic move, replacing what was there. */
    private static void writePrivately(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (var channel = PrivateFiles.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(content));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
