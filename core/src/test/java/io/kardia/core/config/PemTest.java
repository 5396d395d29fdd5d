package io.kardia.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;

class PemTest {
    static final HeldCertificate RSA = new HeldCertificate.Builder().rsa2048().commonName("rsa").build();
    static final HeldCertificate EC = new HeldCertificate.Builder().ecdsa256().commonName("ec").build();

    @Test
    void readsRsaKeysInPkcs1AndPkcs8Form() {
        assertThat(RSA.privateKeyPkcs1Pem()).contains("BEGIN RSA PRIVATE KEY");
        PrivateKey pkcs1 = Pem.privateKey(RSA.privateKeyPkcs1Pem());
        PrivateKey pkcs8 = Pem.privateKey(RSA.privateKeyPkcs8Pem());
        assertThat(pkcs1.getAlgorithm()).isEqualTo("RSA");
        assertThat(pkcs1.getEncoded()).isEqualTo(RSA.keyPair().getPrivate().getEncoded());
        assertThat(pkcs8.getEncoded()).isEqualTo(RSA.keyPair().getPrivate().getEncoded());
    }

    @Test
    void readsEcKeysInPkcs8Form() {
        PrivateKey key = Pem.privateKey(EC.privateKeyPkcs8Pem());
        assertThat(key.getAlgorithm()).isEqualTo("EC");
        assertThat(key.getEncoded()).isEqualTo(EC.keyPair().getPrivate().getEncoded());
    }

    @Test
    void readsOpenSslSec1EcKeysAfterTheirParametersBlock() throws Exception {
        String keyPem = TestFiles.resource("ec-sec1-client.key");
        assertThat(keyPem).contains("BEGIN EC PARAMETERS").contains("BEGIN EC PRIVATE KEY");
        PrivateKey key = Pem.privateKey(keyPem);
        X509Certificate cert = Pem.certificates(TestFiles.resource("ec-sec1-client.crt")).getFirst();

        // The key is the certificate's: a signature made with it verifies with the certificate.
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update("hello".getBytes(StandardCharsets.UTF_8));
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void readsCertificateChainsInOrder() {
        var chain = Pem.certificates("junk before\n" + RSA.certificatePem() + EC.certificatePem());
        assertThat(chain).extracting(c -> c.getSubjectX500Principal().getName()).containsExactly("CN=rsa", "CN=ec");
    }

    @Test
    void badInputGetsClearErrorsThatDoNotQuoteTheKey() {
        assertThatThrownBy(() -> Pem.privateKey("nothing here")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no PEM private key found");
        assertThatThrownBy(() -> Pem.certificates(RSA.privateKeyPkcs8Pem())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BEGIN CERTIFICATE");
        assertThatThrownBy(() -> Pem.privateKey("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----"))
                .hasMessageContaining("encrypted private keys are not supported");
        assertThatThrownBy(() -> Pem.privateKey("-----BEGIN RSA PRIVATE KEY-----\n%%%%\n-----END RSA PRIVATE KEY-----"))
                .hasMessageContaining("not valid base64");
        String truncatedBody = Base64.getEncoder().encodeToString(new byte[] {0x30, 0x05, 0x02, 0x01, 0x00});
        String truncated = "-----BEGIN RSA PRIVATE KEY-----\n" + truncatedBody + "\n-----END RSA PRIVATE KEY-----";
        assertThatThrownBy(() -> Pem.privateKey(truncated)).hasMessageContaining("cannot decode the PKCS#1 RSA private key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(truncatedBody));
        String sec1 = "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(new byte[] {0x30, 0x7f, 0x02})
                + "\n-----END EC PRIVATE KEY-----";
        assertThatThrownBy(() -> Pem.privateKey(sec1)).hasMessageContaining("truncated DER");
    }
}
