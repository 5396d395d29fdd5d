package io.kardia.kubeapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import org.junit.jupiter.api.Test;

class KubeApiCatalogTest {
    private final KubeApiCatalog catalog = KubeApiCatalog.get();

    @Test
    void namesTheReleaseItWasGeneratedFrom() {
        assertThat(catalog.kubernetesVersion()).isEqualTo("1.35");
        assertThat(catalog.kubernetesMajor()).isEqualTo("1");
        assertThat(catalog.kubernetesMinor()).isEqualTo("35");
    }

    @Test
    void statefulSetsHaveTheirScopeVerbsSubresourcesAndShortName() {
        ApiResource sts = catalog.resource("apps", "v1", "statefulsets").orElseThrow();
        assertThat(sts.kind()).isEqualTo("StatefulSet");
        assertThat(sts.singular()).isEqualTo("statefulset");
        assertThat(sts.namespaced()).isTrue();
        assertThat(sts.verbs()).containsExactlyInAnyOrder("create", "delete", "deletecollection", "get", "list",
                "patch", "update", "watch");
        assertThat(sts.shortNames()).containsExactly("sts");
        assertThat(sts.categories()).containsExactly("all");
        assertThat(sts.subresources()).containsOnlyKeys("status", "scale");
        assertThat(sts.subresources().get("scale"))
                .isEqualTo(new ApiResource.Subresource("autoscaling", "v1", "Scale", java.util.List.of("get", "patch", "update")));
        assertThat(sts.listType()).isEqualTo("k8s.io.api.apps.v1.StatefulSetList");
    }

    @Test
    void servesTheKindsOperatorsOwnInEveryDefaultGroup() {
        for (String gvr : java.util.List.of("/v1/services", "/v1/serviceaccounts", "/v1/persistentvolumeclaims",
                "/v1/persistentvolumes", "/v1/endpoints", "/v1/limitranges", "/v1/resourcequotas", "/v1/podtemplates",
                "/v1/replicationcontrollers", "apps/v1/daemonsets", "apps/v1/controllerrevisions", "batch/v1/jobs",
                "batch/v1/cronjobs", "autoscaling/v1/horizontalpodautoscalers", "autoscaling/v2/horizontalpodautoscalers",
                "policy/v1/poddisruptionbudgets", "networking.k8s.io/v1/ingresses", "rbac.authorization.k8s.io/v1/roles",
                "rbac.authorization.k8s.io/v1/clusterrolebindings", "storage.k8s.io/v1/storageclasses",
                "scheduling.k8s.io/v1/priorityclasses", "node.k8s.io/v1/runtimeclasses",
                "discovery.k8s.io/v1/endpointslices", "events.k8s.io/v1/events", "coordination.k8s.io/v1/leases",
                "admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
                "apiextensions.k8s.io/v1/customresourcedefinitions", "certificates.k8s.io/v1/certificatesigningrequests")) {
            String[] p = gvr.split("/");
            assertThat(catalog.resource(p[0], p[1], p[2])).as(gvr).hasValueSatisfying(r -> {
                assertThat(r.isStored()).isTrue();
                assertThat(r.isGenerallyAvailable()).isTrue();
                assertThat(catalog.type(r.type())).as(r.type()).isPresent();
            });
        }
        assertThat(catalog.resource("", "v1", "nodes").orElseThrow().namespaced()).isFalse();
        assertThat(catalog.resource("", "v1", "endpoints").orElseThrow().kind()).isEqualTo("Endpoints");
        assertThat(catalog.resource("networking.k8s.io", "v1", "ingresses").orElseThrow().kind()).isEqualTo("Ingress");
    }

    /**
     * The merge markers come from the release (client-java-proto's sources), not from a table: a
     * sample of each marker, including ones a hand-kept table had wrong or missed.
     */
    @Test
    void fieldsCarryTheReleasesMergeMarkers() {
        MergeMarkers containers = field("k8s.io.api.core.v1.PodSpec", "containers").merge();
        assertThat(containers).isEqualTo(new MergeMarkers("map", java.util.List.of("name"), null, "merge", "name"));
        assertThat(field("k8s.io.api.core.v1.ServiceSpec", "ports").merge().listMapKeys()).containsExactly("port", "protocol");
        assertThat(field("k8s.io.api.core.v1.ServicePort", "protocol").defaultValue().asText()).isEqualTo("TCP");
        assertThat(field("k8s.io.api.core.v1.ContainerPort", "protocol").defaultValue().asText()).isEqualTo("TCP");
        // a Job's conditions: merged by type by a strategic merge patch, atomic for server-side apply
        assertThat(field("k8s.io.api.batch.v1.JobStatus", "conditions").merge())
                .isEqualTo(new MergeMarkers("atomic", java.util.List.of(), null, "merge", "type"));
        assertThat(field("k8s.io.api.core.v1.PodSpec", "readinessGates").merge().listType()).isEqualTo("atomic");
        assertThat(field("k8s.io.api.core.v1.PodSpec", "readinessGates").merge().patchMerges()).isFalse();
        assertThat(field("k8s.io.api.core.v1.PodSpec", "nodeSelector").merge().mapType()).isEqualTo("atomic");
        assertThat(field("k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta", "finalizers").merge().listType()).isEqualTo("set");
        assertThat(field("k8s.io.api.admissionregistration.v1.ValidatingWebhookConfiguration", "webhooks").merge().listMapKeys())
                .containsExactly("name");
        // fields of an inlined struct keep its markers (EphemeralContainer inlines EphemeralContainerCommon)
        assertThat(field("k8s.io.api.core.v1.EphemeralContainer", "env").merge().listMapKeys()).containsExactly("name");
        assertThat(field("k8s.io.api.apps.v1.DeploymentSpec", "strategy").merge().patchStrategy()).isEqualTo("retainKeys");
        // +structType on types, and a field overriding it (a PersistentVolume's claimRef is granular)
        assertThat(catalog.type("k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector").orElseThrow().atomic()).isTrue();
        assertThat(catalog.type("k8s.io.api.core.v1.ObjectReference").orElseThrow().atomic()).isTrue();
        assertThat(catalog.type("k8s.io.api.core.v1.PodSpec").orElseThrow().atomic()).isFalse();
        assertThat(field("k8s.io.api.core.v1.PersistentVolumeSpec", "claimRef").merge().mapType()).isEqualTo("granular");
        assertThat(field("k8s.io.api.core.v1.PodSpec", "hostname").merge()).isEqualTo(MergeMarkers.NONE);
    }

    /** Every list field of a kind (other than a list kind's items) declares how it merges, as in the release. */
    @Test
    void everyListOfTheReleaseDeclaresItsListType() {
        long lists = 0;
        for (TypeSchema type : catalog.types().values()) {
            for (FieldSchema f : type.fields().values()) {
                if (f.array() && !(type.name().endsWith("List") && f.name().equals("items"))) {
                    lists++;
                    assertThat(f.merge().listType() != null || f.merge().patchStrategy() != null)
                            .as(type.name() + "." + f.name()).isTrue();
                }
            }
        }
        assertThat(lists).isGreaterThan(400);
    }

    private FieldSchema field(String type, String name) {
        return catalog.type(type).orElseThrow().fields().get(name);
    }

    @Test
    void reviewApisAreCreateOnly() {
        ApiResource review = catalog.resource("authorization.k8s.io", "v1", "selfsubjectaccessreviews").orElseThrow();
        assertThat(review.verbs()).containsExactly("create");
        assertThat(review.isStored()).isFalse();
        assertThat(catalog.resource("", "v1", "pods").orElseThrow().subresources().get("eviction").kind()).isEqualTo("Eviction");
    }

    @Test
    void schemasNameJsonFieldsAndTheirTypes() {
        TypeSchema spec = catalog.type("k8s.io.api.apps.v1.StatefulSetSpec").orElseThrow();
        assertThat(spec.fields().get("replicas").type()).isEqualTo(FieldType.INTEGER);
        assertThat(spec.fields().get("replicas").format()).isEqualTo("int32");
        assertThat(spec.fields().get("volumeClaimTemplates").array()).isTrue();
        assertThat(spec.fields().get("volumeClaimTemplates").ref()).isEqualTo("k8s.io.api.core.v1.PersistentVolumeClaim");
        TypeSchema sts = catalog.schemaFor("apps", "v1", "StatefulSet").orElseThrow();
        assertThat(sts.fields()).containsKeys("apiVersion", "kind", "metadata", "spec", "status");
        assertThat(sts.openApiName()).isEqualTo("io.k8s.api.apps.v1.StatefulSet");
        TypeSchema meta = catalog.type("k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta").orElseThrow();
        assertThat(meta.fields().get("creationTimestamp").type()).isEqualTo(FieldType.DATE_TIME);
        assertThat(meta.fields().get("labels").map()).isTrue();
        assertThat(meta.fields().get("managedFields").ref()).endsWith("ManagedFieldsEntry");
        TypeSchema container = catalog.type("k8s.io.api.core.v1.ResourceRequirements").orElseThrow();
        assertThat(container.fields().get("limits").type()).isEqualTo(FieldType.QUANTITY);
        assertThat(catalog.type("k8s.io.api.core.v1.ServicePort").orElseThrow().fields().get("targetPort").type())
                .isEqualTo(FieldType.INT_OR_STRING);
        assertThat(catalog.type("k8s.io.api.core.v1.Secret").orElseThrow().fields().get("data").type()).isEqualTo(FieldType.BYTES);
        assertThat(catalog.type("k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps").orElseThrow().fields())
                .containsKeys("$ref", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string");
        assertThat(catalog.type("k8s.io.api.authentication.v1.UserInfo").orElseThrow().fields().get("extra").type())
                .isEqualTo(FieldType.STRING_LIST);
    }

    @Test
    void fieldsOfStructsGoEmbedsInlineAreTheOuterTypesInJson() {
        TypeSchema rule = catalog.type("k8s.io.api.networking.v1.IngressRule").orElseThrow();
        assertThat(rule.fields()).containsOnlyKeys("host", "http");
        assertThat(rule.fields().get("http").inline()).isEqualTo("ingressRuleValue");
        assertThat(rule.fields().get("host").inline()).isNull();
        TypeSchema volume = catalog.type("k8s.io.api.core.v1.Volume").orElseThrow();
        assertThat(volume.fields()).containsKeys("name", "configMap", "persistentVolumeClaim").doesNotContainKey("volumeSource");
        assertThat(catalog.type("k8s.io.api.core.v1.Probe").orElseThrow().fields()).containsKeys("httpGet", "exec", "periodSeconds");
        assertThat(catalog.type("k8s.io.api.networking.v1.IngressClassParametersReference").orElseThrow().fields())
                .containsKey("apiGroup");
    }

    @Test
    void typesAndFieldsCarryKubernetesDescriptionsAndRequiredFields() {
        TypeDocs spec = catalog.docs("k8s.io.api.apps.v1.StatefulSetSpec").orElseThrow();
        assertThat(spec.description()).isEqualTo("A StatefulSetSpec is the specification of a StatefulSet.");
        assertThat(spec.fields().get("serviceName")).startsWith("serviceName is the name of the service that governs this StatefulSet.");
        assertThat(spec.required()).containsExactlyInAnyOrder("selector", "template");
        assertThat(catalog.docs("k8s.io.api.networking.v1.IngressRule").orElseThrow().fields()).containsKeys("host", "http");
        assertThat(catalog.docs("k8s.io.api.core.v1.Container").orElseThrow().required()).containsExactly("name");
    }

    @Test
    void descriptorsBuildAndNameEveryKindsMessage() {
        assertThat(KubeApiCatalog.descriptors()).extracting(f -> f.getName()).contains("k8s.io/api/apps/v1/generated.proto");
        Descriptor sts = KubeApiCatalog.messageFor("apps", "v1", "StatefulSet").orElseThrow();
        assertThat(sts.getFullName()).isEqualTo("k8s.io.api.apps.v1.StatefulSet");
        assertThat(sts.findFieldByName("spec").getMessageType().findFieldByName("serviceName").getNumber()).isEqualTo(5);
        assertThat(KubeApiCatalog.messageFor("apps", "v1", "StatefulSetList")).hasValueSatisfying(
                d -> assertThat(d.getFullName()).isEqualTo("k8s.io.api.apps.v1.StatefulSetList"));
        assertThat(KubeApiCatalog.message("k8s.io.apimachinery.pkg.runtime.Unknown")).isPresent();
        for (ApiResource r : KubeApiCatalog.get().resources()) {
            assertThat(KubeApiCatalog.messageFor(r.group(), r.version(), r.kind())).as(r.groupResource()).isPresent();
        }
    }
}
