package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deploy manifests the build completes in {@code target/deploy} hang together: kustomize
 * installs every generated file, and the Deployment runs as the generated ServiceAccount, with the
 * probes on the port the operator serves them at, and leader election on.
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
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        OperatorOptions options = OperatorOptions.parse(args.toArray(String[]::new));
        assertThat(options.leaderElect()).isTrue();
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(options.httpPort());
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
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
