package io.kardia.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.kubeapi.ApiResource;
import io.kardia.kubeapi.KubeApiCatalog;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** ResourceTypes' built-in kinds without a typed model, checked against the Kubernetes release's own catalog. */
class GenericBuiltInTypesTest {

    @Test
    void everyGenericBuiltInMatchesTheKubernetesCatalog() {
        assertThat(ResourceTypes.genericBuiltIns()).extracting(ResourceType::kind).contains("Service", "ServiceAccount",
                "StatefulSet", "Job", "Role", "RoleBinding", "PersistentVolumeClaim", "Ingress", "PodDisruptionBudget");
        for (ResourceType<GenericObject> t : ResourceTypes.genericBuiltIns()) {
            ApiResource r = KubeApiCatalog.get().resource(t.group(), t.version(), t.plural())
                    .orElseThrow(() -> new AssertionError(t.groupResource() + " is not in the catalog"));
            assertThat(t.kind()).as(t.groupResource()).isEqualTo(r.kind());
            assertThat(t.singular()).as(t.groupResource()).isEqualTo(r.singular());
            assertThat(t.namespaced()).as(t.groupResource()).isEqualTo(r.namespaced());
            assertThat(t.shortNames()).as(t.groupResource()).isEqualTo(r.shortNames());
            // The subresources a generic object can use: status and scale.
            Set<String> expected = r.subresources().keySet().stream().filter(s -> s.equals("status") || s.equals("scale"))
                    .collect(Collectors.toSet());
            assertThat(t.subresources()).as(t.groupResource()).isEqualTo(expected);
            assertThat(t.javaType()).isEqualTo(GenericObject.class);
        }
    }

    @Test
    void theGenericBuiltInsAreApartFromTheTypedOnes() {
        assertThat(ResourceTypes.builtIns()).doesNotContainAnyElementsOf(ResourceTypes.genericBuiltIns());
        assertThat(ResourceTypes.byKind("apps/v1", "StatefulSet")).isEmpty();
        assertThat(ResourceTypes.genericByKind("apps/v1", "StatefulSet")).contains(ResourceTypes.STATEFUL_SET);
        assertThat(ResourceTypes.genericByKind("rbac.authorization.k8s.io/v1", "RoleBinding"))
                .contains(ResourceTypes.ROLE_BINDING);
        assertThat(ResourceTypes.genericByKind("v1", "StatefulSet")).isEmpty();
        assertThat(ResourceTypes.STATEFUL_SET.groupResource()).isEqualTo("statefulsets.apps");
        assertThat(ResourceTypes.SERVICE_ACCOUNT.hasStatus()).isFalse();
        assertThat(ResourceTypes.STATEFUL_SET.hasScale()).isTrue();
    }
}
