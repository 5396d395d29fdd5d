package io.kardia.core.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM decoding with the JDK alone: X.509 certificates, and private keys in PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}) form.
 * PKCS#1 and SEC1 keys are wrapped into PKCS#8 DER here, so no BouncyCastle is needed.
 * Errors are {@link IllegalArgumentException}s that never quote the key material.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] OID_RSA = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] OID_EC = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] DER_NULL = {0x05, 0x00};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private Pem() {
    }

    /** One decoded PEM block. */
    record Block(String label, byte[] der) {
    }

    static List<Block> blocks(String pem) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String body = m.group(2).replaceAll("(?m)^[A-Za-z-]+:.*$", ""); // drop RFC 1421 headers
            try {
                out.add(new Block(m.group(1), Base64.getDecoder().decode(body.replaceAll("\\s", ""))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PEM block " + m.group(1) + " is not valid base64");
            }
        }
        return out;
    }

    /** All certificates in the text, in order; at least one. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(pem)) {
                if (b.label().equals("CERTIFICATE")) {
                    certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("invalid X.509 certificate in PEM: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("no PEM block \"BEGIN CERTIFICATE\" found");
        }
        return certs;
    }

    /** The first private key in the text (other blocks such as {@code EC PARAMETERS} are skipped). */
    public static PrivateKey privateKey(String pem) {
        for (Block b : blocks(pem)) {
            switch (b.label()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(b.der(), "PKCS#8");
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(wrapPkcs1(b.der()), "PKCS#1 RSA");
                }
                case "EC PRIVATE KEY" -> {
                    return pkcs8(wrapSec1(b.der()), "SEC1 EC");
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(
                        "encrypted private keys are not supported; decrypt the key first");
                default -> {
                    // not a key: keep looking
                }
            }
        }
        throw new IllegalArgumentException(
                "no PEM private key found (expected BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(byte[] der, String form) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("cannot decode the " + form + " private key (malformed or unsupported algorithm)");
    }

    /** PKCS#8 PrivateKeyInfo { version 0, rsaEncryption NULL, OCTET STRING pkcs1 }. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] algorithm = tlv(0x30, concat(OID_RSA, DER_NULL));
        return tlv(0x30, concat(VERSION_0, algorithm, tlv(0x04, pkcs1)));
    }

    /**
     * PKCS#8 PrivateKeyInfo { version 0, { ecPublicKey, namedCurve }, OCTET STRING sec1 }; the
     * curve comes from the SEC1 structure's [0] parameters, which openssl always writes.
     */
    static byte[] wrapSec1(byte[] sec1) {
        byte[] curveOid = null;
        Der outer = new Der(sec1, 0);
        if (outer.tag != 0x30) {
            throw new IllegalArgumentException("EC PRIVATE KEY is not a DER SEQUENCE");
        }
        int pos = outer.contentStart;
        while (pos < outer.end()) {
            Der field = new Der(sec1, pos);
            if (field.tag == 0xa0) { // [0] ECParameters: namedCurve OID
                Der oid = new Der(sec1, field.contentStart);
                if (oid.tag == 0x06) {
                    curveOid = Arrays.copyOfRange(sec1, oid.start, oid.end());
                }
            }
            pos = field.end();
        }
        if (curveOid == null) {
            throw new IllegalArgumentException("EC PRIVATE KEY has no named-curve parameters; convert it to PKCS#8");
        }
        byte[] algorithm = tlv(0x30, concat(OID_EC, curveOid));
        return tlv(0x30, concat(VERSION_0, algorithm, tlv(0x04, sec1)));
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else {
            int bytes = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write((len >>> (8 * i)) & 0xff);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A DER tag-length header read at an offset (single-byte tags, definite lengths). */
    private static final class Der {
        final int start;
        final int tag;
        final int contentStart;
        final int length;

        Der(byte[] data, int offset) {
            if (offset + 2 > data.length) {
                throw new IllegalArgumentException("truncated DER structure in private key");
            }
            start = offset;
            tag = data[offset] & 0xff;
            int first = data[offset + 1] & 0xff;
            int pos = offset + 2;
            int len;
            if (first < 0x80) {
                len = first;
            } else {
                int n = first & 0x7f;
                if (n == 0 || n > 4 || pos + n > data.length) {
                    throw new IllegalArgumentException("invalid DER length in private key");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (data[pos++] & 0xff);
                }
            }
            contentStart = pos;
            length = len;
            if (len < 0 || contentStart + len > data.length) {
                throw new IllegalArgumentException("truncated DER structure in private key");
            }
        }

        int end() {
            return contentStart + length;
        }
    }
}
