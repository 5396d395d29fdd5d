package io.kardia.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.DeleteOptions.PropagationPolicy;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.CustomResourceDefinition.Names;
import io.kardia.core.model.CustomResourceDefinition.Spec;
import io.kardia.core.model.CustomResourceDefinition.Subresources;
import io.kardia.core.model.CustomResourceDefinition.Version;
import io.kardia.core.model.Event;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17's "done when" for the garbage collector: against {@code kardia up} over HTTP, a custom
 * resource whose kind was defined after the control plane started owns a ConfigMap and a Service;
 * deleting it deletes both. The same run checks foreground and orphan deletion of custom
 * resources and the Event for an owner reference that names an owner in another namespace.
 */
class GarbageCollectionOnKardiaUpTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ResourceType<GenericObject> WIDGET = ResourceType.generic("gc.example.com", "v1", "Widget",
            "widgets", true);

    @Test
    void aCustomResourceTakesItsConfigMapAndServiceWithItOnKardiaUp(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("data");
        Shutdown shutdown = Shutdown.onRequest();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread.ofPlatform().name("kardia-up").start(() -> {
            try {
                exit.complete(KardiaMain.run(new KardiaCommand(shutdown), Map.of(), new PrintWriter(out, true),
                        new PrintWriter(err, true), "up", "--data-dir", dataDir.toString(), "--port", "0", "--nodes", "1"));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
        try {
            await().atMost(Duration.ofSeconds(180)).until(() -> out.toString().contains("Kardia is up") || exit.isDone());
            assertThat(exit).as("up exited early: %s", err).isNotDone();
            try (KubeClient client = HttpKubeClient.fromKubeConfig(dataDir.resolve("kubeconfig"))) {
                ResourceClient<GenericObject> widgets = installWidgetKind(client);
                client.resources(Namespace.class).create(Namespace.named("a"));
                client.resources(Namespace.class).create(Namespace.named("b"));
                backgroundDeletion(client, widgets);
                foregroundDeletion(client, widgets);
                orphanDeletion(client, widgets);
                ownerInAnotherNamespace(client, widgets);
            }
        } finally {
            shutdown.request();
            assertThat(exit.get(60, TimeUnit.SECONDS)).as("up's exit status; stderr: %s", err).isZero();
        }
    }

    private static ResourceClient<GenericObject> installWidgetKind(KubeClient client) {
        Map<String, Object> schema = Map.of("type", "object", "x-kubernetes-preserve-unknown-fields", true);
        client.resources(CustomResourceDefinition.class).create(CustomResourceDefinition.of(Spec.of(WIDGET.group(),
                Names.of(WIDGET.plural(), WIDGET.singular(), WIDGET.kind()), CustomResourceDefinition.NAMESPACED,
                List.of(new Version("v1", true, true, Map.of("openAPIV3Schema", schema), Subresources.withStatus(), null)))));
        ResourceClient<GenericObject> widgets = client.resources(WIDGET);
        await().atMost(WAIT).ignoreExceptions().until(() -> widgets.list("a") != null);
        return widgets;
    }

    private static void backgroundDeletion(KubeClient client, ResourceClient<GenericObject> widgets) {
        GenericObject widget = widgets.create(GenericObject.of(WIDGET, ObjectMeta.of("a", "w1")));
        OwnerReference owner = OwnerReference.controllerOf(widget);
        var configMaps = client.resources(ConfigMap.class);
        var services = client.resources(ResourceTypes.SERVICE);
        configMaps.create(ConfigMap.of(ObjectMeta.builder().namespace("a").name("w1-config").ownerReference(owner).build(),
                Map.of("k", "v")));
        services.create(GenericObject.of(ResourceTypes.SERVICE, ObjectMeta.builder().namespace("a").name("w1")
                .ownerReference(owner).build()).withAt("spec.ports", List.of(Map.of("port", 80))));

        widgets.delete("a", "w1");
        await().atMost(WAIT).alias("the ConfigMap to be collected").until(() -> configMaps.find("a", "w1-config").isEmpty());
        await().atMost(WAIT).alias("the Service to be collected").until(() -> services.find("a", "w1").isEmpty());
    }

    /** The custom resource waits (foregroundDeletion finalizer) until its blocking dependent is gone. */
    private static void foregroundDeletion(KubeClient client, ResourceClient<GenericObject> widgets) {
        GenericObject widget = widgets.create(GenericObject.of(WIDGET, ObjectMeta.of("a", "w2")));
        var configMaps = client.resources(ConfigMap.class);
        configMaps.create(ConfigMap.of(ObjectMeta.builder().namespace("a").name("w2-config").finalizer("example.com/hold")
                .ownerReference(OwnerReference.controllerOf(widget)).build(), Map.of()));

        widgets.delete("a", "w2", DeleteOptions.propagation(PropagationPolicy.Foreground));
        await().atMost(WAIT).alias("the ConfigMap to be deleted first")
                .until(() -> configMaps.get("a", "w2-config").metadata().deletionTimestamp() != null);
        assertThat(widgets.find("a", "w2")).as("the owner waits for its blocking dependent").isPresent();
        ConfigMap held = configMaps.get("a", "w2-config");
        configMaps.update(held.withMetadata(held.metadata().toBuilder().removeFinalizer("example.com/hold").build()));
        await().atMost(WAIT).alias("the Widget to go after its dependent").until(() -> widgets.find("a", "w2").isEmpty());
    }

    private static void orphanDeletion(KubeClient client, ResourceClient<GenericObject> widgets) {
        GenericObject widget = widgets.create(GenericObject.of(WIDGET, ObjectMeta.of("a", "w3")));
        var configMaps = client.resources(ConfigMap.class);
        configMaps.create(ConfigMap.of(ObjectMeta.builder().namespace("a").name("w3-config")
                .ownerReference(OwnerReference.controllerOf(widget)).build(), Map.of()));

        widgets.delete("a", "w3", DeleteOptions.propagation(PropagationPolicy.Orphan));
        await().atMost(WAIT).alias("the Widget to go").until(() -> widgets.find("a", "w3").isEmpty());
        assertThat(configMaps.get("a", "w3-config").metadata().ownerReferences()).as("orphaned, kept").isEmpty();
    }

    /**
     * A dependent in namespace b naming a Widget of namespace a: the reference designates nothing
     * in b, so (as kube does) the dependent is collected, with an OwnerRefInvalidNamespace Event.
     */
    private static void ownerInAnotherNamespace(KubeClient client, ResourceClient<GenericObject> widgets) {
        GenericObject widget = widgets.create(GenericObject.of(WIDGET, ObjectMeta.of("a", "w4")));
        var configMaps = client.resources(ConfigMap.class);
        configMaps.create(ConfigMap.of(ObjectMeta.builder().namespace("b").name("cross")
                .ownerReference(OwnerReference.controllerOf(widget)).build(), Map.of()));

        await().atMost(WAIT).alias("the cross-namespace dependent to be collected")
                .until(() -> configMaps.find("b", "cross").isEmpty());
        await().atMost(WAIT).alias("an OwnerRefInvalidNamespace Event").until(() -> client.resources(Event.class)
                .list("b").items().stream().anyMatch(e -> "OwnerRefInvalidNamespace".equals(e.reason())
                        && "cross".equals(e.involvedObject().name())));
        assertThat(widgets.find("a", "w4")).as("the real owner is untouched").isPresent();
    }
}
