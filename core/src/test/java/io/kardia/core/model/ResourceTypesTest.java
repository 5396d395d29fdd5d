package io.kardia.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceTypesTest {

    @Test
    void builtInsAreRegisteredWithKubernetesNames() {
        assertThat(ResourceTypes.of(Pod.class)).isEqualTo(new ResourceType<>("", "v1", "Pod", "pods", "pod", true,
                List.of("po"), Set.of("status", "binding", "eviction"), Pod.class));
        assertThat(ResourceTypes.of(Node.class).namespaced()).isFalse();
        assertThat(ResourceTypes.of(Node.class).shortNames()).containsExactly("no");
        assertThat(ResourceTypes.of(Event.class).shortNames()).containsExactly("ev");
        assertThat(ResourceTypes.of(ConfigMap.class).shortNames()).containsExactly("cm");
        assertThat(ResourceTypes.of(Secret.class).shortNames()).isEmpty();
        assertThat(ResourceTypes.of(ReplicaSet.class).subresources()).containsExactlyInAnyOrder("status", "scale");
        assertThat(ResourceTypes.of(Deployment.class).groupResource()).isEqualTo("deployments.apps");
        assertThat(ResourceTypes.of(Deployment.class).shortNames()).containsExactly("deploy");
        assertThat(ResourceTypes.of(Lease.class).apiVersion()).isEqualTo("coordination.k8s.io/v1");
        assertThat(ResourceTypes.of(Lease.class).shortNames()).isEmpty();
        assertThat(ResourceTypes.of(CustomResourceDefinition.class).shortNames()).containsExactly("crd", "crds");
        assertThat(ResourceTypes.of(CustomResourceDefinition.class).namespaced()).isFalse();
        assertThat(ResourceTypes.of(Namespace.class).shortNames()).containsExactly("ns");
        assertThat(ResourceTypes.builtIns()).hasSize(10);
        assertThatThrownBy(() -> ResourceTypes.of(GenericObject.class)).hasMessageContaining("not a built-in kind");
    }

    @Test
    void lookups() {
        assertThat(ResourceTypes.byKind("apps/v1", "Deployment")).contains(ResourceTypes.DEPLOYMENT);
        assertThat(ResourceTypes.byKind("v1", "Deployment")).isEmpty();
        assertThat(ResourceTypes.byResource("apps", "deploy")).contains(ResourceTypes.DEPLOYMENT);
        assertThat(ResourceTypes.byResource("", "po")).contains(ResourceTypes.POD);
        assertThat(ResourceTypes.byResource("", "pod")).contains(ResourceTypes.POD);
        assertThat(ResourceTypes.byResource("apiextensions.k8s.io", "crds"))
                .contains(ResourceTypes.CUSTOM_RESOURCE_DEFINITION);
        assertThat(ResourceTypes.byResource("", "deployments")).isEmpty();
    }

    @Test
    void typedObjectsCarryTheirKindByDefault() {
        assertThat(Pod.of(ObjectMeta.of("ns", "p"), PodSpec.of(Container.of("c", "i"))))
                .extracting(Pod::apiVersion, Pod::kind).containsExactly("v1", "Pod");
        assertThat(Deployment.of(ObjectMeta.of("ns", "d"), null).apiVersion()).isEqualTo("apps/v1");
        assertThat(Lease.of(ObjectMeta.of("ns", "l"), null).kind()).isEqualTo("Lease");
        assertThat(Node.named("n").withMetadata(ObjectMeta.of(null, "m"))).isInstanceOf(Node.class);
        CustomResourceDefinition crd = CustomResourceDefinition.of(CustomResourceDefinition.Spec.of("example.com",
                CustomResourceDefinition.Names.of("widgets", "widget", "Widget", "wd"),
                CustomResourceDefinition.NAMESPACED, List.of(CustomResourceDefinition.Version.of("v1", true, true))));
        assertThat(crd.metadata().name()).isEqualTo("widgets.example.com");
        assertThat(crd.storageResourceType()).isEqualTo(new ResourceType<>("example.com", "v1", "Widget", "widgets",
                "widget", true, List.of("wd"), Set.of("status"), GenericObject.class));
        assertThat(io.kardia.core.json.Json.toString(crd)).contains("\"subresources\":{\"status\":{}}");
    }
}
