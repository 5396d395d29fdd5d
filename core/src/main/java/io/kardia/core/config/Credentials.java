package io.kardia.core.config;

import java.time.Instant;

/**
 * What a request authenticates with at one moment. {@link #toString()} never shows the token.
 *
 * @param bearerToken       token for the {@code Authorization: Bearer} header, or null
 * @param clientCertificate TLS client certificate, or null
 * @param expiresAt         when these stop being valid (exec plugins), or null for "until refused"
 */
public record Credentials(String bearerToken, ClientCertificate clientCertificate, Instant expiresAt) {
    public static final Credentials NONE = new Credentials(null, null, null);

    public static Credentials token(String token) {
        return new Credentials(token, null, null);
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "Credentials[bearerToken=" + (bearerToken == null ? "none" : "<redacted>")
                + ", clientCertificate=" + clientCertificate + ", expiresAt=" + expiresAt + "]";
    }
}
