package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Yaml;
import io.kardia.runtime.micronaut.MicronautWebhooks;
import io.kardia.runtime.webhook.Webhooks;
import io.micronaut.context.BeanContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deploy manifests the build completes in {@code target/deploy} hang together: kustomize
 * installs every generated file; the Deployment runs as the generated ServiceAccount, with the
 * probes on the port the operator serves them at, and leader election on; the CRDs come with the
 * manifests, not from the operator; and the webhook configurations (and the CRDs' conversion
 * webhooks) declare exactly the webhooks the {@code @KardiaWebhook} beans serve, through a Service
 * that reaches the operator's webhook port, with cert-manager's CA injected.
 */
class DeployManifestsTest {
    private static final Path DEPLOY = Path.of("target", "deploy");

    @Test
    void kustomizationListsEveryManifestAndOnlyExistingOnes() throws IOException {
        List<String> listed = new ArrayList<>();
        Yaml.tree(Files.readString(DEPLOY.resolve("kustomization.yaml"))).path("resources").forEach(r -> listed.add(r.asText()));
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            List<String> manifests = files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml"))
                    .map(f -> DEPLOY.relativize(f).toString().replace('\\', '/')).toList();
            assertThat(listed).as("target/deploy/kustomization.yaml (from src/main/deploy) lists every manifest of target/deploy")
                    .containsExactlyInAnyOrderElementsOf(manifests);
        }
        assertThat(listed).contains("crds/${plural}.${group}.yaml", "rbac/rbac.yaml");
    }

    @Test
    void theDeploymentRunsAsTheGeneratedServiceAccountWithProbesAndLeaderElection() throws IOException {
        JsonNode account = only(documents("rbac/rbac.yaml"), "ServiceAccount");
        JsonNode deployment = only(documents("operator.yaml"), "Deployment");
        assertThat(deployment.path("metadata").path("namespace").asText()).isEqualTo(account.path("metadata").path("namespace").asText());
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo(account.path("metadata").path("name").asText());

        JsonNode container = pod.path("containers").get(0);
        assertThat(container.path("image").asText()).as("the image Jib builds (operator.image)").isNotBlank().doesNotContain("{");
        OperatorOptions options = options(container);
        assertThat(options.leaderElect()).isTrue();
        assertThat(port(container, "http")).isEqualTo(options.httpPort());
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
        // The root file system is read-only: the JVM's AppCDS archive (-XX:SharedArchiveFile=/tmp/...) needs /tmp writable.
        assertThat(mountPaths(container)).containsKey("/tmp");
    }

    /**
     * As kubebuilder does it: the deployer applies the CRDs (they are in the kustomization), the
     * operator does not, so its ClusterRole need not let it rewrite CustomResourceDefinitions,
     * which are cluster-wide.
     */
    @Test
    void theCrdsComeWithTheManifestsNotFromTheOperator() throws IOException {
        JsonNode container = only(documents("operator.yaml"), "Deployment").path("spec").path("template").path("spec")
                .path("containers").get(0);
        assertThat(options(container).installCrds()).as("--install-crds in the Deployment").isFalse();
        for (JsonNode role : documents("rbac/rbac.yaml").stream().filter(d -> d.path("kind").asText().endsWith("Role")).toList()) {
            for (JsonNode rule : role.path("rules")) {
                assertThat(rule.path("resources").toString()).as("%s may not write CRDs", role.path("metadata").path("name").asText())
                        .doesNotContain("customresourcedefinitions");
            }
        }
    }

    @Test
    void theWebhookConfigurationsDeclareWhatTheWebhookBeansServe() throws IOException {
        List<JsonNode> all = allDocuments();
        JsonNode deployment = only(documents("operator.yaml"), "Deployment");
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
        OperatorOptions options = options(container);
        try (BeanContext beans = BeanContext.run()) {
            Webhooks.Builder builder = Webhooks.builder();
            List<String> registered = MicronautWebhooks.register(beans, builder);
            List<JsonNode> configurations = all.stream().filter(d -> d.path("kind").asText().endsWith("WebhookConfiguration")).toList();
            if (registered.isEmpty()) {
                assertThat(configurations).as("webhook configurations without @KardiaWebhook beans").isEmpty();
                return;
            }
            JsonNode service = only(all, "Service");
            String namespace = service.path("metadata").path("namespace").asText();
            String serviceName = service.path("metadata").path("name").asText();
            int servicePort = service.path("spec").path("ports").get(0).path("port").asInt();
            try (Webhooks webhooks = builder.build()) {
                Webhooks.Target target = Webhooks.Target.service(namespace, serviceName, servicePort);
                for (JsonNode expected : List.of(webhooks.validatingConfiguration("any", target), webhooks.mutatingConfiguration("any", target))) {
                    String kind = expected.path("kind").asText();
                    List<JsonNode> declared = configurations.stream().filter(c -> kind.equals(c.path("kind").asText())).toList();
                    if (expected.path("webhooks").isEmpty()) {
                        assertThat(declared).as("a %s without beans to serve it", kind).isEmpty();
                        continue;
                    }
                    assertThat(declared).as("one %s in target/deploy (src/main/deploy/webhook.yaml)", kind).hasSize(1);
                    JsonNode configuration = declared.getFirst();
                    assertThat(webhooksByName(configuration)).as("the webhooks of %s, compared with what the beans serve", kind)
                            .isEqualTo(webhooksByName(withoutCaBundle(expected)));
                    // cert-manager fills in clientConfig.caBundle from the Certificate it names.
                    JsonNode certificate = only(all, "Certificate");
                    assertThat(configuration.path("metadata").path("annotations").path("cert-manager.io/inject-ca-from").asText())
                            .isEqualTo(certificate.path("metadata").path("namespace").asText() + "/"
                                    + certificate.path("metadata").path("name").asText());
                    assertThat(certificate.path("spec").path("dnsNames").toString()).contains(serviceName + "." + namespace + ".svc");
                    assertThat(mountPaths(container)).as("the Certificate's Secret at --webhook-cert-dir")
                            .containsKey(options.webhookCertDir().toString().replace('\\', '/'));
                }
            }
            // The Service reaches the webhook server's port in the operator's pods.
            assertThat(service.path("spec").path("selector")).isEqualTo(deployment.path("spec").path("selector").path("matchLabels"));
            String targetPort = service.path("spec").path("ports").get(0).path("targetPort").asText();
            assertThat(port(container, targetPort)).as("the container port %s", targetPort).isEqualTo(options.webhookPort());
        }
    }

    /**
     * A CRD converted by a webhook (a {@code @ConversionWebhook} version record) calls the
     * Converter bean of its kind through the Service in front of the operator's webhook port, with
     * cert-manager's CA injected; a kind without a Converter bean has no conversion webhook.
     */
    @Test
    void theCrdsConversionWebhooksCallTheConverterBeansThroughTheService() throws IOException {
        List<JsonNode> all = allDocuments();
        List<JsonNode> crds = all.stream().filter(d -> "CustomResourceDefinition".equals(d.path("kind").asText())).toList();
        try (BeanContext beans = BeanContext.run()) {
            Webhooks.Builder builder = Webhooks.builder();
            List<String> converted = MicronautWebhooks.register(beans, builder).stream()
                    .filter(r -> r.startsWith("converter ")).map(r -> r.substring("converter ".length())).sorted().toList();
            List<JsonNode> withWebhook = crds.stream()
                    .filter(c -> "Webhook".equals(c.path("spec").path("conversion").path("strategy").asText())).toList();
            assertThat(withWebhook.stream().map(c -> c.path("spec").path("names").path("kind").asText()).sorted().toList())
                    .as("the kinds whose CRD has a conversion webhook (@ConversionWebhook) are the kinds of the Converter beans")
                    .isEqualTo(converted);
            if (converted.isEmpty()) {
                return;
            }
            JsonNode service = only(all, "Service");
            JsonNode certificate = only(all, "Certificate");
            try (Webhooks webhooks = builder.build()) {
                JsonNode expected = webhooks.conversion(Webhooks.Target.service(service.path("metadata").path("namespace").asText(),
                        service.path("metadata").path("name").asText(), service.path("spec").path("ports").get(0).path("port").asInt()));
                ((com.fasterxml.jackson.databind.node.ObjectNode) expected.path("webhook").path("clientConfig")).remove("caBundle");
                for (JsonNode crd : withWebhook) {
                    String name = crd.path("metadata").path("name").asText();
                    assertThat(crd.path("spec").path("conversion")).as("spec.conversion of %s", name).isEqualTo(expected);
                    assertThat(crd.path("metadata").path("annotations").path("cert-manager.io/inject-ca-from").asText())
                            .as("the Certificate whose CA cert-manager injects into %s", name)
                            .isEqualTo(certificate.path("metadata").path("namespace").asText() + "/"
                                    + certificate.path("metadata").path("name").asText());
                    assertThat(crd.path("spec").path("versions").size()).as("the versions of %s", name).isGreaterThan(1);
                }
            }
            // The Service reaches the webhook server, which serves the Certificate's Secret.
            JsonNode container = only(documents("operator.yaml"), "Deployment").path("spec").path("template").path("spec")
                    .path("containers").get(0);
            OperatorOptions options = options(container);
            assertThat(port(container, service.path("spec").path("ports").get(0).path("targetPort").asText()))
                    .isEqualTo(options.webhookPort());
            assertThat(mountPaths(container)).as("the Certificate's Secret at --webhook-cert-dir")
                    .containsKey(options.webhookCertDir().toString().replace('\\', '/'));
        }
    }

    private static OperatorOptions options(JsonNode container) {
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        return OperatorOptions.parse(args.toArray(String[]::new));
    }

    private static int port(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (name.equals(port.path("name").asText())) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("the operator's container has no port named " + name + ": " + container.path("ports"));
    }

    /** Mount path to volume name. */
    private static Map<String, String> mountPaths(JsonNode container) {
        Map<String, String> mounts = new TreeMap<>();
        container.path("volumeMounts").forEach(m -> mounts.put(m.path("mountPath").asText(), m.path("name").asText()));
        return mounts;
    }

    private static Map<String, JsonNode> webhooksByName(JsonNode configuration) {
        Map<String, JsonNode> byName = new TreeMap<>();
        configuration.path("webhooks").forEach(w -> byName.put(w.path("name").asText(), w));
        return byName;
    }

    /** The caBundle is cert-manager's to fill in, not the manifest's. */
    private static JsonNode withoutCaBundle(JsonNode configuration) {
        JsonNode copy = configuration.deepCopy();
        copy.path("webhooks").forEach(w -> ((com.fasterxml.jackson.databind.node.ObjectNode) w.path("clientConfig")).remove("caBundle"));
        return copy;
    }

    private static List<JsonNode> allDocuments() throws IOException {
        List<JsonNode> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).toList()) {
                all.addAll(Yaml.trees(Files.readString(f)));
            }
        }
        return all;
    }

    private static List<JsonNode> documents(String file) throws IOException {
        return Yaml.trees(Files.readString(DEPLOY.resolve(file)));
    }

    private static JsonNode only(List<JsonNode> documents, String kind) {
        List<JsonNode> found = documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        assertThat(found).as("one %s", kind).hasSize(1);
        return found.getFirst();
    }
}
