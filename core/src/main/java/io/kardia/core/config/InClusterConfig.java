package io.kardia.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The configuration of a pod talking to its own cluster: {@code KUBERNETES_SERVICE_HOST/PORT},
 * and the service-account token, CA and namespace mounted under
 * {@code /var/run/secrets/kubernetes.io/serviceaccount}. The token is re-read every minute and
 * after a 401, since projected tokens rotate.
 */
public final class InClusterConfig {
    public static final Path SERVICE_ACCOUNT_DIR = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private InClusterConfig() {
    }

    /** Whether this process looks like it runs in a pod. */
    public static boolean available() {
        return available(System.getenv(), SERVICE_ACCOUNT_DIR);
    }

    public static boolean available(Map<String, String> env, Path serviceAccountDir) {
        return notEmpty(env.get("KUBERNETES_SERVICE_HOST")) && notEmpty(env.get("KUBERNETES_SERVICE_PORT"))
                && Files.isRegularFile(serviceAccountDir.resolve("token"));
    }

    public static ClientConfig load() {
        return load(System.getenv(), SERVICE_ACCOUNT_DIR);
    }

    /** With the environment and the service-account directory given (for tests). */
    public static ClientConfig load(Map<String, String> env, Path serviceAccountDir) {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        String port = env.get("KUBERNETES_SERVICE_PORT");
        if (!notEmpty(host) || !notEmpty(port)) {
            throw new KubeConfigException("not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT"
                    + " must both be set");
        }
        if (!port.strip().chars().allMatch(Character::isDigit)) {
            throw new KubeConfigException("KUBERNETES_SERVICE_PORT must be a port number, got \"" + port + "\"");
        }
        Path token = serviceAccountDir.resolve("token");
        if (!Files.isReadable(token)) {
            throw new KubeConfigException("in-cluster service-account token " + token + " cannot be read");
        }
        List<X509Certificate> cas = List.of();
        Path ca = serviceAccountDir.resolve("ca.crt");
        if (Files.exists(ca)) {
            try {
                cas = Pem.certificates(Files.readString(ca, StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new KubeConfigException("in-cluster CA " + ca + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
            } catch (IllegalArgumentException e) {
                throw new KubeConfigException("in-cluster CA " + ca + ": " + e.getMessage());
            }
        }
        String namespace = "default";
        Path ns = serviceAccountDir.resolve("namespace");
        if (Files.isReadable(ns)) {
            try {
                String value = Files.readString(ns, StandardCharsets.UTF_8).strip();
                namespace = value.isEmpty() ? namespace : value;
            } catch (IOException e) {
                throw new KubeConfigException("in-cluster namespace file " + ns + " cannot be read", e);
            }
        }
        String h = host.strip();
        String authority = h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h; // IPv6 literal
        return ClientConfig.builder("https://" + authority + ":" + port.strip())
                .namespace(namespace)
                .trustedCertificates(cas)
                .credentials(new TokenFileCredentials(token, TokenFileCredentials.DEFAULT_REREAD, null, Clock.systemUTC()))
                .build();
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isBlank();
    }
}
