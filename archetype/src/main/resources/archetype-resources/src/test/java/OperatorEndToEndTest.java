package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.Condition;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Lease;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.Manager;
import io.kardia.runtime.crd.Crds;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.micronaut.context.BeanContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator as its Deployment runs it, end to end: a store served over HTTP with RBAC enforced,
 * the generated CRD and RBAC applied as {@code kubectl apply -k target/deploy} would, and the
 * operator's {@code main} wiring started from a kubeconfig of its ServiceAccount, with leader
 * election, the health and metrics endpoints and the admission webhooks (if any) on. A permission
 * missing from the generated RBAC fails here with the API server's 403.
 */
@KardiaTest(rbac = true)
class OperatorEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60); // a loaded CI machine is slow; passing is fast

    @TempDir
    Path dir;

    @Test
    void runsAsItsServiceAccountAndReconciles(TestEnvironment env) throws Exception {
        env.awaitTimeout(TIMEOUT);
        Crds.ensureInstalled(env.client(), ${kind}.class);
        String rbac = classpathResource("META-INF/kardia/rbac/rbac.yaml");
        JsonNode account = Yaml.trees(rbac).stream().filter(d -> "ServiceAccount".equals(d.path("kind").asText())).findFirst().orElseThrow();
        String accountNamespace = account.path("metadata").path("namespace").asText();
        env.createNamespace(accountNamespace);
        env.apply(rbac);
        Path kubeconfig = env.writeKubeconfig(dir.resolve("kubeconfig"), accountNamespace, account.path("metadata").path("name").asText());
        env.createNamespace("demo");

        try (BeanContext beans = BeanContext.run();
             Manager manager = OperatorMain.newManager(beans, OperatorOptions.parse(
                     "--kubeconfig=" + kubeconfig, "--http-port=0", "--install-crds=false", "--webhook-port=0"))) {
            manager.start();
            // With @KardiaWebhook beans main serves them: the store calls that server (failurePolicy
            // Fail) on the create below, as the API server calls it through the Service.
            manager.webhooks().ifPresent(webhooks -> env.installWebhooks("${plural}-webhooks", webhooks));

            ${kind} created = env.resources(${kind}.class).create(${kind}Builder.builder().metadata(ObjectMeta.of("demo", "sample"))
                    .spec(${kind}SpecBuilder.builder().data(Map.of("greeting", "hello")).build()).build());
            ConfigMap configMap = env.awaitObject(ConfigMap.class, "demo", "sample-config",
                    cm -> "hello".equals(cm.data().get("greeting")));
            assertThat(configMap.metadata().controllerRef()).hasValueSatisfying(
                    ref -> assertThat(ref.uid()).isEqualTo(created.metadata().uid()));
            env.awaitObject(${kind}.class, "demo", "sample", r -> r.status() != null
                    && Condition.isTrue(r.status().conditions(), "Ready"));

            // It leads through the Lease, in the kubeconfig context's namespace.
            Lease lease = env.resources(Lease.class).get("default", OperatorMain.LEASE_NAME);
            assertThat(lease.spec().holderIdentity()).isNotBlank();
            // The endpoints the Deployment's probes and a Prometheus scrape use.
            String base = "http://127.0.0.1:" + manager.httpPort();
            assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
            Eventually.eventually(TIMEOUT, "/readyz answers 200", () -> get(base + "/readyz").statusCode(), code -> code == 200);
            assertThat(get(base + "/metrics").body()).contains("controller_runtime_reconcile_total");
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
