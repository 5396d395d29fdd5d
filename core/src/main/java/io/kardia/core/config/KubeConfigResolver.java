package io.kardia.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.config.KubeConfig.Entry;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns one context of a merged {@link KubeConfig} into a {@link ClientConfig}. */
final class KubeConfigResolver {
    private static final Logger LOG = LoggerFactory.getLogger(KubeConfigResolver.class);

    private final KubeConfig config;

    KubeConfigResolver(KubeConfig config) {
        this.config = config;
    }

    ClientConfig resolve(String contextName) {
        Entry context = config.contexts().get(contextName);
        if (context == null) {
            throw new KubeConfigException("context \"" + contextName + "\" is not defined in " + config.files()
                    + "; available: " + config.contextNames());
        }
        String where = "context \"" + contextName + "\" in " + context.source();
        String clusterName = context.body().path("cluster").asText("");
        if (clusterName.isEmpty()) {
            throw new KubeConfigException(where + " has no field \"cluster\"");
        }
        Entry cluster = config.clusters().get(clusterName);
        if (cluster == null) {
            throw new KubeConfigException(where + " names cluster \"" + clusterName + "\", which is not defined in "
                    + config.files() + "; available: " + config.clusters().keySet());
        }
        String userName = context.body().path("user").asText("");
        Entry user = null;
        if (!userName.isEmpty()) {
            user = config.users().get(userName);
            if (user == null) {
                throw new KubeConfigException(where + " names user \"" + userName + "\", which is not defined in "
                        + config.files() + "; available: " + config.users().keySet());
            }
        }

        String clusterWhere = "cluster \"" + clusterName + "\" in " + cluster.source();
        JsonNode c = cluster.body();
        String server = c.path("server").asText("");
        if (server.isEmpty()) {
            throw new KubeConfigException(clusterWhere + " has no field \"server\"");
        }
        URI serverUri;
        try {
            serverUri = new URI(server);
        } catch (URISyntaxException e) {
            throw new KubeConfigException(clusterWhere + ": field \"server\" is not a URL: " + e.getMessage());
        }
        if (serverUri.getHost() == null || !("https".equals(serverUri.getScheme()) || "http".equals(serverUri.getScheme()))) {
            throw new KubeConfigException(clusterWhere + ": field \"server\" must be an http(s) URL with a host, got \""
                    + server + "\"");
        }
        boolean insecure = c.path("insecure-skip-tls-verify").asBoolean(false);
        byte[] caBytes = bytes(cluster, clusterWhere, "certificate-authority-data", "certificate-authority");
        List<X509Certificate> cas = List.of();
        if (caBytes != null) {
            cas = certificates(caBytes, clusterWhere, c.has("certificate-authority-data")
                    ? "certificate-authority-data" : "certificate-authority");
            if (insecure) {
                throw new KubeConfigException(clusterWhere + " sets both insecure-skip-tls-verify and a certificate authority;"
                        + " remove one (kubectl refuses this too)");
            }
        }
        if (c.hasNonNull("proxy-url")) {
            LOG.warn("{}: field \"proxy-url\" is not supported yet and is ignored", clusterWhere);
        }

        CredentialSource credentials = user == null ? null
                : credentials(user, clusterInfo(server, insecure, caBytes, c));
        String namespace = context.body().path("namespace").asText("");
        return ClientConfig.builder(server)
                .namespace(namespace.isEmpty() ? "default" : namespace)
                .trustedCertificates(cas)
                .insecureSkipTlsVerify(insecure)
                .tlsServerName(c.path("tls-server-name").asText(null))
                .credentials(credentials)
                .build();
    }

    private static Map<String, Object> clusterInfo(String server, boolean insecure, byte[] ca, JsonNode cluster) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("server", server);
        if (insecure) {
            info.put("insecureSkipTLSVerify", true);
        }
        if (cluster.hasNonNull("tls-server-name")) {
            info.put("tlsServerName", cluster.get("tls-server-name").asText());
        }
        if (ca != null) {
            info.put("certificateAuthorityData", Base64.getEncoder().encodeToString(ca));
        }
        for (JsonNode ext : cluster.path("extensions")) {
            if ("client.authentication.k8s.io/exec".equals(ext.path("name").asText())) {
                info.put("config", ext.get("extension"));
            }
        }
        return info;
    }

    private CredentialSource credentials(Entry user, Map<String, Object> clusterInfo) {
        String where = "user \"" + user.name() + "\" in " + user.source();
        JsonNode u = user.body();
        if (u.hasNonNull("auth-provider")) {
            throw new KubeConfigException(where + " uses auth-provider \"" + u.path("auth-provider").path("name").asText()
                    + "\", which is not supported; use an exec credential plugin (user.exec) instead");
        }
        if (u.hasNonNull("username") || u.hasNonNull("password")) {
            throw new KubeConfigException(where + " uses basic authentication (username/password), which is not supported;"
                    + " use a token, a client certificate or an exec plugin");
        }
        byte[] certBytes = bytes(user, where, "client-certificate-data", "client-certificate");
        byte[] keyBytes = bytes(user, where, "client-key-data", "client-key");
        ClientCertificate cert = null;
        if (certBytes != null || keyBytes != null) {
            if (certBytes == null || keyBytes == null) {
                throw new KubeConfigException(where + " sets " + (certBytes == null ? "client-key(-data) but no client-certificate(-data)"
                        : "client-certificate(-data) but no client-key(-data)"));
            }
            String certField = u.has("client-certificate-data") ? "client-certificate-data" : "client-certificate";
            String keyField = u.has("client-key-data") ? "client-key-data" : "client-key";
            List<X509Certificate> chain = certificates(certBytes, where, certField);
            try {
                cert = new ClientCertificate(chain, Pem.privateKey(new String(keyBytes, StandardCharsets.US_ASCII)));
            } catch (IllegalArgumentException e) {
                throw new KubeConfigException(where + ": field \"" + keyField + "\": " + e.getMessage());
            }
        }
        if (u.hasNonNull("exec")) {
            ExecConfig exec = execConfig(user, where, clusterInfo);
            return cert == null ? new ExecCredentials(exec) : withFallbackCertificate(new ExecCredentials(exec), cert);
        }
        String tokenFile = u.path("tokenFile").asText("");
        if (!tokenFile.isEmpty()) {
            Path file = resolvePath(user.source(), tokenFile);
            if (!Files.isReadable(file)) {
                throw new KubeConfigException(where + ": field \"tokenFile\" names " + file + ", which cannot be read");
            }
            return new TokenFileCredentials(file, TokenFileCredentials.DEFAULT_REREAD, cert, java.time.Clock.systemUTC());
        }
        String token = u.path("token").asText("");
        return CredentialSource.of(new Credentials(token.isEmpty() ? null : token, cert, null));
    }

    /** Exec credentials that fall back to the kubeconfig's client certificate when the plugin returns none. */
    private static CredentialSource withFallbackCertificate(CredentialSource exec, ClientCertificate cert) {
        return new CredentialSource() {
            @Override
            public Credentials current() {
                return withCert(exec.current());
            }

            @Override
            public Credentials refreshAfterUnauthorized(Credentials rejected) {
                Credentials fresh = exec.refreshAfterUnauthorized(rejected);
                return fresh == null ? null : withCert(fresh);
            }

            private Credentials withCert(Credentials c) {
                return c.clientCertificate() != null ? c : new Credentials(c.bearerToken(), cert, c.expiresAt());
            }

            @Override
            public String toString() {
                return exec + " with kubeconfig client certificate";
            }
        };
    }

    private ExecConfig execConfig(Entry user, String where, Map<String, Object> clusterInfo) {
        JsonNode e = user.body().get("exec");
        String apiVersion = e.path("apiVersion").asText("");
        if (!apiVersion.equals(ExecConfig.V1) && !apiVersion.equals(ExecConfig.V1BETA1)) {
            throw new KubeConfigException(where + ": field \"exec.apiVersion\" must be " + ExecConfig.V1 + " or "
                    + ExecConfig.V1BETA1 + ", got \"" + apiVersion + "\"");
        }
        String command = e.path("command").asText("");
        if (command.isEmpty()) {
            throw new KubeConfigException(where + " has no field \"exec.command\"");
        }
        // kubectl: a relative command with a path separator is relative to the kubeconfig's directory.
        if (command.contains("/") && !Path.of(command).isAbsolute()) {
            command = resolvePath(user.source(), command).toString();
        }
        if ("Always".equals(e.path("interactiveMode").asText())) {
            throw new KubeConfigException(where + ": exec plugin requires interactiveMode Always, but this client never"
                    + " has a terminal");
        }
        List<String> args = new ArrayList<>();
        for (JsonNode a : e.path("args")) {
            args.add(a.asText());
        }
        Map<String, String> env = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode v : e.path("env")) {
            String name = v.path("name").asText("");
            if (name.isEmpty()) {
                throw new KubeConfigException(where + ": exec.env[" + i + "] has no name");
            }
            env.put(name, v.path("value").asText(""));
            i++;
        }
        boolean provide = e.path("provideClusterInfo").asBoolean(false);
        return new ExecConfig(apiVersion, command, args, env, e.path("installHint").asText(null), provide,
                provide ? clusterInfo : null, user.source(), user.name());
    }

    /** The decoded {@code dataField}, or the contents of the file named by {@code fileField}, or null. */
    private static byte[] bytes(Entry entry, String where, String dataField, String fileField) {
        JsonNode body = entry.body();
        String data = body.path(dataField).asText("");
        if (!data.isEmpty()) {
            try {
                return Base64.getDecoder().decode(data.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new KubeConfigException(where + ": field \"" + dataField + "\" is not valid base64");
            }
        }
        String file = body.path(fileField).asText("");
        if (file.isEmpty()) {
            return null;
        }
        Path path = resolvePath(entry.source(), file);
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new KubeConfigException(where + ": field \"" + fileField + "\" names " + path + ", which cannot be read ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static List<X509Certificate> certificates(byte[] pem, String where, String field) {
        try {
            return Pem.certificates(new String(pem, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new KubeConfigException(where + ": field \"" + field + "\": " + e.getMessage());
        }
    }

    static Path resolvePath(Path kubeconfigFile, String path) {
        Path p = Path.of(path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path);
        if (p.isAbsolute() || kubeconfigFile.getParent() == null) {
            return p;
        }
        return kubeconfigFile.getParent().resolve(p).normalize();
    }
}
