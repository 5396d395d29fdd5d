package io.kardia.store.auth;

import java.util.List;
import java.util.Objects;

/**
 * How the API server authenticates and authorizes requests: what kube-apiserver's
 * {@code --token-auth-file}, {@code --client-ca-file}, {@code --service-account-*} and
 * {@code --authorization-mode} flags configure.
 *
 * @param adminToken           the bearer token of the store's administrator (user {@value #ADMIN_USER}
 *                             in {@code system:masters}: allowed everything)
 * @param tokenFile            users of a static token file, or null
 * @param clientCertificates   whether a TLS client certificate signed by the client CA authenticates
 *                             (CN = user, O = groups); needs TLS and a server context that trusts the CA
 * @param signingKey           the key ServiceAccount tokens are signed with
 * @param issuer               the {@code iss} of ServiceAccount tokens
 * @param apiAudiences         the audiences a token must name to be accepted (empty: the issuer)
 * @param authorization        which authorizer decides
 */
public record ApiSecurity(String adminToken, StaticTokens tokenFile, boolean clientCertificates, SigningKey signingKey,
                          String issuer, List<String> apiAudiences, AuthorizationMode authorization) {
    public static final String ADMIN_USER = "kardia-admin";

    /** kube-apiserver's {@code --authorization-mode}: AlwaysAllow or RBAC. */
    public enum AuthorizationMode {
        /** Every authenticated request is allowed (Kardia's behaviour before RBAC; the library default). */
        ALWAYS_ALLOW,
        /** Roles and bindings decide; the default cluster roles are created at start. */
        RBAC
    }

    public ApiSecurity {
        if (adminToken == null || adminToken.length() < 16) {
            throw new IllegalArgumentException("the API token must be at least 16 characters");
        }
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(authorization, "authorization");
        issuer = issuer == null || issuer.isEmpty() ? ServiceAccountTokens.DEFAULT_ISSUER : issuer;
        apiAudiences = apiAudiences == null ? List.of() : List.copyOf(apiAudiences);
    }

    /** Only the admin token, no authorization (what {@code ApiServer.start(store, host, port, token, tls)} uses). */
    public static ApiSecurity adminTokenOnly(String adminToken) {
        return new ApiSecurity(adminToken, null, false, SigningKey.shared(), null, List.of(), AuthorizationMode.ALWAYS_ALLOW);
    }

    public ApiSecurity withTokenFile(StaticTokens tokens) {
        return new ApiSecurity(adminToken, tokens, clientCertificates, signingKey, issuer, apiAudiences, authorization);
    }

    public ApiSecurity withClientCertificates(boolean enabled) {
        return new ApiSecurity(adminToken, tokenFile, enabled, signingKey, issuer, apiAudiences, authorization);
    }

    public ApiSecurity withSigningKey(SigningKey key) {
        return new ApiSecurity(adminToken, tokenFile, clientCertificates, key, issuer, apiAudiences, authorization);
    }

    public ApiSecurity withIssuer(String newIssuer, List<String> audiences) {
        return new ApiSecurity(adminToken, tokenFile, clientCertificates, signingKey, newIssuer, audiences, authorization);
    }

    public ApiSecurity withAuthorization(AuthorizationMode mode) {
        return new ApiSecurity(adminToken, tokenFile, clientCertificates, signingKey, issuer, apiAudiences, mode);
    }

    /** The admin's identity. */
    public static UserInfo adminUser() {
        return UserInfo.of(ADMIN_USER, "", List.of(UserInfo.SYSTEM_MASTERS));
    }
}
