package io.kardia.examples.staticsite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.Manager;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.kardia.runtime.webhook.Webhooks;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The StaticSite validating webhook, served by the operator's manager and called by the test kit's store over HTTP. */
@KardiaTest(http = true)
class StaticSiteWebhookTest {
    @Test
    void theStoreRefusesSitesTheValidatorRefuses(TestEnvironment env) throws Exception {
        env.resources(CustomResourceDefinition.class).create(StaticSiteCrd.definition());
        Webhooks webhooks = Webhooks.builder().validator(StaticSite.TYPE, new StaticSiteValidator()).build();
        env.startManager(Manager.builder(env.client()).webhooks(webhooks).cacheSyncTimeout(Duration.ofSeconds(10))
                .gracefulShutdownTimeout(Duration.ofSeconds(5)), StaticSiteOperator::register);
        env.installWebhooks("staticsite-webhooks", webhooks);
        ResourceClient<StaticSite> sites = env.resources(StaticSite.class);

        KubeApiException refused = catchThrowableOfType(KubeApiException.class, () -> sites.create(StaticSite.of(
                ObjectMeta.of("default", "bad"), StaticSiteSpec.of("nginx:latest", 1, Map.of("../etc", "x")))));
        assertThat(refused).isNotNull();
        assertThat(refused.status().code()).isEqualTo(422);
        assertThat(refused.status().message()).isEqualTo("admission webhook \"vstaticsite.examples.kardia.io\" denied the request: "
                + "spec.content: file name \"../etc\" must be a plain file name (no '/', not '.' or '..'); "
                + "spec.image: \"nginx:latest\" must name a fixed version, not :latest");
        assertThat(sites.find("default", "bad")).isEmpty();

        StaticSite ok = sites.create(StaticSite.of(ObjectMeta.of("default", "ok"), StaticSiteSpec.of("nginx:1.27", 1,
                Map.of("index.html", "<h1>hi</h1>"))));
        assertThat(ok.metadata().uid()).isNotEmpty();
        // The running reconciler writes the site's status too, so an update from a stale read may
        // meet a 409 first (kube checks the resourceVersion before admission): retry from the
        // latest read, as client-go's RetryOnConflict does, until admission is what answers.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StaticSite latest = sites.get("default", "ok");
            KubeApiException update = catchThrowableOfType(KubeApiException.class,
                    () -> sites.update(latest.withSpec(latest.spec().withImage("nginx:latest"))));
            assertThat(update).isNotNull();
            assertThat(update.status().code()).isEqualTo(422);
            assertThat(update.status().message()).endsWith("spec.image: \"nginx:latest\" must name a fixed version, not :latest");
        });
        assertThat(sites.get("default", "ok").spec().image()).isEqualTo("nginx:1.27");
    }
}
