package io.kardia.store.http;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Makes the store's admin bearer token. Checking tokens is {@link io.kardia.store.auth.RequestAuthenticator}'s
 * job (admin token, token file and ServiceAccount tokens alike).
 */
public final class BearerTokenAuthenticator {
    private BearerTokenAuthenticator() {
    }

    /** A fresh random token: 32 bytes from SecureRandom, hex-encoded. */
    public static String newToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
