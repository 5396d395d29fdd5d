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
        y.append("- name: kardia-admin\n");
        y.append("  user:\n");
        y.append("    token: ").append(token).append('\n');
        y.append("contexts:\n");
        y.append("- name: kardia\n");
        y.append("  context:\n");
        y.append("    cluster: kardia\n");
        y.append("    user: kardia-admin\n");
        y.append("    namespace: default\n");
        y.append("current-context: kardia\n");

        Files.createDirectories(file.toAbsolutePath().getParent());
        // Created 0600 (it holds the token), written in full, then moved into place.
        PrivateFiles.writeString(file, y.toString());
    }
}
