package io.kardia.store.http;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.SafeBag;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;

/**
 * Writes a PKCS#12 keystore that Java's {@code KeyStore.getInstance("PKCS12")} reads, with its
 * cost chosen rather than the JDK's defaults (10,000 PBKDF2 iterations each for the key, the
 * certificates and the MAC, paid again on every load). The key is encrypted as the JDK does it
 * (PBES2: PBKDF2 with HMAC-SHA256, AES-256-CBC) and the file is authenticated with an HMAC-SHA256
 * MAC, each with {@value #ITERATIONS} iterations; certificates, which are public (the CA's is
 * written as {@code ca.crt} beside it), are not encrypted. Our keystores' password is 192 random
 * bits, which no iteration count makes stronger or weaker to guess; iterations only slow guessing
 * of human passwords.
 */
final class Pkcs12Writer {
    /** PBKDF2 iterations of the key encryption and of the MAC (PKCS#5's old minimum). */
    static final int ITERATIONS = 1000;
    /** Oracle's attribute that marks a certificate bag as a trusted-certificate entry for Java's KeyStore. */
    private static final ASN1ObjectIdentifier JDK_TRUSTED_KEY_USAGE = new ASN1ObjectIdentifier("2.16.840.1.113894.746875.1.1");
    private static final ASN1ObjectIdentifier ANY_EXTENDED_KEY_USAGE = Extension.extendedKeyUsage.branch("0");

    private Pkcs12Writer() {
    }

    /** The key as PKCS#8 EncryptedPrivateKeyInfo, encrypted by the JDK exactly as its own PKCS12 keystore does. */
    private static byte[] encrypt(PrivateKey key, char[] password) throws GeneralSecurityException, IOException {
        byte[] salt = new byte[20];
        byte[] iv = new byte[16];
        SecureRandom random = new SecureRandom();
        random.nextBytes(salt);
        random.nextBytes(iv);
        String algorithm = "PBEWithHmacSHA256AndAES_256";
        SecretKey secret = SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password));
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.ENCRYPT_MODE, secret, new PBEParameterSpec(salt, ITERATIONS, new IvParameterSpec(iv)));
        byte[] encrypted = cipher.doFinal(key.getEncoded());
        // PBES2 parameters (PBKDF2 salt and count, AES IV) as the JDK encodes them
        AlgorithmIdentifier pbes2 = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2,
                org.bouncycastle.asn1.ASN1Primitive.fromByteArray(cipher.getParameters().getEncoded()));
        return new org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo(pbes2, encrypted).getEncoded(ASN1Encoding.DER);
    }

    /**
     * A keystore with one key entry ({@code alias}: {@code key} with {@code chain}, leaf first) and,
     * when {@code trustedAlias} is not null, the chain's last certificate also as a trusted entry of that name.
     */
    static byte[] write(String alias, PrivateKey key, X509Certificate[] chain, String trustedAlias, char[] password)
            throws IOException, GeneralSecurityException {
        try {
            byte[] keyId = new byte[20];
            new SecureRandom().nextBytes(keyId);
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            for (int i = 0; i < chain.length; i++) {
                PKCS12SafeBagBuilder cert = new JcaPKCS12SafeBagBuilder(chain[i]);
                if (i == 0) {
                    cert.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(alias));
                    cert.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new DEROctetString(keyId));
                } else if (i == chain.length - 1 && trustedAlias != null) {
                    cert.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(trustedAlias));
                    cert.addBagAttribute(JDK_TRUSTED_KEY_USAGE, ANY_EXTENDED_KEY_USAGE);
                }
                pfx.addData(cert.build());
            }
            // a shrouded key bag around the JDK's encryption (BouncyCastle's own builder would need its provider)
            pfx.addData(new PKCS12SafeBag(new SafeBag(PKCSObjectIdentifiers.pkcs8ShroudedKeyBag,
                    org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo.getInstance(encrypt(key, password)),
                    new DERSet(new ASN1Encodable[] {
                            new Attribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERSet(new DERBMPString(alias))),
                            new Attribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new DERSet(new DEROctetString(keyId)))}))));
            return pfx.build(new BcPKCS12MacCalculatorBuilder(new SHA256Digest(),
                            new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE)).setIterationCount(ITERATIONS), password)
                    .getEncoded(ASN1Encoding.DER);
        } catch (PKCSException e) {
            throw new GeneralSecurityException("cannot write a PKCS#12 keystore: " + e.getMessage(), e);
        }
    }
}
