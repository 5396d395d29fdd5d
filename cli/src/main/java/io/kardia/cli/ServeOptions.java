package io.kardia.cli;

import io.kardia.store.auth.ApiSecurity;
import io.kardia.store.auth.ServiceAccountTokens;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How the store is kept and served: the flags that {@code up} and {@code store} share. */
final class ServeOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".kardia",
            description = "Where objects, the API token, the TLS material and the kubeconfig live (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "6443",
            description = "API port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--tls", paramLabel = "true|false", defaultValue = "true", arity = "0..1", fallbackValue = "true",
            description = "Serve HTTPS with a self-signed CA made in DIR/tls and written into the kubeconfig "
                    + "(default: ${DEFAULT-VALUE}; kubectl sends its bearer token only over HTTPS). --tls=false serves plain HTTP.")
    boolean tls;

    @Option(names = "--drop-damaged-journal-tail",
            description = "Start even though the journal's last record is complete but fails its checksum (the start "
                    + "refuses otherwise, naming file and offset): that record, one change that may have been "
                    + "acknowledged, is dropped. Use once, knowingly; see docs/reference-store.md, \"Durability and recovery\".")
    boolean dropDamagedJournalTail;

    @Option(names = "--authorization", paramLabel = "rbac|always-allow", defaultValue = "rbac",
            converter = AuthorizationConverter.class,
            description = "How requests are authorized (kube-apiserver's --authorization-mode; default: ${DEFAULT-VALUE}). "
                    + "rbac: Roles, ClusterRoles and their bindings decide, the default cluster roles (cluster-admin, admin, "
                    + "edit, view, system:discovery, system:basic-user...) are created at start, and the kubeconfig's user "
                    + "is in system:masters (allowed everything). always-allow: every authenticated request is allowed.")
    ApiSecurity.AuthorizationMode authorization;

    @Option(names = "--token-auth-file", paramLabel = "FILE",
            description = "Also accept the bearer tokens listed in FILE, kube-apiserver's CSV format: "
                    + "token,user,uid,\"group1,group2\" (one user a line).")
    Path tokenAuthFile;

    @Option(names = "--client-ca-file", paramLabel = "FILE",
            description = "Authenticate TLS client certificates signed by a CA in FILE (PEM) or by the store's own CA "
                    + "(DIR/tls/ca.crt): the certificate's CN is the user, each O a group. Needs --tls.")
    Path clientCaFile;

    @Option(names = "--service-account-issuer", paramLabel = "URL", defaultValue = ServiceAccountTokens.DEFAULT_ISSUER,
            description = "The issuer (iss) of ServiceAccount tokens, and the audience they must name (default: ${DEFAULT-VALUE}).")
    String serviceAccountIssuer;

    @Option(names = "--service-account-signing-key-file", paramLabel = "FILE",
            description = "RSA private key (PKCS#8 PEM) that signs ServiceAccount tokens (default: DIR/service-account.key, "
                    + "made owner-only on first start so tokens stay valid across restarts).")
    Path serviceAccountSigningKeyFile;

    /** picocli: rbac / always-allow, case-insensitively (also kube's RBAC / AlwaysAllow). */
    static final class AuthorizationConverter implements picocli.CommandLine.ITypeConverter<ApiSecurity.AuthorizationMode> {
        @Override
        public ApiSecurity.AuthorizationMode convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT).replace("-", "")) {
                case "rbac" -> ApiSecurity.AuthorizationMode.RBAC;
                case "alwaysallow" -> ApiSecurity.AuthorizationMode.ALWAYS_ALLOW;
                default -> throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' is not an authorization mode; use rbac or always-allow");
            };
        }
    }

    Path dataDirectory() {
        return dataDir.toAbsolutePath().normalize();
    }

    void validate(picocli.CommandLine cl) {
        Ranges.check(cl, "--port", port, 0, 65_535);
        if (clientCaFile != null && !tls) {
            throw new picocli.CommandLine.ParameterException(cl, "--client-ca-file needs TLS: client certificates are "
                    + "only seen over HTTPS (drop --tls=false)");
        }
    }
}
