package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.PatchType;
import io.kardia.core.json.Json;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.Condition;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Lease;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceType;
import io.kardia.runtime.crd.Crds;
import io.kardia.runtime.micronaut.MicronautWebhooks;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.kardia.runtime.webhook.WebhookTls;
import io.kardia.runtime.webhook.Webhooks;
import io.micronaut.context.BeanContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator as its Deployment runs it, end to end: a store served over HTTPS with RBAC enforced,
 * the generated CRD and RBAC applied as {@code kubectl apply -k target/deploy} would, the webhook
 * certificate in a cert dir as cert-manager writes it, and {@link OperatorMain#main} itself,
 * started with the flags of a Deployment and a kubeconfig of its ServiceAccount: leader election,
 * the health and metrics endpoints and the admission and conversion webhooks (if any) on. A permission missing
 * from the generated RBAC fails here with the API server's 403. It ends as SIGTERM ends it: main's
 * thread is interrupted and closes the manager and the beans.
 */
@KardiaTest(rbac = true)
class OperatorEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60); // a loaded CI machine is slow; passing is fast

    @TempDir
    Path dir;

    @Test
    void mainRunsAsItsServiceAccountAndReconciles(TestEnvironment env) throws Exception {
        env.awaitTimeout(TIMEOUT);
        Crds.ensureInstalled(env.client(), ${kind}.class);
        String rbac = classpathResource("META-INF/kardia/rbac/rbac.yaml");
        JsonNode account = Yaml.trees(rbac).stream().filter(d -> "ServiceAccount".equals(d.path("kind").asText())).findFirst().orElseThrow();
        String accountNamespace = account.path("metadata").path("namespace").asText();
        env.createNamespace(accountNamespace);
        env.apply(rbac);
        Path kubeconfig = env.writeKubeconfig(dir.resolve("kubeconfig"), accountNamespace, account.path("metadata").path("name").asText());
        env.createNamespace("demo");
        Path certDir = writeCertDir(dir.resolve("serving-certs"));
        int[] ports = freePorts(2);
        int httpPort = ports[0];
        int webhookPort = ports[1];

        AtomicReference<Throwable> mainFailed = new AtomicReference<>();
        Thread main = Thread.ofPlatform().name("operator-main").start(() -> {
            try {
                OperatorMain.main(new String[] {"--kubeconfig=" + kubeconfig, "--http-port=" + httpPort, "--install-crds=false",
                        "--webhook-port=" + webhookPort, "--webhook-cert-dir=" + certDir});
            } catch (InterruptedException e) {
                // how the test stops it, as SIGTERM would
            } catch (Throwable e) {
                mainFailed.set(e);
            }
        });
        try {
            String base = "http://127.0.0.1:" + httpPort;
            // Ready: leading, caches synced, and the webhook server (started before the caches) listening.
            // (Refused connections count as "not yet"; -1: main has failed, see below.)
            Eventually.eventually(TIMEOUT, "main's /readyz answers 200",
                    () -> mainFailed.get() != null ? -1 : get(base + "/readyz").statusCode(), code -> code == 200 || code == -1);
            assertThat(mainFailed.get()).as("main failed").isNull();
            // With @KardiaWebhook beans main serves them: the store calls that server (failurePolicy
            // Fail) on the create below, as the API server calls it through the Service.
            installWebhookConfigurations(env, certDir, webhookPort);

            ${kind} created = env.resources(${kind}.class).create(${kind}Builder.builder().metadata(ObjectMeta.of("demo", "sample"))
                    .spec(${kind}SpecBuilder.builder().data(Map.of("greeting", "hello")).build()).build());
            ConfigMap configMap = env.awaitObject(ConfigMap.class, "demo", "sample-config",
                    cm -> "hello".equals(cm.data().get("greeting")));
            assertThat(configMap.metadata().controllerRef()).hasValueSatisfying(
                    ref -> assertThat(ref.uid()).isEqualTo(created.metadata().uid()));
            env.awaitObject(${kind}.class, "demo", "sample", r -> r.status() != null
                    && Condition.isTrue(r.status().conditions(), "Ready"));

            // Every version the CRD serves reads it: through main's Converter beans, if the kind has several versions.
            for (CustomResourceDefinition.Version version : Crds.generated(${kind}.class).spec().versions()) {
                ResourceType<GenericObject> type = ResourceType.generic("${group}", version.name(), "${kind}", "${plural}", true);
                assertThat(env.client().resources(type).get("demo", "sample").apiVersion()).isEqualTo(type.apiVersion());
            }

            // It leads through the Lease, in the kubeconfig context's namespace.
            Lease lease = env.resources(Lease.class).get("default", OperatorMain.LEASE_NAME);
            assertThat(lease.spec().holderIdentity()).isNotBlank();
            // The endpoints the Deployment's probes and a Prometheus scrape use.
            assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(base + "/metrics").body()).contains("controller_runtime_reconcile_total");
        } finally {
            main.interrupt();
            main.join(TIMEOUT.toMillis());
        }
        assertThat(main.isAlive()).as("main still running %s after its thread was interrupted", TIMEOUT).isFalse();
        assertThat(mainFailed.get()).as("main failed").isNull();
    }

    /**
     * The webhook configurations of the beans main serves, pointed at its port, trusting the cert
     * dir's CA; with a Converter bean, the CRD's conversion webhook too (as cert-manager would
     * inject the CA into the Service's address).
     */
    private static void installWebhookConfigurations(TestEnvironment env, Path certDir, int webhookPort) {
        try (BeanContext beans = BeanContext.run()) {
            Webhooks.Builder builder = Webhooks.builder().tls(WebhookTls.fromCertDir(certDir));
            List<String> registered = MicronautWebhooks.register(beans, builder);
            if (registered.isEmpty()) {
                return;
            }
            try (Webhooks webhooks = builder.build()) {
                Webhooks.Target target = Webhooks.Target.url("https://127.0.0.1:" + webhookPort);
                if (registered.contains("converter ${kind}")) {
                    ObjectNode conversion = webhooks.conversion(target);
                    // Merge-patched: the generated service reference goes (a CRD names a url or a service).
                    ((ObjectNode) conversion.path("webhook").path("clientConfig")).putNull("service");
                    ObjectNode patch = Json.mapper().createObjectNode();
                    patch.putObject("spec").set("conversion", conversion);
                    env.client().resources(CustomResourceDefinition.class)
                            .patch(null, "${plural}.${group}", PatchType.MERGE, patch.toString());
                }
                for (ObjectNode configuration : List.of(webhooks.validatingConfiguration("${plural}-validating", target),
                        webhooks.mutatingConfiguration("${plural}-mutating", target))) {
                    if (!configuration.path("webhooks").isEmpty()) {
                        env.apply(configuration.toString());
                    }
                }
            }
        }
    }

    /** tls.crt, tls.key and ca.crt for 127.0.0.1, as cert-manager's Secret holds them. */
    private static Path writeCertDir(Path certDir) throws IOException {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("test-ca").build();
        HeldCertificate server = new HeldCertificate.Builder().commonName("127.0.0.1").addSubjectAlternativeName("127.0.0.1")
                .addSubjectAlternativeName("localhost").signedBy(ca).build();
        Files.createDirectories(certDir);
        Files.writeString(certDir.resolve("tls.crt"), server.certificatePem() + ca.certificatePem());
        Files.writeString(certDir.resolve("tls.key"), server.privateKeyPkcs8Pem());
        Files.writeString(certDir.resolve("ca.crt"), ca.certificatePem());
        return certDir;
    }

    /** Distinct ports nothing listens on now (all held open together, so they differ). */
    private static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    private static HttpResponse<String> get(String url) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String classpathResource(String name) throws IOException {
        try (InputStream in = OperatorEndToEndTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("%s on the class path (generated by the build)", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
