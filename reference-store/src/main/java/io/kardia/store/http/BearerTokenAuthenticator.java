package io.kardia.store.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Checks {@code Authorization: Bearer <token>} against the server's one token. The comparison is
 * constant-time, and the token never appears in logs or errors.
 */
public final class BearerTokenAuthenticator {
    private final byte[] expected;

    public BearerTokenAuthenticator(String token) {
        if (token == null || token.length() < 16) {
            throw new IllegalArgumentException("the API token must be at least 16 characters");
        }
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    /** A fresh random token: 32 bytes from SecureRandom, hex-encoded. */
    public static String newToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** True when the header carries the expected bearer token. */
    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.length() < 7
                || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }
}
