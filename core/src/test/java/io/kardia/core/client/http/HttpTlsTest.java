package io.kardia.core.client.http;

import static io.kardia.core.client.http.MockApi.configMap;
import static io.kardia.core.client.http.MockApi.json;
import static io.kardia.core.client.http.MockApi.ok;
import static io.kardia.core.client.http.MockApi.status;
import static io.kardia.core.config.TestFiles.b64;
import static io.kardia.core.config.TestFiles.resource;
import static io.kardia.core.config.TestFiles.script;
import static io.kardia.core.config.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.client.KubeClientException;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.config.KubeConfig;
import io.kardia.core.config.Pem;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** TLS, mTLS, HTTP/2 and credential plugins against a MockWebServer with its own CA. */
class HttpTlsTest {
    static final ResourceType<GenericObject> CONFIG_MAPS = ResourceType.generic("", "v1", "ConfigMap", "configmaps", true);
    static final HeldCertificate SERVER_CA = new HeldCertificate.Builder().certificateAuthority(0).commonName("server-ca").build();
    static final HeldCertificate CLIENT_CA = new HeldCertificate.Builder().certificateAuthority(0).commonName("client-ca").build();
    static final HeldCertificate RSA_CLIENT = new HeldCertificate.Builder().rsa2048().commonName("rsa-user").signedBy(CLIENT_CA).build();
    static final HeldCertificate EC_CLIENT = new HeldCertificate.Builder().ecdsa256().commonName("ec-user").signedBy(CLIENT_CA).build();
    static final String SEC1_CERT = resource("/io/kardia/core/config/ec-sec1-client.crt");
    static final String SEC1_KEY = resource("/io/kardia/core/config/ec-sec1-client.key");

    @TempDir
    Path dir;
    MockWebServer server;
    HttpKubeClient client;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        HeldCertificate serverCert = new HeldCertificate.Builder().commonName("localhost")
                .addSubjectAlternativeName("localhost").addSubjectAlternativeName("127.0.0.1")
                .signedBy(SERVER_CA).build();
        HandshakeCertificates serverTls = new HandshakeCertificates.Builder()
                .heldCertificate(serverCert)
                .addTrustedCertificate(CLIENT_CA.certificate())
                .addTrustedCertificate(Pem.certificates(SEC1_CERT).getFirst()) // self-signed client
                .build();
        server.useHttps(serverTls.sslSocketFactory());
        server.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
        server.start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    Path kubeconfig(String clusterFields, String userFields) {
        return write(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                current-context: test
                clusters:
                - name: mock
                  cluster:
                    server: %s
                %s
                contexts:
                - name: test
                  context: {cluster: mock, user: me, namespace: ns1}
                users:
                - name: me
                  user:
                %s
                """.formatted(server.url("/").toString(), indent(clusterFields), indent(userFields)));
    }

    static String indent(String fields) {
        return fields.isEmpty() ? "    {}" : fields.lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    HttpKubeClient clientFrom(Path kubeconfig) {
        ClientConfig config = KubeConfig.load(List.of(kubeconfig)).toClientConfig().toBuilder().noRateLimit().build();
        client = HttpKubeClient.create(config);
        return client;
    }

    RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        return r;
    }

    @Test
    void trustsTheCertificateAuthorityFromTheKubeconfigAndSpeaksHttp2() throws Exception {
        server.enqueue(ok(configMap("ns1", "cm1", "1")));
        clientFrom(kubeconfig("certificate-authority-data: " + b64(SERVER_CA.certificatePem()), "token: tls-token"));

        assertThat(client.resources(CONFIG_MAPS).get(client.namespace(), "cm1").metadata().name()).isEqualTo("cm1");

        RecordedRequest r = take();
        assertThat(r.getVersion()).isEqualTo("HTTP/2");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer tls-token");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v1/namespaces/ns1/configmaps/cm1");
    }

    @Test
    void offersOnlyXdhGroupsUntilAServerRefusesThemThenEveryGroup() throws Exception {
        // A server limited to P-256 (as with FIPS-only curves): the first handshake, offering only
        // X25519 and X448, fails; the request is repeated once offering every group, and the
        // client keeps offering every group (the second request opens no new failing connection).
        server.close();
        server = new MockWebServer();
        HandshakeCertificates serverTls = new HandshakeCertificates.Builder()
                .heldCertificate(new HeldCertificate.Builder().commonName("localhost")
                        .addSubjectAlternativeName("localhost").addSubjectAlternativeName("127.0.0.1")
                        .signedBy(SERVER_CA).build())
                .build();
        GroupLimitedSocketFactory p256Only = new GroupLimitedSocketFactory(serverTls.sslSocketFactory(), "secp256r1");
        server.useHttps(p256Only);
        server.setProtocols(List.of(Protocol.HTTP_1_1));
        server.start();
        server.enqueue(ok(configMap("ns1", "cm1", "1")));
        server.enqueue(ok(configMap("ns1", "cm2", "2")));
        clientFrom(kubeconfig("certificate-authority-data: " + b64(SERVER_CA.certificatePem()), ""));

        assertThat(client.resources(CONFIG_MAPS).get("ns1", "cm1").metadata().name()).isEqualTo("cm1");
        assertThat(p256Only.sockets).as("connections: the refused one and its retry").hasValue(2);
        assertThat(client.resources(CONFIG_MAPS).get("ns1", "cm2").metadata().name()).isEqualTo("cm2");
        assertThat(p256Only.sockets).as("connections after a second request on a kept-alive one").hasValue(2);

        // A client with its own connections and rate limit (the leader elector's) shares the TLS
        // setup: its first connection offers every group at once.
        server.enqueue(ok(configMap("ns1", "cm3", "3")));
        try (HttpKubeClient own = client.withOwnRateLimit(5, 10)) {
            assertThat(own.resources(CONFIG_MAPS).get("ns1", "cm3").metadata().name()).isEqualTo("cm3");
        }
        assertThat(p256Only.sockets).as("connections after the other client's first request").hasValue(3);
    }

    @Test
    void refusesAServerItDoesNotTrust() {
        HeldCertificate otherCa = new HeldCertificate.Builder().certificateAuthority(0).commonName("other").build();
        clientFrom(kubeconfig("certificate-authority-data: " + b64(otherCa.certificatePem()), ""));
        assertThatThrownBy(() -> client.resources(CONFIG_MAPS).get("ns1", "cm1"))
                .isExactlyInstanceOf(KubeClientException.class)
                .hasMessageContaining("GET https://")
                .hasMessageContaining("SSL");
    }

    @Test
    void insecureSkipTlsVerifyTrustsAnyServer() {
        server.enqueue(ok(configMap("ns1", "cm1", "1")));
        clientFrom(kubeconfig("insecure-skip-tls-verify: true", ""));
        assertThat(client.resources(CONFIG_MAPS).get("ns1", "cm1").metadata().name()).isEqualTo("cm1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientKeys")
    void presentsClientCertificatesWithEveryKeyForm(String form, String certPem, String keyPem, String subject) throws Exception {
        server.requireClientAuth();
        server.enqueue(ok(configMap("ns1", "cm1", "1")));
        write(dir.resolve("pki/client.crt"), certPem);
        write(dir.resolve("pki/client.key"), keyPem);
        clientFrom(kubeconfig("certificate-authority-data: " + b64(SERVER_CA.certificatePem()),
                "client-certificate: pki/client.crt\nclient-key: pki/client.key"));

        client.resources(CONFIG_MAPS).get("ns1", "cm1");

        RecordedRequest r = take();
        assertThat(r.getHandshake().peerPrincipal().getName()).contains(subject);
    }

    static Stream<Arguments> clientKeys() {
        return Stream.of(
                Arguments.of("RSA PKCS#1", RSA_CLIENT.certificatePem(), RSA_CLIENT.privateKeyPkcs1Pem(), "CN=rsa-user"),
                Arguments.of("RSA PKCS#8", RSA_CLIENT.certificatePem(), RSA_CLIENT.privateKeyPkcs8Pem(), "CN=rsa-user"),
                Arguments.of("EC PKCS#8", EC_CLIENT.certificatePem(), EC_CLIENT.privateKeyPkcs8Pem(), "CN=ec-user"),
                Arguments.of("EC SEC1 (openssl)", SEC1_CERT, SEC1_KEY, "CN=kardia-test-ec-client"));
    }

    @Test
    void clientCertificateDataWorksInline() throws Exception {
        server.requireClientAuth();
        server.enqueue(ok(configMap("ns1", "cm1", "1")));
        clientFrom(kubeconfig("certificate-authority-data: " + b64(SERVER_CA.certificatePem()),
                "client-certificate-data: " + b64(EC_CLIENT.certificatePem()) + "\nclient-key-data: "
                        + b64(EC_CLIENT.privateKeyPkcs8Pem())));
        client.resources(CONFIG_MAPS).get("ns1", "cm1");
        assertThat(take().getHandshake().peerPrincipal().getName()).contains("CN=ec-user");
    }

    @Test
    void withoutAClientCertificateAServerThatRequiresOneRefuses() {
        server.requireClientAuth();
        clientFrom(kubeconfig("certificate-authority-data: " + b64(SERVER_CA.certificatePem()), "token: t"));
        assertThatThrownBy(() -> client.resources(CONFIG_MAPS).get("ns1", "cm1")).isInstanceOf(KubeClientException.class);
    }

    @Test
    void execPluginTokensAreCachedAndThePluginRunsAgainOnceAfterA401() throws Exception {
        script(dir.resolve("plugin.sh"), """
                n=$(cat "%1$s/runs" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "%1$s/runs"
                echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-'$n'"}}'
                """.formatted(dir));
        clientFrom(kubeconfig("certificate-authority-data: " + b64(SERVER_CA.certificatePem()), """
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./plugin.sh"""));
        server.enqueue(ok(configMap("ns1", "a", "1")));
        server.enqueue(json(401, status(401, "Unauthorized", "Unauthorized")));
        server.enqueue(ok(configMap("ns1", "b", "2")));
        server.enqueue(json(401, status(401, "Unauthorized", "Unauthorized")));
        server.enqueue(json(401, status(401, "Unauthorized", "Unauthorized")));

        client.resources(CONFIG_MAPS).get("ns1", "a");
        assertThat(client.resources(CONFIG_MAPS).get("ns1", "b").metadata().name()).isEqualTo("b");
        assertThatThrownBy(() -> client.resources(CONFIG_MAPS).get("ns1", "c"))
                .isInstanceOf(io.kardia.core.client.KubeApiException.UnauthorizedException.class);

        assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer exec-1");
        assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer exec-1"); // cached, then 401
        assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer exec-2"); // re-run once
        assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer exec-2");
        assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer exec-3"); // retried once only
        assertThat(server.getRequestCount()).isEqualTo(5);
        assertThat(Files.readString(dir.resolve("runs")).strip()).isEqualTo("3");
    }

    @Test
    void inClusterConfigTalksTlsWithTheServiceAccountAndFollowsTokenRotation() throws Exception {
        Path sa = dir.resolve("serviceaccount");
        write(sa.resolve("token"), "sa-token-1");
        write(sa.resolve("ca.crt"), SERVER_CA.certificatePem());
        write(sa.resolve("namespace"), "ns1");
        ClientConfig config = io.kardia.core.config.InClusterConfig.load(java.util.Map.of(
                "KUBERNETES_SERVICE_HOST", server.getHostName(),
                "KUBERNETES_SERVICE_PORT", Integer.toString(server.getPort())), sa);
        client = HttpKubeClient.create(config);
        server.enqueue(ok(configMap("ns1", "cm1", "1")));
        server.enqueue(json(401, status(401, "Unauthorized", "Unauthorized")));
        server.enqueue(ok(configMap("ns1", "cm1", "2")));

        client.resources(CONFIG_MAPS).get(client.namespace(), "cm1");
        write(sa.resolve("token"), "sa-token-2"); // kubelet rotated the projected token
        assertThat(client.resources(CONFIG_MAPS).get(client.namespace(), "cm1").metadata().resourceVersion()).isEqualTo("2");

        RecordedRequest first = take();
        assertThat(first.getUrl().encodedPath()).isEqualTo("/api/v1/namespaces/ns1/configmaps/cm1");
        assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer sa-token-1");
        assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer sa-token-1"); // still cached: 401
        assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer sa-token-2"); // re-read and retried
    }

    @Test
    void tlsServerNameIsSentAsSniAndVerifiedInsteadOfTheUrlHost() throws Exception {
        HeldCertificate named = new HeldCertificate.Builder().commonName("kardia.internal")
                .addSubjectAlternativeName("kardia.internal").signedBy(SERVER_CA).build();
        try (MockWebServer other = new MockWebServer()) {
            other.useHttps(new HandshakeCertificates.Builder().heldCertificate(named).build().sslSocketFactory());
            other.start();
            other.enqueue(ok(configMap("ns1", "cm1", "1")));
            String ca = "certificate-authority-data: " + b64(SERVER_CA.certificatePem());
            ClientConfig base = ClientConfig.builder(other.url("/").toString()).noRateLimit()
                    .trustedCertificatesPem(SERVER_CA.certificatePem()).build();

            try (HttpKubeClient plain = HttpKubeClient.create(base)) {
                assertThatThrownBy(() -> plain.resources(CONFIG_MAPS).get("ns1", "cm1"))
                        .isInstanceOf(KubeClientException.class).hasMessageContaining("localhost");
            }
            Path file = write(dir.resolve("named"), """
                    apiVersion: v1
                    kind: Config
                    current-context: x
                    clusters: [{name: c, cluster: {server: "%s", tls-server-name: kardia.internal, %s}}]
                    contexts: [{name: x, context: {cluster: c}}]
                    """.formatted(other.url("/"), ca));
            ClientConfig named1 = KubeConfig.load(List.of(file)).toClientConfig();
            assertThat(named1.tlsServerName()).isEqualTo("kardia.internal");
            try (HttpKubeClient viaName = HttpKubeClient.create(named1)) {
                assertThat(viaName.resources(CONFIG_MAPS).get("ns1", "cm1").metadata().name()).isEqualTo("cm1");
            }
            RecordedRequest r = other.takeRequest(5, TimeUnit.SECONDS);
            assertThat(r.getHandshakeServerNames()).containsExactly("kardia.internal");
        }
    }

    /** A server's TLS sockets limited to some key-exchange groups, counted. */
    static final class GroupLimitedSocketFactory extends ConfiguringSocketFactory {
        final java.util.concurrent.atomic.AtomicInteger sockets = new java.util.concurrent.atomic.AtomicInteger();
        private final String[] groups;

        GroupLimitedSocketFactory(javax.net.ssl.SSLSocketFactory delegate, String... groups) {
            super(delegate);
            this.groups = groups;
        }

        @Override
        java.net.Socket configure(java.net.Socket socket) {
            sockets.incrementAndGet();
            javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) socket;
            javax.net.ssl.SSLParameters parameters = ssl.getSSLParameters();
            parameters.setNamedGroups(groups);
            ssl.setSSLParameters(parameters);
            return ssl;
        }
    }
}
