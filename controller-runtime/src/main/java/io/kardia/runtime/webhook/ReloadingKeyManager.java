package io.kardia.runtime.webhook;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook server's key and certificate, read again from their files when they change
 * (cert-manager or a mounted Secret rotating them): each TLS handshake first checks the files'
 * modification times and sizes; new files are used from the next handshake on. Files that do
 * not read (half written, key not matching) leave the previous pair in use, with a warning.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingKeyManager.class);
    private static final char[] PASSWORD = new char[0];
    static final String ALIAS = "webhook";

    private final Path certFile;
    private final Path keyFile;
    private volatile X509ExtendedKeyManager delegate;
    private volatile List<Object> stamp;
    /** Files that did not read: not tried (nor warned about) again until they change. */
    private volatile List<Object> failed;

    /** Keys from files, reloaded when they change. */
    ReloadingKeyManager(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.stamp = stamp();
        this.delegate = load(PemKeys.privateKey(Files.readAllBytes(keyFile)), PemKeys.certificates(Files.readAllBytes(certFile)));
    }

    /** A fixed key and chain (a self-signed certificate made in memory). */
    ReloadingKeyManager(PrivateKey key, List<X509Certificate> chain) throws GeneralSecurityException {
        this.certFile = null;
        this.keyFile = null;
        this.delegate = load(key, chain);
    }

    /** The certificate in use (tests, logs). */
    X509Certificate certificate() {
        return delegate.getCertificateChain(ALIAS)[0];
    }

    private List<Object> stamp() throws IOException {
        return List.of(Files.getLastModifiedTime(certFile), Files.size(certFile), Files.getLastModifiedTime(keyFile), Files.size(keyFile));
    }

    private void maybeReload() {
        if (certFile == null) {
            return;
        }
        try {
            List<Object> now = stamp();
            if (now.equals(stamp) || now.equals(failed)) {
                return;
            }
            synchronized (this) {
                if (now.equals(stamp) || now.equals(failed)) {
                    return;
                }
                failed = now; // until it reads
                X509ExtendedKeyManager next = load(PemKeys.privateKey(Files.readAllBytes(keyFile)),
                        PemKeys.certificates(Files.readAllBytes(certFile)));
                delegate = next;
                stamp = now;
                failed = null;
                LOG.info("webhook server certificate reloaded from {} (subject {}, valid until {})", certFile,
                        certificate().getSubjectX500Principal().getName(), certificate().getNotAfter().toInstant());
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warn("webhook server certificate files {} and {} could not be read, keeping the current certificate: {}",
                    certFile, keyFile, e.getMessage());
        }
    }

    private static X509ExtendedKeyManager load(PrivateKey key, List<X509Certificate> chain) throws GeneralSecurityException {
        checkPair(key, chain.get(0));
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
            kmf.init(ks, PASSWORD);
            return (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** The key must be the certificate's: a signature made with it verifies with the certificate's public key. */
    private static void checkPair(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return; // RSASSA-PSS and others: the TLS handshake will tell
        }
        byte[] probe = "kardia-webhook-key-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        boolean matches;
        try {
            java.security.Signature sign = java.security.Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            java.security.Signature verify = java.security.Signature.getInstance(algorithm);
            verify.initVerify(cert.getPublicKey());
            verify.update(probe);
            matches = verify.verify(signature);
        } catch (java.security.InvalidKeyException | java.security.SignatureException e) {
            matches = false;
        }
        if (!matches) {
            throw new GeneralSecurityException("the private key does not belong to the certificate " + cert.getSubjectX500Principal().getName());
        }
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return delegate.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        maybeReload();
        return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        maybeReload();
        return delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        maybeReload();
        return delegate.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return delegate.getPrivateKey(alias);
    }
}
