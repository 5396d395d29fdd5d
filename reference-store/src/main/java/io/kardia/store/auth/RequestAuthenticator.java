package io.kardia.store.auth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Finds who sent a request, trying what kube-apiserver tries, in its order: a client certificate
 * verified by TLS (when enabled), then the bearer token against each token authenticator (static
 * tokens, ServiceAccount tokens). Empty means unauthenticated: the server answers 401. Every user
 * found is in {@code system:authenticated}.
 */
public final class RequestAuthenticator {
    private final boolean clientCertificates;
    private final List<TokenAuthenticator> tokens;

    public RequestAuthenticator(boolean clientCertificates, List<TokenAuthenticator> tokens) {
        this.clientCertificates = clientCertificates;
        this.tokens = List.copyOf(tokens);
    }

    public Optional<UserInfo> authenticate(HttpExchange ex) {
        if (clientCertificates && ex instanceof HttpsExchange https && https.getSSLSession() != null) {
            Optional<UserInfo> fromCert = certificateUser(https);
            if (fromCert.isPresent()) {
                return fromCert.map(UserInfo::authenticated);
            }
        }
        String token = bearerToken(ex.getRequestHeaders().getFirst("Authorization"));
        return token == null ? Optional.empty() : authenticateToken(token);
    }

    /** The user a bearer token stands for (TokenReview asks this). */
    public Optional<UserInfo> authenticateToken(String token) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        for (TokenAuthenticator t : tokens) {
            Optional<UserInfo> user = t.authenticate(token);
            if (user.isPresent()) {
                return user.map(UserInfo::authenticated);
            }
        }
        return Optional.empty();
    }

    private static Optional<UserInfo> certificateUser(HttpsExchange https) {
        try {
            Certificate[] chain = https.getSSLSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x509) {
                return ClientCertificates.user(x509);
            }
        } catch (SSLPeerUnverifiedException noCertificate) {
            // the client sent none: fall through to the token
        }
        return Optional.empty();
    }

    private static String bearerToken(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }
}
