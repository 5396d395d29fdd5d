package io.kardia.controllers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kardia.controllers.ControllerManager;
import io.kardia.controllers.node.NodeLifecycleOptions;
import io.kardia.controllers.scheduler.SchedulerOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.json.Json;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.CustomResourceDefinition.Names;
import io.kardia.core.model.CustomResourceDefinition.Spec;
import io.kardia.core.model.CustomResourceDefinition.Version;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceType;
import io.kardia.runtime.Manager;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.http.ApiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The namespace and CRD cleanup controllers against an API server that lacks them: a reference
 * store started without its in-store lifecycle, served over HTTP, as {@code kardia controllers}
 * would meet any API server. Without the controllers a deleted namespace stays Terminating (as
 * with a kube-apiserver that has no controller manager); with them, deletion completes.
 */
class LifecycleControllersEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private ReferenceStore store;
    private ApiServer server;
    private KubeClient client;
    private Manager controllers;

    @BeforeEach
    void startStoreWithoutInStoreLifecycle() throws Exception {
        store = ReferenceStore.inMemory(StoreOptions.defaults().withInStoreLifecycle(false));
        String token = UUID.randomUUID().toString();
        server = ApiServer.start(store, "127.0.0.1", 0, token, null);
        client = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(token).noRateLimit().build());
    }

    @AfterEach
    void stop() {
        if (controllers != null) {
            controllers.close();
        }
        client.close();
        server.close();
        store.close();
    }

    private void startControllers() throws InterruptedException {
        controllers = ControllerManager.start(client, NodeLifecycleOptions.defaults(), SchedulerOptions.defaults(), false);
    }

    private Namespace namespace(String name) {
        return client.resources(Namespace.class).get(null, name);
    }

    @Test
    void deleteNamespaceWaitsForTheControllerThenCompletes() throws Exception {
        client.resources(Namespace.class).create(Namespace.named("shop"));
        assertThat(namespace("shop").spec()).containsEntry("finalizers", List.of("kubernetes"));
        client.resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of("shop", "plain"), Map.of("a", "1")));
        client.resources(ConfigMap.class).create(ConfigMap.of(
                ObjectMeta.builder().namespace("shop").name("held").finalizer("example.com/hold").build(), Map.of()));

        client.resources(Namespace.class).delete(null, "shop");

        // No namespace controller yet: Terminating, content untouched, new content refused.
        Namespace terminating = namespace("shop");
        assertThat(terminating.metadata().isBeingDeleted()).isTrue();
        assertThat(terminating.status()).containsEntry("phase", "Terminating");
        assertThat(client.resources(ConfigMap.class).list("shop").items()).hasSize(2);
        assertThatThrownBy(() -> client.resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of("shop", "late"), Map.of())))
                .isInstanceOf(KubeApiException.ForbiddenException.class)
                .hasMessageContaining("because it is being terminated");

        startControllers();

        // The content goes, except what a finalizer holds; the conditions say so.
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(client.resources(ConfigMap.class).find("shop", "plain")).isEmpty();
            assertThat(condition(namespace("shop"), "NamespaceFinalizersRemaining"))
                    .containsEntry("status", "True").containsEntry("reason", "SomeFinalizersRemain")
                    .containsEntry("message", "Some content in the namespace has finalizers remaining: "
                            + "example.com/hold in 1 resource instances");
            assertThat(condition(namespace("shop"), "NamespaceContentRemaining"))
                    .containsEntry("status", "True")
                    .containsEntry("message", "Some resources are remaining: configmaps. has 1 resource instances");
            assertThat(condition(namespace("shop"), "NamespaceDeletionContentFailure"))
                    .containsEntry("status", "False").containsEntry("reason", "ContentDeleted");
        });
        assertThat(namespace("shop").spec()).containsEntry("finalizers", List.of("kubernetes"));

        ConfigMap held = client.resources(ConfigMap.class).get("shop", "held");
        client.resources(ConfigMap.class).update(held.withMetadata(held.metadata().toBuilder()
                .removeFinalizer("example.com/hold").build()));

        await().atMost(PATIENCE).until(() -> client.resources(Namespace.class).find(null, "shop").isEmpty());
    }

    @Test
    void deleteCustomResourceDefinitionRemovesItsObjectsFirst() throws Exception {
        client.resources(Namespace.class).create(Namespace.named("apps"));
        CustomResourceDefinition crd = CustomResourceDefinition.of(Spec.of("example.com",
                Names.of("widgets", "widget", "Widget"), CustomResourceDefinition.NAMESPACED,
                List.of(Version.of("v1", true, true))));
        client.resources(CustomResourceDefinition.class).create(crd);
        ResourceType<GenericObject> widgets = ResourceType.generic("example.com", "v1", "Widget", "widgets", true);
        await().atMost(PATIENCE).ignoreExceptions().until(() -> client.resources(widgets).create(
                Json.fromTree(Json.mapper().readTree("""
                        {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"namespace":"apps","name":"w1"}}"""),
                        GenericObject.class)) != null);

        client.resources(CustomResourceDefinition.class).delete(null, "widgets.example.com");

        CustomResourceDefinition terminating = client.resources(CustomResourceDefinition.class).get(null, "widgets.example.com");
        assertThat(terminating.metadata().finalizers()).contains(CustomResourceCleanupController.FINALIZER);
        assertThat(client.resources(widgets).list("apps").items()).hasSize(1);

        startControllers();

        await().atMost(PATIENCE).until(() ->
                client.resources(CustomResourceDefinition.class).find(null, "widgets.example.com").isEmpty());
        assertThatThrownBy(() -> client.resources(widgets).list("apps"))
                .isInstanceOf(KubeApiException.NotFoundException.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> condition(Namespace ns, String type) {
        Object conditions = ns.status().get("conditions");
        if (conditions instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
                    return (Map<String, Object>) m;
                }
            }
        }
        return Map.of();
    }
}
