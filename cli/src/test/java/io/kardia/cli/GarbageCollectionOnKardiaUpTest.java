package io.kardia.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.DeleteOptions.PropagationPolicy;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Container;
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
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17's "done when" for the garbage collector: against {@code kardia up} over HTTP, a custom
 * resource whose kind was defined after the control plane started owns a ConfigMap and a Service;
 * deleting it deletes both. The same run checks foreground and orphan deletion of custom
 * resources, the Event for an owner reference that names an owner in another namespace, a
 * Service's EndpointSlice and the default ServiceAccount.
 */
class GarbageCollectionOnKardiaUpTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ResourceType<GenericObject> WIDGET = ResourceType.generic("gc.example.com", "v1", "Widget",
            "widgets", true);

    @Test
    void aCustomResourceTakesItsConfigMapAndServiceWithItOnKardiaUp(@TempDir Path tmp) throws Exception {
        try (KardiaUpInTest up = KardiaUpInTest.start(tmp.resolve("data"), "--nodes", "1");
             KubeClient client = HttpKubeClient.fromKubeConfig(up.kubeconfig())) {
            ResourceClient<GenericObject> widgets = installWidgetKind(client);
            client.resources(Namespace.class).create(Namespace.named("a"));
            client.resources(Namespace.class).create(Namespace.named("b"));
            backgroundDeletion(client, widgets);
            foregroundDeletion(client, widgets);
            orphanDeletion(client, widgets);
            ownerInAnotherNamespace(client, widgets);
            serviceEndpointsAndDefaultAccount(client);
        }
    }

    /**
     * The rest of up's control plane from the same issue: a pod the simulated kubelet runs is in
     * its Service's EndpointSlice with its IP, and the namespace has its default ServiceAccount.
     */
    private static void serviceEndpointsAndDefaultAccount(KubeClient client) {
        var pods = client.resources(Pod.class);
        pods.create(Pod.of(ObjectMeta.builder().namespace("a").name("web-0").label("app", "web").build(),
                PodSpec.builder().container(Container.of("main", "nginx")).build()));
        client.resources(ResourceTypes.SERVICE).create(GenericObject.of(ResourceTypes.SERVICE, ObjectMeta.of("a", "web"))
                .withAt("spec.selector", Map.of("app", "web")).withAt("spec.ports", List.of(Map.of("port", 80))));
        String ip = await().atMost(WAIT).until(() -> pods.get("a", "web-0"), p -> p.ready() && p.status().podIP() != null)
                .status().podIP();
        var slices = client.resources(ResourceType.generic("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true));
        await().atMost(WAIT).alias("an EndpointSlice with the pod's IP, ready").until(() -> slices.list("a").items().stream()
                .filter(s -> "web".equals(s.metadata().labels().get("kubernetes.io/service-name")))
                .anyMatch(s -> s.at("endpoints").map(e -> e.toString().contains(ip) && e.toString().contains("ready=true"))
                        .orElse(false)));
        await().atMost(WAIT).alias("the default ServiceAccount").until(() -> client.resources(ResourceTypes.SERVICE_ACCOUNT)
                .find("b", "default").isPresent());
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
