package io.kardia.core.client.http;

import static io.kardia.core.client.http.MockApi.json;
import static io.kardia.core.client.http.MockApi.status;
import static io.kardia.core.config.TestFiles.b64;
import static io.kardia.core.config.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.config.KubeConfig;
import io.kardia.core.config.KubeConfigException;
import io.kardia.core.model.ResourceType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A known token, key and plugin secret must never show up in a toString() or an error message. */
class SecretsRedactionTest {
    static final String TOKEN = "tok-9f8e7d6c5b4a-SECRET";
    static final String PLUGIN_SECRET = "plugin-env-SECRET-42";
    static final HeldCertificate CLIENT = new HeldCertificate.Builder().rsa2048().commonName("alice").build();

    @TempDir
    Path dir;

    List<String> secrets() {
        String keyPem = CLIENT.privateKeyPkcs1Pem();
        String keyBody = keyPem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        return List.of(TOKEN, PLUGIN_SECRET, b64(keyPem), keyBody);
    }

    void assertNoSecret(Object o) {
        String text = o instanceof Throwable t ? t + " " + t.getMessage() + " " + t.getCause() : String.valueOf(o);
        for (String secret : secrets()) {
            assertThat(text).as("text of %s", o.getClass().getSimpleName()).doesNotContain(secret);
        }
    }

    KubeConfig kubeconfig(String server, String keyData) {
        Path file = write(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                current-context: a
                clusters: [{name: c, cluster: {server: "%s"}}]
                contexts: [{name: a, context: {cluster: c, user: token-user}}, {name: b, context: {cluster: c, user: exec-user}}]
                users:
                - name: token-user
                  user:
                    token: %s
                    client-certificate-data: %s
                    client-key-data: %s
                - name: exec-user
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: /bin/false
                      args: ["--password=%s"]
                      env: [{name: SECRET, value: %s}]
                """.formatted(server, TOKEN, b64(CLIENT.certificatePem()), keyData, PLUGIN_SECRET, PLUGIN_SECRET));
        return KubeConfig.load(List.of(file));
    }

    @Test
    void configObjectsHideCredentials() {
        KubeConfig kc = kubeconfig("https://h:6443", b64(CLIENT.privateKeyPkcs1Pem()));
        ClientConfig tokenConfig = kc.toClientConfig("a");
        ClientConfig execConfig = kc.toClientConfig("b");
        List<Object> objects = new ArrayList<>(List.of(kc, tokenConfig, execConfig, tokenConfig.credentials(),
                tokenConfig.credentials().current(), tokenConfig.credentials().current().clientCertificate(),
                execConfig.credentials()));
        objects.addAll(kc.users().values());
        objects.addAll(kc.clusters().values());
        try (HttpKubeClient client = HttpKubeClient.create(tokenConfig)) {
            objects.add(client);
        }
        assertThat(tokenConfig.credentials().current().bearerToken()).isEqualTo(TOKEN); // the secret is there...
        objects.forEach(this::assertNoSecret); // ...but never printed
    }

    @Test
    void errorsHideCredentials() throws Exception {
        List<Throwable> errors = new ArrayList<>();
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(json(401, status(401, "Unauthorized", "Unauthorized")));
            ClientConfig config = kubeconfig(server.url("/").toString(), b64(CLIENT.privateKeyPkcs1Pem()))
                    .toClientConfig("a").toBuilder().noRateLimit().build();
            ResourceType<?> type = ResourceType.generic("", "v1", "ConfigMap", "configmaps", true);
            try (HttpKubeClient client = HttpKubeClient.create(config)) {
                errors.add(catchIt(() -> client.resources(type).get("ns", "x")));
                server.close();
                errors.add(catchIt(() -> client.resources(type).get("ns", "x")));
            }
            // exec plugin that fails
            ClientConfig exec = kubeconfig(server.url("/").toString(), b64(CLIENT.privateKeyPkcs1Pem())).toClientConfig("b");
            errors.add(catchIt(() -> exec.credentials().current()));
        }
        // malformed key data: the message names the field, not the data
        String brokenKey = b64(CLIENT.privateKeyPkcs1Pem().replace("MII", "MIX"));
        errors.add(catchIt(() -> kubeconfig("https://h:1", brokenKey).toClientConfig("a")));

        assertThat(errors.get(0)).isInstanceOf(KubeApiException.UnauthorizedException.class);
        assertThat(errors.get(3)).isInstanceOf(KubeConfigException.class).hasMessageContaining("client-key-data");
        errors.forEach(this::assertNoSecret);
    }

    static Throwable catchIt(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void theTestCanFail() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertNoSecret(Map.of("token", TOKEN)))
                .isInstanceOf(AssertionError.class);
    }
}
