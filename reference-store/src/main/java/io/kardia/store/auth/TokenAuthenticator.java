package io.kardia.store.auth;

import java.util.Optional;

/** Turns a bearer token into a user; empty when the token is not one this authenticator knows. */
public interface TokenAuthenticator {
    Optional<UserInfo> authenticate(String token);
}
