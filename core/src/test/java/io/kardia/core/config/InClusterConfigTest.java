package io.kardia.core.config;

import static io.kardia.core.config.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InClusterConfigTest {
    static final HeldCertificate CA = new HeldCertificate.Builder().certificateAuthority(0).commonName("cluster-ca").build();
    static final Map<String, String> ENV = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443");

    @TempDir
    Path dir;

    @Test
    void readsTheServiceAccountAndTheServiceEnvironment() {
        write(dir.resolve("token"), "sa-token-1\n");
        write(dir.resolve("ca.crt"), CA.certificatePem());
        write(dir.resolve("namespace"), "operators");

        assertThat(InClusterConfig.available(ENV, dir)).isTrue();
        ClientConfig c = InClusterConfig.load(ENV, dir);

        assertThat(c.server().toString()).isEqualTo("https://10.96.0.1:443");
        assertThat(c.namespace()).isEqualTo("operators");
        assertThat(c.trustedCertificates()).extracting(x -> x.getSubjectX500Principal().getName()).containsExactly("CN=cluster-ca");
        assertThat(c.credentials().current().bearerToken()).isEqualTo("sa-token-1");
    }

    @Test
    void ipv6HostsAreBracketedAndNamespaceDefaults() {
        write(dir.resolve("token"), "t");
        ClientConfig c = InClusterConfig.load(Map.of("KUBERNETES_SERVICE_HOST", "fd00::1", "KUBERNETES_SERVICE_PORT", "6443"), dir);
        assertThat(c.server().toString()).isEqualTo("https://[fd00::1]:6443");
        assertThat(c.namespace()).isEqualTo("default");
        assertThat(c.trustedCertificates()).isEmpty();
    }

    @Test
    void theTokenIsReReadPeriodicallyAndAfterA401() {
        java.nio.file.Path token = write(dir.resolve("token"), "old");
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        TokenFileCredentials source = new TokenFileCredentials(token, Duration.ofMinutes(1), null, clock);

        Credentials first = source.current();
        assertThat(first.bearerToken()).isEqualTo("old");
        write(token, "rotated");
        clock.advance(Duration.ofSeconds(30));
        assertThat(source.current().bearerToken()).as("cached within the period").isEqualTo("old");
        clock.advance(Duration.ofSeconds(30));
        assertThat(source.current().bearerToken()).as("re-read after the period").isEqualTo("rotated");

        write(token, "rotated-again");
        assertThat(source.refreshAfterUnauthorized(source.current()).bearerToken()).isEqualTo("rotated-again");
        assertThat(source.refreshAfterUnauthorized(source.current())).as("nothing new to try").isNull();
    }

    @Test
    void clearErrorsOutsideACluster() {
        assertThat(InClusterConfig.available(Map.of(), dir)).isFalse();
        assertThatThrownBy(() -> InClusterConfig.load(Map.of(), dir)).isInstanceOf(KubeConfigException.class)
                .hasMessageContaining("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT");
        assertThatThrownBy(() -> InClusterConfig.load(ENV, dir)).isInstanceOf(KubeConfigException.class)
                .hasMessageContaining(dir.resolve("token").toString());
        write(dir.resolve("token"), "t");
        write(dir.resolve("ca.crt"), "garbage");
        assertThatThrownBy(() -> InClusterConfig.load(ENV, dir)).isInstanceOf(KubeConfigException.class)
                .hasMessageContaining(dir.resolve("ca.crt").toString()).hasMessageContaining("BEGIN CERTIFICATE");
        assertThatThrownBy(() -> InClusterConfig.load(Map.of("KUBERNETES_SERVICE_HOST", "h", "KUBERNETES_SERVICE_PORT", "https"), dir))
                .hasMessageContaining("KUBERNETES_SERVICE_PORT must be a port number");
    }
}
