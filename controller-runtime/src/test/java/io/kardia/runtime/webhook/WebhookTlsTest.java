package io.kardia.runtime.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook server's certificate from files, reloaded when they change (each handshake on a fresh client sees the files' pair). */
class WebhookTlsTest {
    private final HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("test-ca").build();

    private HeldCertificate serverCert(boolean rsa) {
        HeldCertificate.Builder b = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").signedBy(ca);
        return (rsa ? b.rsa2048() : b).build();
    }

    /** Writes the pair as a mounted Secret is updated: each file replaced at once. */
    private static void write(Path dir, HeldCertificate cert, boolean pkcs1) throws Exception {
        replace(dir.resolve("tls.crt"), cert.certificatePem());
        replace(dir.resolve("tls.key"), pkcs1 ? cert.privateKeyPkcs1Pem() : cert.privateKeyPkcs8Pem());
    }

    private static void replace(Path file, String content) throws Exception {
        Path tmp = Files.createTempFile(file.getParent(), "tmp", ".pem");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The serial number of the certificate the server presents to a new client trusting {@link #ca}. */
    private BigInteger servedSerial(int port) throws Exception {
        HandshakeCertificates trust = new HandshakeCertificates.Builder().addTrustedCertificate(ca.certificate()).build();
        try (SSLSocket s = (SSLSocket) trust.sslSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    @Test
    void newCertificateFilesAreServedWithoutARestart(@TempDir Path dir) throws Exception {
        HeldCertificate first = serverCert(false);
        write(dir, first, false);
        Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
        WebhookTls tls = WebhookTls.fromCertDir(dir);
        assertThat(tls.caBundle()).isPresent();
        try (Webhooks webhooks = Webhooks.builder().tls(tls).validator(io.kardia.core.model.ResourceTypes.CONFIG_MAP,
                new WebhooksContract.ConfigMapValidator()).build()) {
            webhooks.start();
            assertThat(servedSerial(webhooks.port())).isEqualTo(first.certificate().getSerialNumber());

            HeldCertificate second = serverCert(true); // an RSA key in PKCS#1, as cert-manager writes RSA keys
            write(dir, second, true);
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> servedSerial(webhooks.port()).equals(second.certificate().getSerialNumber()));

            // a half-written pair (key of another certificate) keeps the current one in use
            replace(dir.resolve("tls.key"), serverCert(false).privateKeyPkcs8Pem().substring(0, 40));
            assertThat(servedSerial(webhooks.port())).isEqualTo(second.certificate().getSerialNumber());
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tls.crt"), serverCert(false).certificatePem());
        Files.writeString(dir.resolve("tls.key"), serverCert(false).privateKeyPkcs8Pem());
        assertThatThrownBy(() -> WebhookTls.fromCertDir(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the private key does not belong to the certificate");
    }

    @Test
    void filesThatDoNotHoldACertificateAndKeyAreRefusedWithTheReason(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tls.crt"), "not a certificate");
        Files.writeString(dir.resolve("tls.key"), serverCert(false).privateKeyPkcs8Pem());
        assertThatThrownBy(() -> WebhookTls.fromCertDir(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("webhook server certificate " + dir.resolve("tls.crt") + " and key " + dir.resolve("tls.key")
                        + " could not be read: ");
    }
}
