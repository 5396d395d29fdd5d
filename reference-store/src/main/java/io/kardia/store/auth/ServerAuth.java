package io.kardia.store.auth;

import io.kardia.store.ReferenceStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The authentication and authorization one API server uses, assembled from its {@link ApiSecurity}:
 * the request authenticator (client certificate, admin token, token file, ServiceAccount tokens),
 * the authorizer (with the default cluster roles created when it is RBAC) and the review APIs.
 */
public record ServerAuth(RequestAuthenticator authenticator, Authorizer authorizer, ServiceAccountTokens serviceAccountTokens,
                         ReviewApis reviews) {

    public static ServerAuth create(ReferenceStore store, ApiSecurity security) {
        Clock clock = Clock.systemUTC();
        ServiceAccountTokens saTokens = new ServiceAccountTokens(store, security.signingKey(), security.issuer(),
                security.apiAudiences(), clock);
        List<TokenAuthenticator> tokens = new ArrayList<>();
        tokens.add(StaticTokens.of(Map.of(security.adminToken(), ApiSecurity.adminUser())));
        if (security.tokenFile() != null) {
            tokens.add(security.tokenFile());
        }
        tokens.add(saTokens);
        RequestAuthenticator authenticator = new RequestAuthenticator(security.clientCertificates(), tokens);
        Authorizer authorizer = Authorizer.ALWAYS_ALLOW;
        if (security.authorization() == ApiSecurity.AuthorizationMode.RBAC) {
            BootstrapPolicy.ensure(store);
            authorizer = new RbacAuthorizer(store);
        }
        return new ServerAuth(authenticator, authorizer, saTokens, new ReviewApis(authenticator, authorizer, saTokens, clock));
    }
}
