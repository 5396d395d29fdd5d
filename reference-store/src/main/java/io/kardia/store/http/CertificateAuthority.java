package io.kardia.store.http;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the key pairs and X.509 certificates of the store's TLS identity in process with
 * BouncyCastle: a self-signed CA, server certificates and client certificates it signs. Keys and
 * signatures come from the JDK's own providers; BouncyCastle only builds the certificates. Holds
 * no files: {@link TlsMaterial} keeps them.
 *
 * <p>The CA and server keys are Ed25519: what a client checks in a full TLS handshake (the CA's
 * signature on the server certificate and the server's handshake signature) then costs a cold
 * client JVM about 250 ms less CPU than with P-256 ECDSA, whose arithmetic the JDK runs in
 * interpreted Java until it is compiled (benchmarks/README.md, operator start-up), and the keys
 * are the cheapest to make at a first start (RSA-2048 costs about a second more per start of a
 * new data directory). Go (kubectl), OpenSSL 1.1.1+ and the JDK 15+ accept them; Windows' own TLS
 * stack and browsers do not. Client certificates keep P-256 keys: the client, not the store,
 * signs with them, and every TLS stack can.
 */
final class CertificateAuthority {
    /** What the CA signs with: its key is Ed25519. */
    private static final String SIGNATURE = "Ed25519";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key pair and its certificate. */
    record Issued(PrivateKey key, X509Certificate certificate) {
    }

    private final Issued ca;

    CertificateAuthority(Issued ca) {
        this.ca = ca;
    }

    Issued ca() {
        return ca;
    }

    /** A new self-signed CA: basicConstraints CA:true (critical), keyCertSign and cRLSign. */
    static CertificateAuthority create(String commonName, Duration validity) throws GeneralSecurityException {
        KeyPair pair = newEd25519KeyPair();
        X500Name subject = name("CN=" + commonName);
        try {
            X509v3CertificateBuilder builder = builder(subject, subject, pair.getPublic(), validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
            return new CertificateAuthority(new Issued(pair.getPrivate(), sign(builder, pair.getPrivate())));
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot build the CA certificate: " + e.getMessage(), e);
        }
    }

    /** A server certificate (serverAuth) for {@code dnsNames} and {@code ipAddresses}. */
    Issued issueServer(String subjectDn, List<String> dnsNames, List<String> ipAddresses, Duration validity)
            throws GeneralSecurityException {
        GeneralName[] names = new GeneralName[dnsNames.size() + ipAddresses.size()];
        int i = 0;
        for (String dns : dnsNames) {
            names[i++] = new GeneralName(GeneralName.dNSName, dns);
        }
        for (String ip : ipAddresses) {
            names[i++] = new GeneralName(GeneralName.iPAddress, ip);
        }
        return issue(subjectDn, KeyPurposeId.id_kp_serverAuth, new GeneralNames(names), validity, newEd25519KeyPair());
    }

    /**
     * A client certificate (clientAuth) for the subject {@code subjectDn}, an RFC 2253 name such
     * as {@code CN=user, O=group}, parsed as the JDK parses it.
     */
    Issued issueClient(String subjectDn, Duration validity) throws GeneralSecurityException {
        return issue(subjectDn, KeyPurposeId.id_kp_clientAuth, null, validity, newP256KeyPair());
    }

    private Issued issue(String subjectDn, KeyPurposeId purpose, GeneralNames altNames, Duration validity, KeyPair pair)
            throws GeneralSecurityException {
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        try {
            X509v3CertificateBuilder builder = builder(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                    name(subjectDn), pair.getPublic(), validity)
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (altNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, altNames);
            }
            return new Issued(pair.getPrivate(), sign(builder, ca.key()));
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot build the certificate for " + subjectDn + ": " + e.getMessage(), e);
        }
    }

    private static KeyPair newEd25519KeyPair() throws GeneralSecurityException {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static KeyPair newP256KeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    /** The JDK's parse of an RFC 2253 name (what keytool's -dname used), so attribute order and escaping stay as before. */
    private static X500Name name(String rfc2253) {
        return X500Name.getInstance(new X500Principal(rfc2253).getEncoded());
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Duration validity) {
        Instant now = Instant.now();
        // A positive random 63-bit serial, as keytool made them.
        BigInteger serial = new BigInteger(63, RANDOM);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(now), Date.from(now.plus(validity)), subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }
}
