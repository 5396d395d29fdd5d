package io.kardia.store.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import io.kardia.store.ReferenceStore;
import io.kardia.store.TestKinds;
import io.kardia.store.testkit.KubectlHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A two-version custom resource converted by the operator's webhook, as the real kubectl sees it:
 * objects written in either version read in both ({@code widgets.v1.conv.kardia.io} and
 * {@code widgets.v2.conv.kardia.io}), and a v2 manifest applied with kubectl stored in v1.
 * Skipped when kubectl is not on the PATH.
 */
class KubectlConversionTest {
    @TempDir
    static Path dir;

    private static ReferenceStore store;
    private static KubectlHarness kubectl;
    private static TestWebhookServer hooks;

    @BeforeAll
    static void start() throws IOException {
        store = ReferenceStore.inMemory();
        kubectl = KubectlHarness.start(store, dir, "kubectl conversion tests");
        hooks = new TestWebhookServer();
        hooks.handle("/convert", ConversionContract::convert);
        store.client().resources(TestKinds.CRDS).create(ConversionContract.crdObject("""
                  conversion:
                    strategy: Webhook
                    webhook:
                      conversionReviewVersions: [v1]
                      clientConfig: {url: "%s", caBundle: %s}
                """.formatted(hooks.url("/convert"), hooks.caBundle()), ""));
    }

    @AfterAll
    static void stop() {
        if (kubectl != null) {
            kubectl.close();
        }
        if (hooks != null) {
            hooks.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private static JsonNode getJson(String resource, String name) throws Exception {
        KubectlHarness.Result r = kubectl.run("get", resource, name, "-n", "default", "-o", "json");
        return Json.tree(r.stdout().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void kubectlReadsAWebhookConvertedObjectInBothVersionsAndAppliesInTheOther() throws Exception {
        store.client().resources(ConversionContract.V1).create(ConversionContract.widget("v1", "one", "size", 3));

        JsonNode asV2 = getJson("widgets.v2.conv.kardia.io", "one");
        assertThat(asV2.path("apiVersion").asText()).isEqualTo("conv.kardia.io/v2");
        assertThat(asV2.path("spec").path("replicas").asInt()).isEqualTo(3);
        JsonNode asV1 = getJson("widgets.v1.conv.kardia.io", "one");
        assertThat(asV1.path("apiVersion").asText()).isEqualTo("conv.kardia.io/v1");
        assertThat(asV1.path("spec").path("size").asInt()).isEqualTo(3);

        Path manifest = dir.resolve("two.yaml");
        Files.writeString(manifest, """
                apiVersion: conv.kardia.io/v2
                kind: Widget
                metadata: {name: two, namespace: default}
                spec: {replicas: 5}
                """);
        assertThat(kubectl.run("apply", "-f", manifest.toString()).stdout()).contains("widget.conv.kardia.io/two created");
        assertThat(getJson("widgets.v1.conv.kardia.io", "two").path("spec").path("size").asInt()).as("stored in v1").isEqualTo(5);

        String table = kubectl.run("get", "widgets.v2.conv.kardia.io", "-n", "default").stdout();
        assertThat(table).contains("one").contains("two");
    }
}
