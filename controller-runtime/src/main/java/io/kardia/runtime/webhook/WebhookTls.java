package io.kardia.runtime.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import okhttp3.tls.HeldCertificate;

/**
 * The webhook server's TLS identity: from files ({@link #fromCertDir}: {@code tls.crt},
 * {@code tls.key} and, when present, {@code ca.crt}, as a Kubernetes TLS Secret or cert-manager
 * mounts them; reloaded when they change), or made in memory ({@link #selfSigned}: a fresh CA
 * and a server certificate it signed, for tests and {@code kardia up}). {@link #caBundle()} is
 * what webhook configurations put in {@code clientConfig.caBundle} so the API server trusts it.
 */
public final class WebhookTls {
    private final ReloadingKeyManager keys;
    private final String caPem;
    private final Path caFile;

    private WebhookTls(ReloadingKeyManager keys, String caPem, Path caFile) {
        this.keys = keys;
        this.caPem = caPem;
        this.caFile = caFile;
    }

    /**
     * A self-signed CA (made now, in memory) and a server certificate for {@code hosts} (DNS names
     * or IP addresses, e.g. {@code 127.0.0.1}, {@code my-webhook.my-ns.svc}), valid for a year.
     */
    public static WebhookTls selfSigned(List<String> hosts) {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("kardia-webhook-ca")
                .duration(366, java.util.concurrent.TimeUnit.DAYS).build();
        HeldCertificate.Builder server = new HeldCertificate.Builder().commonName(hosts.isEmpty() ? "webhook" : hosts.get(0))
                .duration(365, java.util.concurrent.TimeUnit.DAYS).signedBy(ca);
        hosts.forEach(server::addSubjectAlternativeName);
        HeldCertificate cert = server.build();
        try {
            return new WebhookTls(new ReloadingKeyManager(cert.keyPair().getPrivate(), List.of(cert.certificate(), ca.certificate())),
                    ca.certificatePem(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not make the webhook server's certificate: " + e.getMessage(), e);
        }
    }

    /**
     * {@code tls.crt} and {@code tls.key} of {@code dir} (controller-runtime's certDir layout), read
     * again whenever they change; {@code ca.crt}, when present, is the caBundle.
     *
     * @throws IllegalArgumentException when the files cannot be read or do not hold a certificate and its key
     */
    public static WebhookTls fromCertDir(Path dir) {
        return fromFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"), dir.resolve("ca.crt"));
    }

    /** As {@link #fromCertDir}, with the files named; {@code caFile} may be null or missing. */
    public static WebhookTls fromFiles(Path certFile, Path keyFile, Path caFile) {
        try {
            return new WebhookTls(new ReloadingKeyManager(certFile, keyFile), null, caFile);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("webhook server certificate " + certFile + " and key " + keyFile
                    + " could not be read: " + e.getMessage(), e);
        }
    }

    /** The base64 PEM of the CA that signed the server certificate, for {@code clientConfig.caBundle}, if known. */
    public Optional<String> caBundle() {
        String pem = caPem;
        if (pem == null && caFile != null && Files.isRegularFile(caFile)) {
            try {
                pem = Files.readString(caFile, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + caFile, e);
            }
        }
        return Optional.ofNullable(pem).map(p -> Base64.getEncoder().encodeToString(p.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The server certificate in use now. */
    public java.security.cert.X509Certificate certificate() {
        return keys.certificate();
    }

    SSLContext sslContext() {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(new KeyManager[] {keys}, null, new SecureRandom());
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS setup failed: " + e.getMessage(), e);
        }
    }
}
