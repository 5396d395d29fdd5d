package io.kardia.core.config;

/**
 * Supplies the credentials of a client; implementations cache, re-read token files and run exec
 * plugins. Thread-safe.
 */
public interface CredentialSource {

    /** The credentials to use now (may block to run a plugin or read a file). */
    Credentials current();

    /**
     * The server answered 401 to a request made with {@code rejected}. Returns fresh credentials
     * to retry once with, or null when there is nothing new to try.
     */
    default Credentials refreshAfterUnauthorized(Credentials rejected) {
        return null;
    }

    /** Credentials that never change: a static token and/or client certificate, or none. */
    static CredentialSource of(Credentials credentials) {
        return new StaticCredentials(credentials);
    }

    record StaticCredentials(Credentials credentials) implements CredentialSource {
        @Override
        public Credentials current() {
            return credentials;
        }
    }
}
