package io.kardia.runtime.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.Manager;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An operator's validator and defaulter, registered through the manager's builder and served by
 * its webhook server, called by the test kit's store on every write of their kind.
 */
abstract class WebhooksContract {
    /** Refuses a ConfigMap with a {@code forbidden} key; on update, refuses removing the {@code keep} key. */
    static final class ConfigMapValidator implements Validator<ConfigMap> {
        final AtomicInteger deletes = new AtomicInteger();

        @Override
        public List<String> validateCreate(ConfigMap cm) {
            if (cm.data() != null && cm.data().containsKey("forbidden")) {
                throw new AdmissionDeniedException("the key 'forbidden' is not allowed");
            }
            return cm.data() != null && cm.data().containsKey("old") ? List.of("the key 'old' is deprecated") : List.of();
        }

        @Override
        public List<String> validateUpdate(ConfigMap oldObject, ConfigMap newObject) {
            if (oldObject.data().containsKey("keep") && !newObject.data().containsKey("keep")) {
                throw new AdmissionDeniedException(422, "Invalid", "data.keep cannot be removed");
            }
            return validateCreate(newObject);
        }

        @Override
        public List<String> validateDelete(ConfigMap object) {
            deletes.incrementAndGet();
            return List.of();
        }
    }

    /** Labels every ConfigMap {@code defaulted=true} and adds {@code data.mode=default} when absent. */
    static ConfigMap defaults(ConfigMap cm) {
        Map<String, String> data = new HashMap<>(cm.data() == null ? Map.of() : cm.data());
        data.putIfAbsent("mode", "default");
        Map<String, String> labels = new HashMap<>(cm.metadata().labels() == null ? Map.of() : cm.metadata().labels());
        labels.put("defaulted", "true");
        return cm.withMetadata(cm.metadata().withLabels(labels)).withData(data);
    }

    static ConfigMap configMap(String name, Map<String, String> data) {
        return ConfigMap.of(ObjectMeta.of("default", name), data);
    }

    @Test
    void theStoreCallsTheManagersValidatorAndDefaulter(TestEnvironment env) throws Exception {
        ConfigMapValidator validator = new ConfigMapValidator();
        Webhooks webhooks = Webhooks.builder()
                .validator(ResourceTypes.CONFIG_MAP, validator, "CREATE", "UPDATE", "DELETE")
                .defaulter(ResourceTypes.CONFIG_MAP, WebhooksContract::defaults)
                .build();
        Manager manager = env.startManager(Manager.builder(env.client()).webhooks(webhooks).cacheSyncTimeout(Duration.ofSeconds(10))
                .gracefulShutdownTimeout(Duration.ofSeconds(5)), m -> { });
        assertThat(manager.webhooks()).containsSame(webhooks);
        env.installWebhooks("configmap-webhooks", webhooks);
        ResourceClient<ConfigMap> configMaps = env.client().resources(ConfigMap.class);

        ConfigMap created = configMaps.create(configMap("a", Map.of("keep", "x")));
        assertThat(created.metadata().labels()).containsEntry("defaulted", "true");
        assertThat(created.data()).containsEntry("mode", "default").containsEntry("keep", "x");

        KubeApiException refused = catchThrowableOfType(KubeApiException.class,
                () -> configMaps.create(configMap("b", Map.of("forbidden", "y"))));
        assertThat(refused).isNotNull();
        assertThat(refused.status().code()).isEqualTo(403);
        assertThat(refused.status().message())
                .isEqualTo("admission webhook \"vconfigmap.core.kardia.io\" denied the request: the key 'forbidden' is not allowed");
        assertThat(configMaps.find("default", "b")).isEmpty();

        KubeApiException invalid = catchThrowableOfType(KubeApiException.class,
                () -> configMaps.update(created.withData(Map.of("other", "z"))));
        assertThat(invalid.status().code()).isEqualTo(422);
        assertThat(invalid.status().message()).endsWith("denied the request: data.keep cannot be removed");
        assertThat(configMaps.get("default", "a").data()).containsKey("keep");

        configMaps.delete("default", "a");
        assertThat(validator.deletes.get()).isEqualTo(1);
        assertThat(configMaps.find("default", "a")).isEmpty();
    }

    @Test
    void theGeneratedConfigurationsNameKindsRulesAndTheCaBundle(TestEnvironment env) {
        Webhooks webhooks = Webhooks.builder().validator(ResourceTypes.CONFIG_MAP, new ConfigMapValidator()).build();
        var config = webhooks.validatingConfiguration("cm", Webhooks.Target.service("ops", "op-webhooks", 443));
        var hook = config.path("webhooks").get(0);
        assertThat(hook.path("name").asText()).isEqualTo("vconfigmap.core.kardia.io");
        assertThat(hook.path("clientConfig").path("service").toString())
                .isEqualTo("{\"namespace\":\"ops\",\"name\":\"op-webhooks\",\"port\":443,\"path\":\"/validate-core-v1-configmap\"}");
        assertThat(hook.path("clientConfig").path("caBundle").asText()).isEqualTo(webhooks.tls().caBundle().orElseThrow());
        assertThat(hook.path("rules").get(0).path("operations").toString()).isEqualTo("[\"CREATE\",\"UPDATE\"]");
        assertThat(hook.path("sideEffects").asText()).isEqualTo("None");
        assertThat(webhooks.mutatingConfiguration("cm", Webhooks.Target.url("https://x:1")).path("webhooks")).isEmpty();
        // the store accepts it as written (its validation is kube-apiserver's)
        env.apply(config.toString());
    }
}
