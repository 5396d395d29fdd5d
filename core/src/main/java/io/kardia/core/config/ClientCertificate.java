package io.kardia.core.config;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A TLS client certificate chain and its private key. {@link #toString()} shows the subject only.
 *
 * @param chain the client certificate first, then any intermediates
 * @param key   the private key of the first certificate
 */
public record ClientCertificate(List<X509Certificate> chain, PrivateKey key) {
    public ClientCertificate {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a client certificate chain needs at least one certificate");
        }
        if (key == null) {
            throw new IllegalArgumentException("a client certificate needs its private key");
        }
    }

    /** Parses PEM text (certificates, and a PKCS#8, PKCS#1 RSA or SEC1 EC key). */
    public static ClientCertificate fromPem(String certificatesPem, String keyPem) {
        return new ClientCertificate(Pem.certificates(certificatesPem), Pem.privateKey(keyPem));
    }

    @Override
    public String toString() {
        return "ClientCertificate[subject=" + chain.getFirst().getSubjectX500Principal().getName()
                + ", key=" + key.getAlgorithm() + " <redacted>]";
    }
}
