package io.kardia.runtime.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.Manager;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.kardia.runtime.webhook.Webhooks;
import io.micronaut.context.BeanContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@KardiaTest
class MicronautWebhooksTest {

    @Test
    void webhookBeansAreServedByTheManagerAndCalledByTheStore(TestEnvironment env) throws Exception {
        try (BeanContext beans = BeanContext.run()) {
            Webhooks.Builder builder = Webhooks.builder();
            List<String> registered = MicronautWebhooks.register(beans, builder);
            assertThat(registered).containsExactlyInAnyOrder("validator ConfigMap", "defaulter ConfigMap");
            Webhooks webhooks = builder.build();
            Manager manager = env.startManager(Manager.builder(env.client()).webhooks(webhooks), m -> { });
            assertThat(manager.webhooks()).containsSame(webhooks);
            env.installWebhooks("bean-webhooks", webhooks);

            KubeApiException denied = catchThrowableOfType(KubeApiException.class, () -> env.resources(ConfigMap.class)
                    .create(ConfigMap.of(ObjectMeta.of("default", "bad"), Map.of("forbidden", "x"))));
            assertThat(denied).isNotNull();
            assertThat(denied.status().message()).contains("the key 'forbidden' is not allowed");

            ConfigMap ok = env.resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of("default", "good"), Map.of("k", "v")));
            assertThat(ok.metadata().labels()).containsEntry("defaulted-by", "bean");
            assertThat(beans.getBean(SeenConfigMaps.class).names).contains("validated:good", "validated:bad");
        }
    }
}
