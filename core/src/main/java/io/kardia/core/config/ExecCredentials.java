package io.kardia.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a client-go exec credential plugin ({@code ExecCredential} v1/v1beta1) and caches its
 * result until {@code status.expirationTimestamp}, or until the server answers 401 (then the
 * plugin runs again, once per rejected credential). The plugin's stdout carries secrets: it is
 * never logged nor quoted in errors.
 */
public final class ExecCredentials implements CredentialSource {
    private static final Logger LOG = LoggerFactory.getLogger(ExecCredentials.class);
    private static final int MAX_OUTPUT = 1 << 20;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    private static final java.io.File NO_INPUT = new java.io.File(
            System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");

    private final ExecConfig config;
    private final Clock clock;
    private Credentials cached;

    public ExecCredentials(ExecConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public ExecCredentials(ExecConfig config) {
        this(config, Clock.systemUTC());
    }

    @Override
    public synchronized Credentials current() {
        if (cached == null || cached.expired(clock.instant())) {
            cached = run();
        }
        return cached;
    }

    @Override
    public synchronized Credentials refreshAfterUnauthorized(Credentials rejected) {
        if (cached != null && cached != rejected && !cached.equals(rejected)) {
            return cached; // another thread already refreshed
        }
        cached = run();
        return cached;
    }

    private String where() {
        return "exec plugin \"" + config.command() + "\" of user \"" + config.userName() + "\""
                + (config.source() == null ? "" : " in " + config.source());
    }

    /** The ExecCredential passed to the plugin in KUBERNETES_EXEC_INFO. */
    String execInfo() {
        ObjectNode info = Json.mapper().createObjectNode();
        info.put("apiVersion", config.apiVersion());
        info.put("kind", "ExecCredential");
        ObjectNode spec = info.putObject("spec");
        spec.put("interactive", false);
        if (config.provideClusterInfo() && config.clusterInfo() != null) {
            spec.set("cluster", Json.mapper().valueToTree(config.clusterInfo()));
        }
        return info.toString();
    }

    private Credentials run() {
        List<String> command = new ArrayList<>();
        command.add(config.command());
        command.addAll(config.args());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(config.env());
        pb.environment().put("KUBERNETES_EXEC_INFO", execInfo());
        pb.redirectInput(ProcessBuilder.Redirect.from(NO_INPUT)); // never interactive
        if (config.source() != null && config.source().getParent() != null) {
            pb.directory(config.source().getParent().toFile());
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            String hint = config.installHint() == null || config.installHint().isBlank() ? ""
                    : "; " + config.installHint().strip();
            throw new KubeConfigException("cannot start " + where() + ": " + e.getMessage() + hint, e);
        }
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readBounded(process.getErrorStream()),
                runnable -> Thread.ofVirtual().start(runnable));
        byte[] stdout = readBounded(process.getInputStream());
        try {
            if (!process.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new KubeConfigException(where() + " did not finish within " + RUN_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new KubeConfigException(where() + " was interrupted", e);
        }
        if (process.exitValue() != 0) {
            String err = new String(stderr.join(), StandardCharsets.UTF_8).strip();
            if (err.length() > 300) {
                err = err.substring(0, 300) + "...";
            }
            throw new KubeConfigException(where() + " exited with code " + process.exitValue()
                    + (err.isEmpty() ? "" : ": " + err));
        }
        Credentials credentials = parse(stdout);
        LOG.debug("{} returned credentials expiring at {}", where(), credentials.expiresAt());
        return credentials;
    }

    private static byte[] readBounded(InputStream in) {
        try (in) {
            byte[] data = in.readNBytes(MAX_OUTPUT);
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return data;
        } catch (IOException e) {
            return new byte[0];
        }
    }

    Credentials parse(byte[] stdout) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(stdout);
        } catch (IOException e) {
            throw new KubeConfigException(where() + " printed something that is not an ExecCredential JSON object");
        }
        if (root == null || !root.isObject() || !"ExecCredential".equals(root.path("kind").asText())) {
            throw new KubeConfigException(where() + " output is not an ExecCredential (kind is \""
                    + (root == null ? "" : root.path("kind").asText()) + "\")");
        }
        String apiVersion = root.path("apiVersion").asText();
        if (!apiVersion.equals(config.apiVersion())) {
            throw new KubeConfigException(where() + " returned apiVersion \"" + apiVersion + "\" but the kubeconfig asks for \""
                    + config.apiVersion() + "\"");
        }
        JsonNode status = root.path("status");
        if (!status.isObject()) {
            throw new KubeConfigException(where() + " returned an ExecCredential without status");
        }
        String token = text(status, "token");
        String certData = text(status, "clientCertificateData");
        String keyData = text(status, "clientKeyData");
        ClientCertificate cert = null;
        if (certData != null || keyData != null) {
            if (certData == null || keyData == null) {
                throw new KubeConfigException(where() + " returned only one of status.clientCertificateData and status.clientKeyData");
            }
            try {
                cert = ClientCertificate.fromPem(certData, keyData);
            } catch (IllegalArgumentException e) {
                throw new KubeConfigException(where() + " returned an unusable client certificate: " + e.getMessage());
            }
        }
        if (token == null && cert == null) {
            throw new KubeConfigException(where() + " returned neither status.token nor status.clientCertificateData");
        }
        Instant expiry = null;
        String exp = text(status, "expirationTimestamp");
        if (exp != null) {
            try {
                expiry = OffsetDateTime.parse(exp).toInstant();
            } catch (DateTimeParseException e) {
                throw new KubeConfigException(where() + " returned an invalid status.expirationTimestamp \"" + exp + "\"");
            }
        }
        return new Credentials(token, cert, expiry);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    @Override
    public String toString() {
        return "ExecCredentials[" + config + "]";
    }
}
