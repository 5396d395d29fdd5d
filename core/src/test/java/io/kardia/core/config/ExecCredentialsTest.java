package io.kardia.core.config;

import static io.kardia.core.config.TestFiles.script;
import static io.kardia.core.config.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecCredentialsTest {
    @TempDir
    Path dir;

    /** A plugin that counts its runs, records its input and prints a token numbered by run. */
    Path plugin(String apiVersion, String expiry) {
        return script(dir.resolve("bin/plugin.sh"), """
                n=$(cat "%1$s/runs" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "%1$s/runs"
                printf '%%s' "$KUBERNETES_EXEC_INFO" > "%1$s/exec-info"
                echo "$@ $PLUGIN_MODE" > "%1$s/args"
                cat <<JSON
                {"apiVersion":"%2$s","kind":"ExecCredential","status":{"token":"exec-token-$n"%3$s}}
                JSON
                """.formatted(dir, apiVersion, expiry == null ? "" : ",\"expirationTimestamp\":\"" + expiry + "\""));
    }

    int runs() throws Exception {
        return Integer.parseInt(Files.readString(dir.resolve("runs")).strip());
    }

    ExecConfig config(Path command, String apiVersion) {
        return new ExecConfig(apiVersion, command.toString(), List.of("--cluster", "prod"), Map.of("PLUGIN_MODE", "test"),
                null, true, Map.of("server", "https://h:6443"), dir.resolve("config"), "alice");
    }

    @Test
    void runsThePluginAndCachesTheTokenUntilItExpires() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ExecCredentials source = new ExecCredentials(config(plugin(ExecConfig.V1, "2026-01-01T00:10:00Z"), ExecConfig.V1), clock);

        assertThat(source.current().bearerToken()).isEqualTo("exec-token-1");
        assertThat(source.current().expiresAt()).isEqualTo(Instant.parse("2026-01-01T00:10:00Z"));
        clock.advance(Duration.ofMinutes(9));
        assertThat(source.current().bearerToken()).isEqualTo("exec-token-1");
        assertThat(runs()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        assertThat(source.current().bearerToken()).isEqualTo("exec-token-2");
        assertThat(runs()).isEqualTo(2);

        assertThat(Files.readString(dir.resolve("args")).strip()).isEqualTo("--cluster prod test");
        JsonNode info = Json.tree(Files.readAllBytes(dir.resolve("exec-info")));
        assertThat(info.path("apiVersion").asText()).isEqualTo(ExecConfig.V1);
        assertThat(info.path("kind").asText()).isEqualTo("ExecCredential");
        assertThat(info.path("spec").path("interactive").asBoolean(true)).isFalse();
        assertThat(info.path("spec").path("cluster").path("server").asText()).isEqualTo("https://h:6443");
    }

    @Test
    void withoutExpiryTheTokenIsKeptUntilRejected() throws Exception {
        ExecCredentials source = new ExecCredentials(config(plugin(ExecConfig.V1BETA1, null), ExecConfig.V1BETA1));
        Credentials first = source.current();
        assertThat(source.current()).isSameAs(first);
        Credentials fresh = source.refreshAfterUnauthorized(first);
        assertThat(fresh.bearerToken()).isEqualTo("exec-token-2");
        assertThat(source.refreshAfterUnauthorized(first)).as("already refreshed by another request").isSameAs(fresh);
        assertThat(runs()).isEqualTo(2);
    }

    @Test
    void returnsClientCertificatesFromThePlugin() {
        HeldCertificate cert = new HeldCertificate.Builder().ecdsa256().commonName("exec-user").build();
        Path command = script(dir.resolve("cert.sh"), "cat <<'JSON'\n" + Json.toString(Map.of(
                "apiVersion", ExecConfig.V1, "kind", "ExecCredential", "status", Map.of(
                        "clientCertificateData", cert.certificatePem(), "clientKeyData", cert.privateKeyPkcs8Pem())))
                + "\nJSON\n");
        Credentials c = new ExecCredentials(config(command, ExecConfig.V1)).current();
        assertThat(c.bearerToken()).isNull();
        assertThat(c.clientCertificate().chain().getFirst().getSubjectX500Principal().getName()).isEqualTo("CN=exec-user");
    }

    @Test
    void failuresNameThePluginUserAndFileButNotTheOutput() {
        Path failing = script(dir.resolve("fail.sh"), "echo '{\"status\":{\"token\":\"leaked-token\"}}'\necho 'login required' >&2\nexit 3\n");
        assertThatThrownBy(() -> new ExecCredentials(config(failing, ExecConfig.V1)).current())
                .isInstanceOf(KubeConfigException.class)
                .hasMessageContaining("exec plugin \"" + failing + "\" of user \"alice\" in " + dir.resolve("config"))
                .hasMessageContaining("exited with code 3: login required")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("leaked-token"));

        Path wrongVersion = script(dir.resolve("v.sh"),
                "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"leaked-token\"}}'\n");
        assertThatThrownBy(() -> new ExecCredentials(config(wrongVersion, ExecConfig.V1)).current())
                .hasMessageContaining("returned apiVersion \"client.authentication.k8s.io/v1beta1\"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("leaked-token"));

        Path noToken = script(dir.resolve("n.sh"), "echo '{\"apiVersion\":\"" + ExecConfig.V1 + "\",\"kind\":\"ExecCredential\",\"status\":{}}'\n");
        assertThatThrownBy(() -> new ExecCredentials(config(noToken, ExecConfig.V1)).current())
                .hasMessageContaining("neither status.token nor status.clientCertificateData");

        Path notJson = script(dir.resolve("j.sh"), "echo 'token=leaked-token'\n");
        assertThatThrownBy(() -> new ExecCredentials(config(notJson, ExecConfig.V1)).current())
                .hasMessageContaining("not an ExecCredential")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("leaked-token"));

        ExecConfig missing = new ExecConfig(ExecConfig.V1, dir.resolve("nope").toString(), List.of(), Map.of(),
                "install it with: apt-get install nope", false, null, dir.resolve("config"), "alice");
        assertThatThrownBy(() -> new ExecCredentials(missing).current())
                .hasMessageContaining("cannot start exec plugin").hasMessageContaining("install it with: apt-get install nope");
    }

    @Test
    void aKubeconfigRunsRelativeCommandsFromItsDirectory() {
        plugin(ExecConfig.V1, null);
        Path kubeconfig = write(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                current-context: x
                clusters: [{name: c, cluster: {server: "https://h:1"}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                users:
                - name: u
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: ./bin/plugin.sh
                      args: [--cluster, prod]
                      env: [{name: PLUGIN_MODE, value: from-kubeconfig}]
                """);
        ClientConfig c = KubeConfig.load(List.of(kubeconfig)).toClientConfig();
        assertThat(c.credentials().current().bearerToken()).isEqualTo("exec-token-1");
        assertThat(c.credentials()).isInstanceOf(ExecCredentials.class);
    }
}
