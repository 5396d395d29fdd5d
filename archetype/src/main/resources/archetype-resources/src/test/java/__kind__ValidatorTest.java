package ${package};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.micronaut.MicronautWebhooks;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.kardia.runtime.webhook.Webhooks;
import io.micronaut.context.BeanContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validating webhook, called by the test store on every write as a cluster would call it. */
@KardiaTest
class ${kind}ValidatorTest {

    @Test
    void theStoreRefusesAnInvalidKeyThroughTheWebhook(TestEnvironment env) {
        OperatorMain.installCrd(env.client());
        env.createNamespace("hooks");
        try (BeanContext beans = BeanContext.run()) {
            Webhooks.Builder builder = Webhooks.builder();
            MicronautWebhooks.register(beans, builder);
            try (Webhooks webhooks = builder.build()) {
                env.installWebhooks("${plural}-webhooks", webhooks);
                var resources = env.resources(${kind}.class);

                KubeApiException denied = catchThrowableOfType(KubeApiException.class, () -> resources.create(
                        ${kind}Builder.builder().metadata(ObjectMeta.of("hooks", "bad"))
                                .spec(${kind}SpecBuilder.builder().data(Map.of("not a key", "x")).build()).build()));
                assertThat(denied).isNotNull();
                assertThat(denied.status().code()).isEqualTo(422);
                assertThat(denied.status().message()).contains("'not a key' is not a valid ConfigMap key");

                resources.create(${kind}Builder.builder().metadata(ObjectMeta.of("hooks", "good"))
                        .spec(${kind}SpecBuilder.builder().data(Map.of("greeting", "hello")).build()).build());
                assertThat(resources.find("hooks", "good")).isPresent();
            }
        }
    }
}
