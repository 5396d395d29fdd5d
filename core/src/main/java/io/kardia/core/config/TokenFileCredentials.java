package io.kardia.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A bearer token read from a file and re-read periodically and after a 401, because projected
 * service-account tokens rotate (kubelet rewrites the file; client-go re-reads every minute).
 * An optional static client certificate is passed along unchanged.
 */
public final class TokenFileCredentials implements CredentialSource {
    public static final Duration DEFAULT_REREAD = Duration.ofMinutes(1);

    private final Path file;
    private final Duration reread;
    private final ClientCertificate clientCertificate;
    private final Clock clock;
    private Credentials cached;
    private Instant readAt;

    public TokenFileCredentials(Path file, Duration reread, ClientCertificate clientCertificate, Clock clock) {
        this.file = file;
        this.reread = reread;
        this.clientCertificate = clientCertificate;
        this.clock = clock;
    }

    public TokenFileCredentials(Path file) {
        this(file, DEFAULT_REREAD, null, Clock.systemUTC());
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized Credentials current() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(readAt.plus(reread))) {
            cached = read();
            readAt = now;
        }
        return cached;
    }

    @Override
    public synchronized Credentials refreshAfterUnauthorized(Credentials rejected) {
        Credentials fresh = read();
        cached = fresh;
        readAt = clock.instant();
        return fresh.bearerToken().equals(rejected.bearerToken()) ? null : fresh;
    }

    private Credentials read() {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new KubeConfigException("cannot read token file " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        if (token.isEmpty()) {
            throw new KubeConfigException("token file " + file + " is empty");
        }
        return new Credentials(token, clientCertificate, null);
    }

    @Override
    public String toString() {
        return "TokenFileCredentials[file=" + file + ", reread=" + reread + "]";
    }
}
