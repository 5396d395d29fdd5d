package io.kardia.store.http;

import io.kardia.store.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Writes the kubeconfig file that lets kubectl (and any Kubernetes client) talk to a running
 * store: one cluster, one user with the bearer token, one context named {@code kardia}. The file
 * is readable by its owner only, since it holds the token.
 */
public final class KubeconfigWriter {
    private KubeconfigWriter() {
    }

    /**
     * @param caPem the server CA in PEM when serving TLS, or null for plain HTTP
     */
    public static void write(Path file, String serverUrl, String token, String caPem) throws IOException {
        write(file, serverUrl, caPem, "kardia-admin", "    token: " + token + "\n");
    }

    /** A kubeconfig whose user {@code userName} authenticates with a bearer token (a token-file user, a ServiceAccount). */
    public static void writeForToken(Path file, String serverUrl, String caPem, String userName, String token) throws IOException {
        write(file, serverUrl, caPem, userName, "    token: " + token + "\n");
    }

    /** A kubeconfig whose user authenticates with a TLS client certificate (PEM certificate and key). */
    public static void writeForClientCertificate(Path file, String serverUrl, String caPem, String userName,
                                                 String certificatePem, String keyPem) throws IOException {
        Base64.Encoder b64 = Base64.getEncoder();
        write(file, serverUrl, caPem, userName,
                "    client-certificate-data: " + b64.encodeToString(certificatePem.getBytes(StandardCharsets.US_ASCII)) + "\n"
                + "    client-key-data: " + b64.encodeToString(keyPem.getBytes(StandardCharsets.US_ASCII)) + "\n");
    }

    private static void write(Path file, String serverUrl, String caPem, String userName, String credentials) throws IOException {
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: v1\n");
        y.append("kind: Config\n");
        y.append("clusters:\n");
        y.append("- name: kardia\n");
        y.append("  cluster:\n");
        y.append("    server: ").append(serverUrl).append('\n');
        if (caPem != null) {
            y.append("    certificate-authority-data: ")
                    .append(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII))).append('\n');
        }
        y.append("users:\n");
        y.append("- name: ").append(yamlString(userName)).append("\n");
        y.append("  user:\n");
        y.append(credentials);
        y.append("contexts:\n");
        y.append("- name: kardia\n");
        y.append("  context:\n");
        y.append("    cluster: kardia\n");
        y.append("    user: ").append(yamlString(userName)).append("\n");
        y.append("    namespace: default\n");
        y.append("current-context: kardia\n");

        Files.createDirectories(file.toAbsolutePath().getParent());
        // Created 0600 (it holds the token), written in full, then moved into place.
        PrivateFiles.writeString(file, y.toString());
    }

    private static String yamlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
