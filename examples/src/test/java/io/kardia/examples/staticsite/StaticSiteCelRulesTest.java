package io.kardia.examples.staticsite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CEL rules of the generated StaticSite CRD ({@code x-kubernetes-validations} on
 * {@code spec.content}), enforced by the store as kube-apiserver would, on both transports: each
 * broken rule is one cause at {@code spec.content} with the rule's message (or its
 * messageExpression's), and nothing is stored.
 */
class StaticSiteCelRulesTest {
    @Test
    @KardiaTest
    void theRulesRefuseBadContentInProcess(TestEnvironment env) {
        theRulesRefuseBadContent(env);
    }

    @Test
    @KardiaTest(http = true)
    void theRulesRefuseBadContentOverHttp(TestEnvironment env) {
        theRulesRefuseBadContent(env);
    }

    @Test
    void theGeneratedCrdCarriesTheRules() {
        assertThat(StaticSiteCrd.yaml()).contains("x-kubernetes-validations:", "self.all(f, f.size() <= 253)");
    }

    private static void theRulesRefuseBadContent(TestEnvironment env) {
        env.resources(CustomResourceDefinition.class).create(StaticSiteCrd.definition());
        ResourceClient<StaticSite> sites = env.resources(StaticSite.class);
        String longName = "f".repeat(254);
        String bigFile = "x".repeat(StaticSiteSpec.MAX_FILE_BYTES + 1);

        KubeApiException refused = catchThrowableOfType(KubeApiException.class, () -> sites.create(
                StaticSite.of(ObjectMeta.of("default", "bad"), StaticSiteSpec.of("nginx:1.27", 1,
                        Map.of(longName, "x", "index.html", bigFile)))));
        assertThat(refused).isNotNull();
        assertThat(refused.code()).isEqualTo(422);
        assertThat(refused.status().details().causes()).extracting(c -> c.field() + ": " + c.message()).containsExactlyInAnyOrder(
                "spec.content: Invalid value: \"object\": file names must be at most 253 characters (they become ConfigMap keys)",
                "spec.content: Invalid value: \"object\": each of the 2 files must be at most " + StaticSiteSpec.MAX_FILE_BYTES
                        + " bytes (a ConfigMap holds at most 1 MiB)");
        assertThat(sites.find("default", "bad")).as("a refused site is not stored").isEmpty();

        StaticSite ok = sites.create(StaticSite.of(ObjectMeta.of("default", "ok"),
                StaticSiteSpec.of("nginx:1.27", 1, Map.of("index.html", "<h1>hi</h1>"))));
        KubeApiException update = catchThrowableOfType(KubeApiException.class, () -> sites.update(
                ok.withSpec(ok.spec().withContent(Map.of(longName, "x")))));
        assertThat(update).isNotNull();
        assertThat(update.status().message()).contains("file names must be at most 253 characters");
        assertThat(sites.get("default", "ok").spec().content()).containsOnlyKeys("index.html");
    }
}
