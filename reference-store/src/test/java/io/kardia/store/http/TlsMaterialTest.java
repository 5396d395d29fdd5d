package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificates TlsMaterial makes: what clients and kube-apiserver-style checks rely on. */
class TlsMaterialTest {
    @TempDir
    Path tmp;

    @Test
    void caIsASelfSignedEd25519CertificateAuthority() throws Exception {
        TlsMaterial tls = TlsMaterial.ensure(tmp.resolve("tls"));
        X509Certificate ca = certificate(tls.caPem());

        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=kardia-ca");
        assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(ca.getBasicConstraints()).as("CA:true").isNotNegative();
        assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19");
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(((EdECPublicKey) ca.getPublicKey()).getParams().getName()).isEqualTo("Ed25519");
        assertThat(ca.getSigAlgName()).isEqualTo("Ed25519");
        assertValidFor(ca, Duration.ofDays(3650));
        ca.verify(ca.getPublicKey());
    }

    @Test
    void serverCertificateNamesLoopbackAndChainsToTheCa() throws Exception {
        Path dir = tmp.resolve("tls");
        TlsMaterial tls = TlsMaterial.ensure(dir);
        X509Certificate ca = certificate(tls.caPem());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            store.load(in, Files.readString(dir.resolve("keystore-password")).strip().toCharArray());
        }
        var chain = store.getCertificateChain("server");
        X509Certificate server = (X509Certificate) chain[0];

        assertThat(chain).hasSize(2);
        assertThat(chain[1]).isEqualTo(ca);
        assertThat(store.getCertificate("ca")).isEqualTo(ca);
        server.verify(ca.getPublicKey());
        assertThat(server.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=kardia");
        assertThat(server.getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1))
                .containsExactlyInAnyOrder((Object) "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        // Ed25519: the cheapest for a cold client to verify (see CertificateAuthority)
        assertThat(((EdECPublicKey) server.getPublicKey()).getParams().getName()).isEqualTo("Ed25519");
        assertValidFor(server, Duration.ofDays(3650));
    }

    @Test
    void materialOnDiskIsReusedOnTheNextStart() throws Exception {
        Path dir = tmp.resolve("tls");
        String first = TlsMaterial.ensure(dir).caPem();
        assertThat(TlsMaterial.ensure(dir).caPem()).isEqualTo(first);
    }

    @Test
    void clientCertificateCarriesUserAndGroupsAndIsSignedByTheCa() throws Exception {
        TlsMaterial tls = TlsMaterial.ensure(tmp.resolve("tls"));
        X509Certificate ca = certificate(tls.caPem());
        TlsMaterial.ClientCredentials creds = tls.issueClientCertificate("alice, the admin", List.of("system:masters", "dev"));
        X509Certificate client = certificate(creds.certificatePem());

        client.verify(ca.getPublicKey());
        assertThat(((ECPublicKey) client.getPublicKey()).getParams().toString()).as("P-256, which every client can sign with")
                .contains("secp256r1");
        assertThat(client.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        List<String> cn = new java.util.ArrayList<>();
        List<String> o = new java.util.ArrayList<>();
        for (Rdn rdn : new LdapName(client.getSubjectX500Principal().getName()).getRdns()) {
            (rdn.getType().equals("CN") ? cn : o).add(String.valueOf(rdn.getValue()));
        }
        assertThat(cn).containsExactly("alice, the admin");
        assertThat(o).containsExactlyInAnyOrder("system:masters", "dev");
        assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertValidFor(client, Duration.ofDays(365));

        // The key in the PEM is the certificate's: what it signs, the certificate's key verifies.
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder()
                .decode(creds.privateKeyPem().replaceAll("-----[A-Z ]+-----", ""))));
        byte[] data = "proof".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(client.getPublicKey());
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void clientCertificateOfAnotherCaDoesNotVerify() throws Exception {
        TlsMaterial ours = TlsMaterial.ensure(tmp.resolve("ours"));
        TlsMaterial theirs = TlsMaterial.ensure(tmp.resolve("theirs"));
        X509Certificate foreign = certificate(theirs.issueClientCertificate("mallory", List.of()).certificatePem());
        assertThatThrownBy(() -> foreign.verify(certificate(ours.caPem()).getPublicKey()))
                .isInstanceOf(SignatureException.class);
    }

    private static void assertValidFor(X509Certificate c, Duration validity) {
        Duration actual = Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
        assertThat(actual).isEqualTo(validity);
        assertThat(c.getNotBefore().toInstant()).isBefore(Instant.now().plusSeconds(1));
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
