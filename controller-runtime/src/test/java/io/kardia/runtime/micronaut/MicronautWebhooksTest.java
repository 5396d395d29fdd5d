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
            assertThat(registered).containsExactlyInAnyOrder("validator ConfigMap", "defaulter ConfigMap", "converter Gizmo");
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

    static final String GIZMO_CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gizmos.beans.kardia.io}
            spec:
              group: beans.kardia.io
              scope: Namespaced
              names: {plural: gizmos, singular: gizmo, kind: Gizmo, listKind: GizmoList}
              versions:
              - name: v1
                served: true
                storage: true
                schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {size: {type: integer}}}}}}
              - name: v2
                served: true
                storage: false
                schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {replicas: {type: integer}}}}}}
              # As @ConversionWebhook generates it: the in-cluster Service, replaced by installConversion.
              conversion:
                strategy: Webhook
                webhook:
                  conversionReviewVersions: [v1]
                  clientConfig: {service: {namespace: default, name: operator-webhook, path: /convert, port: 443}}
            """;

    @Test
    void converterBeansConvertBetweenTheVersionsTheStoreServes(TestEnvironment env) {
        env.apply(GIZMO_CRD);
        try (BeanContext beans = BeanContext.run()) {
            Webhooks.Builder builder = Webhooks.builder();
            assertThat(MicronautWebhooks.register(beans, builder)).contains("converter Gizmo");
            try (Webhooks webhooks = builder.build()) {
                assertThat(webhooks.paths()).contains(Webhooks.CONVERT_PATH);
                env.installConversion("gizmos.beans.kardia.io", webhooks);

                env.resources(GizmoV2.class).create(new GizmoV2(ObjectMeta.of("default", "g"), new GizmoV2.Spec(3), null));
                assertThat(env.resources(GizmoV1.class).get("default", "g").spec().size()).isEqualTo(3);
                GizmoV2 asV2 = env.resources(GizmoV2.class).get("default", "g");
                assertThat(asV2.apiVersion()).isEqualTo("beans.kardia.io/v2");
                assertThat(asV2.spec().replicas()).isEqualTo(3);

                KubeApiException refused = catchThrowableOfType(KubeApiException.class, () -> env.resources(GizmoV2.class)
                        .create(new GizmoV2(ObjectMeta.of("default", "negative"), new GizmoV2.Spec(-1), null)));
                assertThat(refused).isNotNull();
                assertThat(refused.status().message()).contains("replicas -1 is negative: v1 has no such size");
                assertThat(env.resources(GizmoV1.class).find("default", "negative")).isEmpty();
            }
        }
    }
}
