package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Namespace;
import io.kardia.store.ReferenceStore;
import io.kardia.store.TestKinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code kardia up} sets up, end to end: TLS material made once and reused, the kubeconfig
 * with CA data and token (owner-readable only), and core's HTTP client configured from that file.
 */
class KubeconfigTlsTest {
    @TempDir
    static Path dir;

    private static ReferenceStore store;
    private static ApiServer server;
    private static Path kubeconfig;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        store = ReferenceStore.inMemory();
        TlsMaterial tls = TlsMaterial.ensure(dir.resolve("tls"));
        token = BearerTokenAuthenticator.newToken();
        server = ApiServer.start(store, "127.0.0.1", 0, token, tls.sslContext());
        kubeconfig = dir.resolve("kubeconfig");
        KubeconfigWriter.write(kubeconfig, server.url(), token, tls.caPem());
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @Test
    void kubeconfigIsPrivateAndNamesTheServer() throws Exception {
        assertThat(server.url()).startsWith("https://127.0.0.1:");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig))).isEqualTo("rw-------");
        assertThat(Files.readString(kubeconfig)).contains("server: " + server.url(), "certificate-authority-data: ",
                "token: " + token, "current-context: kardia");
    }

    @Test
    void tlsMaterialIsReusedOnTheNextStart() throws Exception {
        String ca = TlsMaterial.ensure(dir.resolve("tls")).caPem();
        assertThat(TlsMaterial.ensure(dir.resolve("tls")).caPem()).isEqualTo(ca);
    }

    @Test
    void httpClientFromTheWrittenKubeconfigWorksOverTls() throws Exception {
        try (HttpKubeClient client = HttpKubeClient.fromKubeConfig(kubeconfig)) {
            assertThat(client.namespace()).isEqualTo("default");
            assertThat(client.resources(Namespace.class).list(null).items())
                    .extracting(n -> n.metadata().name()).contains("default", "kube-system");
            try (Watch<GenericObject> w = client.resources(TestKinds.CONFIGMAPS).watch("default",
                    new WatchOptions(null, null, store.currentRevision() + "", false, 30))) {
                client.resources(TestKinds.CONFIGMAPS).create(TestKinds.configMap("default", "over-tls", "v"));
                WatchEvent<GenericObject> e = w.next();
                assertThat(e.type()).isEqualTo(WatchEvent.Type.ADDED);
                assertThat(e.object().metadata().name()).isEqualTo("over-tls");
            }
        }
    }

    @Test
    void wrongTokenOverTlsIsUnauthorized() {
        try (KubeClient client = HttpKubeClient.create(ClientConfig.builder(server.url())
                .bearerToken(BearerTokenAuthenticator.newToken())
                .trustedCertificatesPem(readCa()).build())) {
            assertThatThrownBy(() -> client.resources(Namespace.class).list(null))
                    .isInstanceOf(KubeApiException.class)
                    .satisfies(e -> assertThat(((KubeApiException) e).status().code()).isEqualTo(401));
        }
    }

    private static String readCa() {
        try {
            return TlsMaterial.ensure(dir.resolve("tls")).caPem();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
