package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.micronaut.MicronautWebhooks;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.kardia.runtime.webhook.Webhooks;
import io.micronaut.context.BeanContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mutating webhook, called by the test store on every write as a cluster would call it. */
@KardiaTest
class ${kind}DefaulterTest {

    @Test
    void theStoreKeepsWhatTheWebhookDefaults(TestEnvironment env) {
        OperatorMain.installCrd(env.client());
        env.createNamespace("defaults");
        try (BeanContext beans = BeanContext.run()) {
            Webhooks.Builder builder = Webhooks.builder();
            MicronautWebhooks.register(beans, builder);
            try (Webhooks webhooks = builder.build()) {
                env.installWebhooks("${plural}-webhooks", webhooks);
                var resources = env.resources(${kind}.class);

                ${kind} unlabelled = resources.create(${kind}Builder.builder().metadata(ObjectMeta.of("defaults", "unlabelled"))
                        .spec(${kind}SpecBuilder.builder().data(Map.of("greeting", "hello")).build()).build());
                assertThat(unlabelled.metadata().labels()).containsEntry(${kind}Defaulter.PART_OF, ${kind}Defaulter.OPERATOR);
                assertThat(resources.get("defaults", "unlabelled").metadata().labels())
                        .containsEntry(${kind}Defaulter.PART_OF, ${kind}Defaulter.OPERATOR);

                // A label the user set is kept.
                ${kind} labelled = resources.create(${kind}Builder.builder()
                        .metadata(ObjectMeta.of("defaults", "labelled").withLabels(Map.of(${kind}Defaulter.PART_OF, "mine")))
                        .spec(${kind}SpecBuilder.builder().data(Map.of("greeting", "hello")).build()).build());
                assertThat(labelled.metadata().labels()).containsEntry(${kind}Defaulter.PART_OF, "mine");
            }
        }
    }
}
