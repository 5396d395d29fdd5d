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
import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import com.google.common.hash.Hashing;
import java.io.UncheckedIOException;
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

    /** The key pair, made or written on first use: RSA key generation takes about a second, which start-up should not pay. */
    private final Supplier<Pair> pair;

    private record Pair(RSAPublicKey publicKey, RSAPrivateCrtKey privateKey, String keyId) {
        static Pair of(RSAPublicKey publicKey, RSAPrivateCrtKey privateKey) {
            // kube's key id: the unpadded base64url SHA-256 of the DER public key
            String kid = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Hashing.sha256().hashBytes(publicKey.getEncoded()).asBytes());
            return new Pair(publicKey, privateKey, kid);
        }
    }

    private SigningKey(Supplier<Pair> make) {
        this.pair = Suppliers.memoize(make::get);
    }

    /** One in-memory key for the whole JVM: servers started without a key share it. */
    public static SigningKey shared() {
        return Shared.KEY;
    }

    private static final class Shared {
        static final SigningKey KEY = ephemeral();
    }

    /** A new in-memory key, made when first used: its tokens die with it. */
    public static SigningKey ephemeral() {
        return new SigningKey(SigningKey::generate);
    }

    private static Pair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair pair = g.generateKeyPair();
            return Pair.of((RSAPublicKey) pair.getPublic(), (RSAPrivateCrtKey) pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make RSA keys", e);
        }
    }

    /**
     * The key in {@code file}, read now; when the file does not exist, a new key is made and
     * written (0600) when first used, before any token is signed with it.
     */
    public static SigningKey loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            Pair read = read(file);
            return new SigningKey(() -> read);
        }
        return new SigningKey(() -> {
            Pair made = generate();
            String pem = BEGIN + "\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(made.privateKey().getEncoded()) + "\n" + END + "\n";
            try {
                PrivateFiles.writeString(file, pem);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the ServiceAccount signing key " + file, e);
            }
            return made;
        });
    }

    private static Pair read(Path file) throws IOException {
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
            return Pair.of(pub, priv);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IOException("the ServiceAccount signing key " + file + " is not an RSA private key: " + e.getMessage(), e);
        }
    }

    RSAPublicKey publicKey() {
        return pair.get().publicKey();
    }

    RSAPrivateCrtKey privateKey() {
        return pair.get().privateKey();
    }

    /** kube's key id ({@code kid}) for this key. */
    String keyId() {
        return pair.get().keyId();
    }
}
