package io.kardia.core.client.http;

import io.kardia.core.client.KubeClientException;
import io.kardia.core.config.ClientCertificate;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.config.CredentialSource;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS as kubectl does it: trust exactly the configured CAs (or the JVM's when none are given, or
 * anything with insecure-skip-tls-verify), and present the client certificate of the current
 * credentials, looked up at each handshake so rotated exec-plugin certificates are picked up.
 */
final class TlsSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TlsSetup.class);
    /**
     * OkHttp's own verifier (RFC 2818 names, IP SANs), reached through public API only: from a
     * default client, which loads the JVM's CA certificates, so only when a kubeconfig names a
     * {@code tls-server-name} (not at every client's start).
     */
    private static final class StandardVerifier {
        static final HostnameVerifier INSTANCE = new OkHttpClient.Builder().build().hostnameVerifier();
    }

    private TlsSetup() {
    }

    /**
     * What TLS adds to an OkHttp client: built once per configuration ({@link #of}) and given to
     * every client of it ({@link #applyTo}), so that they share one SSLContext and its session
     * cache (a second client's first handshake resumes a session instead of checking the
     * server's certificate again) and one choice of key-exchange groups.
     */
    record Tls(SSLSocketFactory sockets, X509TrustManager trust, HostnameVerifier hostnames,
               XdhFirstSocketFactory xdhFirst) {
        void applyTo(OkHttpClient.Builder builder) {
            if (xdhFirst != null) {
                builder.eventListenerFactory(xdhFirst.refusalWatcher()).addInterceptor(xdhFirst.retryRefused());
            }
            if (hostnames != null) {
                builder.hostnameVerifier(hostnames);
            }
            builder.sslSocketFactory(sockets, trust);
        }
    }

    static Tls of(ClientConfig config) {
        try {
            X509TrustManager trust = trustManager(config);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new CredentialKeyManager[] {new CredentialKeyManager(config.credentials())},
                    new TrustManager[] {trust}, null);
            SSLSocketFactory sockets = context.getSocketFactory();
            XdhFirstSocketFactory xdhFirst = XdhFirstSocketFactory.of(sockets, context.getDefaultSSLParameters());
            if (xdhFirst != null) {
                sockets = xdhFirst;
            }
            HostnameVerifier hostnames = null;
            if (config.insecureSkipTlsVerify()) {
                LOG.warn("TLS verification is disabled for {} (insecure-skip-tls-verify)", config.server());
                hostnames = (host, session) -> true;
            } else if (config.tlsServerName() != null) {
                String name = config.tlsServerName();
                hostnames = (host, session) -> StandardVerifier.INSTANCE.verify(name, session);
                sockets = new ServerNameSocketFactory(sockets, name);
            }
            return new Tls(sockets, trust, hostnames, xdhFirst);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new KubeClientException("cannot set up TLS for " + config.server() + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager trustManager(ClientConfig config) throws GeneralSecurityException, java.io.IOException {
        if (config.insecureSkipTlsVerify()) {
            return new TrustAll();
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (config.trustedCertificates().isEmpty()) {
            factory.init((KeyStore) null);
        } else {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate ca : config.trustedCertificates()) {
                store.setCertificateEntry("ca-" + i++, ca);
            }
            factory.init(store);
        }
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager available");
    }

    /** Presents the client certificate of whatever credentials are current at handshake time. */
    static final class CredentialKeyManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "kardia-client";
        private final CredentialSource source;

        CredentialKeyManager(CredentialSource source) {
            this.source = source;
        }

        private ClientCertificate certificate() {
            try {
                return source.current().clientCertificate();
            } catch (RuntimeException e) {
                LOG.warn("no client certificate for the TLS handshake: {}", e.getMessage());
                return null;
            }
        }

        private String alias(String[] keyTypes) {
            ClientCertificate cert = certificate();
            if (cert == null) {
                return null;
            }
            String algorithm = cert.key().getAlgorithm();
            if (keyTypes == null) {
                return ALIAS;
            }
            for (String keyType : keyTypes) {
                if (keyType.equals(algorithm) || keyType.startsWith(algorithm + "_")) {
                    return ALIAS;
                }
            }
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return alias(keyTypes);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return alias(keyTypes);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            String a = alias(new String[] {keyType});
            return a == null ? null : new String[] {a};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            ClientCertificate cert = ALIAS.equals(alias) ? certificate() : null;
            return cert == null ? null : cert.chain().toArray(new X509Certificate[0]);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            ClientCertificate cert = ALIAS.equals(alias) ? certificate() : null;
            return cert == null ? null : cert.key();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    /** insecure-skip-tls-verify: accepts every server certificate. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
