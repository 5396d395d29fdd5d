package io.kardia.store.auth;

import io.kardia.store.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * The RSA key that signs ServiceAccount tokens (kube-apiserver's
 * {@code --service-account-signing-key-file}). {@link #loadOrCreate} keeps it in a PKCS#8 PEM
 * file created owner-only, so tokens stay valid across restarts; {@link #ephemeral} lives in
 * memory (tests, in-process stores).
 */
public final class SigningKey {
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private final RSAPublicKey publicKey;
    private final RSAPrivateCrtKey privateKey;

    private SigningKey(RSAPublicKey publicKey, RSAPrivateCrtKey privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    /** One in-memory key for the whole JVM, made on first use: servers started without a key share it (RSA key generation is slow). */
    public static SigningKey shared() {
        return Shared.KEY;
    }

    private static final class Shared {
        static final SigningKey KEY = ephemeral();
    }

    /** A new in-memory key: its tokens die with it. */
    public static SigningKey ephemeral() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair pair = g.generateKeyPair();
            return new SigningKey((RSAPublicKey) pair.getPublic(), (RSAPrivateCrtKey) pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make RSA keys", e);
        }
    }

    /** The key in {@code file}, made (0600) when the file does not exist. */
    public static SigningKey loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return read(file);
        }
        SigningKey key = ephemeral();
        String pem = BEGIN + "\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.privateKey.getEncoded()) + "\n" + END + "\n";
        PrivateFiles.writeString(file, pem);
        return key;
    }

    private static SigningKey read(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        int from = pem.indexOf(BEGIN);
        int to = pem.indexOf(END);
        if (from < 0 || to < from) {
            throw new IOException("the ServiceAccount signing key " + file + " is not a PKCS#8 PEM private key ("
                    + BEGIN + "); delete it to make a new one (tokens issued with the old key become invalid)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + BEGIN.length(), to));
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey priv = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
            RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
            return new SigningKey(pub, priv);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IOException("the ServiceAccount signing key " + file + " is not an RSA private key: " + e.getMessage(), e);
        }
    }

    RSAPublicKey publicKey() {
        return publicKey;
    }

    RSAPrivateCrtKey privateKey() {
        return privateKey;
    }
}
