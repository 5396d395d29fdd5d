package io.kardia.store.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * kube-apiserver keeps {@code metadata.generation} only for the kinds whose strategy sets it (1 on
 * create, one more per spec change: Deployments, Pods, EndpointSlices, custom resources...). A
 * Service, a ConfigMap or a Secret has none, however often it changes; the generic registry only
 * copies the stored value forward on update.
 */
class GenerationTrackingTest {
    private static final ResourceType<io.kardia.core.model.GenericObject> ENDPOINT_SLICE =
            ResourceType.generic("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true);
    private final ReferenceStore store = ReferenceStore.inMemory();

    @AfterEach
    void close() {
        store.close();
    }

    private static ObjectNode tree(String json) {
        return (ObjectNode) Json.tree(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode generation(JsonNode object) {
        return object.path("metadata").path("generation");
    }

    @Test
    void aServiceHasNoGenerationThroughPortChanges() {
        JsonNode created = store.create(ResourceTypes.SERVICE, "default", tree("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
                 "spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}"""), null).json();
        assertThat(generation(created).isMissingNode()).as("no generation on create: %s", created.path("metadata")).isTrue();

        ObjectNode changed = created.deepCopy();
        ((ObjectNode) changed.path("spec").path("ports").get(0)).put("port", 8080);
        JsonNode updated = store.update(ResourceTypes.SERVICE, "default", "web", changed, null).json();
        assertThat(updated.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(8080);
        assertThat(generation(updated).isMissingNode()).as("no generation after a port change: %s", updated.path("metadata"))
                .isTrue();
    }

    @Test
    void aConfigMapKeepsTheGenerationItWasCreatedWithAndNoRequestMovesIt() {
        JsonNode created = store.create(ResourceTypes.CONFIG_MAP, "default", tree("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","generation":5},"data":{"a":"1"}}"""),
                null).json();
        assertThat(generation(created).asLong()).as("kube's BeforeCreate leaves it as sent").isEqualTo(5);

        ObjectNode changed = created.deepCopy();
        ((ObjectNode) changed.path("data")).put("a", "2");
        ((ObjectNode) changed.path("metadata")).put("generation", 9);
        JsonNode updated = store.update(ResourceTypes.CONFIG_MAP, "default", "cm", changed, null).json();
        assertThat(updated.path("data").path("a").asText()).isEqualTo("2");
        assertThat(generation(updated).asLong()).as("neither bumped nor set by the request").isEqualTo(5);
    }

    @Test
    void kindsWhoseStrategyTracksGenerationStartAtOneAndMoveWithTheirSpec() {
        JsonNode slice = store.create(ENDPOINT_SLICE, "default", tree("""
                {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"web-1","generation":7},
                 "addressType":"IPv4","endpoints":[{"addresses":["10.0.0.1"]}],"ports":[{"port":80}]}"""), null).json();
        assertThat(generation(slice).asLong()).isEqualTo(1);

        ObjectNode relabelled = slice.deepCopy();
        ((ObjectNode) relabelled.path("metadata")).putObject("labels").put("team", "a");
        JsonNode afterLabels = store.update(ENDPOINT_SLICE, "default", "web-1", relabelled, null).json();
        assertThat(generation(afterLabels).asLong()).as("metadata only").isEqualTo(1);

        ObjectNode moved = afterLabels.deepCopy();
        ((ObjectNode) moved.path("endpoints").get(0)).putArray("addresses").add("10.0.0.2");
        JsonNode afterEndpoints = store.update(ENDPOINT_SLICE, "default", "web-1", moved, null).json();
        assertThat(generation(afterEndpoints).asLong()).isEqualTo(2);
    }

    @Test
    void aPodTemplateStartsAtOneAndMovesWithItsTemplate() {
        ResourceType<io.kardia.core.model.GenericObject> podTemplates =
                ResourceType.generic("", "v1", "PodTemplate", "podtemplates", true);
        JsonNode created = store.create(podTemplates, "default", tree("""
                {"apiVersion":"v1","kind":"PodTemplate","metadata":{"name":"t"},
                 "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx:1"}]}}}"""),
                null).json();
        assertThat(generation(created).asLong()).as("kube's podTemplateStrategy sets 1 on create").isEqualTo(1);

        ObjectNode annotated = created.deepCopy();
        ((ObjectNode) annotated.path("metadata")).putObject("annotations").put("note", "x");
        JsonNode afterAnnotations = store.update(podTemplates, "default", "t", annotated, null).json();
        assertThat(generation(afterAnnotations).asLong()).as("metadata only").isEqualTo(1);

        ObjectNode newImage = afterAnnotations.deepCopy();
        ((ObjectNode) newImage.path("template").path("spec").path("containers").get(0)).put("image", "nginx:2");
        JsonNode afterImage = store.update(podTemplates, "default", "t", newImage, null).json();
        assertThat(generation(afterImage).asLong()).as("a template change").isEqualTo(2);
    }

    private static ResourceType<io.kardia.core.model.GenericObject> type(String group, String kind, String plural,
                                                                         boolean namespaced, boolean status) {
        return new ResourceType<>(group, "v1", kind, plural, kind.toLowerCase(java.util.Locale.ROOT), namespaced,
                java.util.List.of(), status ? java.util.Set.of("status") : java.util.Set.of(), io.kardia.core.model.GenericObject.class);
    }

    /**
     * Created at generation 1, kept through a label change (and a status change, for a kind with the
     * subresource), one more when the spec changes: kube's strategies for these kinds ("Any changes
     * to the spec increment the generation number", pkg/registry/.../strategy.go).
     */
    private void startsAtOneAndMovesWithItsSpec(ResourceType<?> type, String json, String specField, String specValue) {
        String ns = type.namespaced() ? "default" : null;
        JsonNode created = store.create(type, ns, tree(json), null).json();
        String name = created.path("metadata").path("name").asText();
        assertThat(generation(created).asLong()).as("%s on create", type.plural()).isEqualTo(1);

        ObjectNode labelled = created.deepCopy();
        ((ObjectNode) labelled.path("metadata")).putObject("labels").put("team", "a");
        JsonNode afterLabels = store.update(type, ns, name, labelled, null).json();
        assertThat(generation(afterLabels).asLong()).as("%s after a label change", type.plural()).isEqualTo(1);

        JsonNode current = afterLabels;
        if (type.hasStatus()) {
            ObjectNode withStatus = afterLabels.deepCopy();
            withStatus.putObject("status").putObject("loadBalancer").putArray("ingress").addObject().put("ip", "10.0.0.9");
            current = store.updateStatus(type, ns, name, withStatus, null).json();
            assertThat(current.path("status").path("loadBalancer").path("ingress").get(0).path("ip").asText())
                    .isEqualTo("10.0.0.9");
            assertThat(generation(current).asLong()).as("%s after a status change", type.plural()).isEqualTo(1);
        }

        // specField may be a dotted path into the spec (e.g. "parameters.name")
        ObjectNode respecced = current.deepCopy();
        String[] path = specField.split("\\.");
        ObjectNode parent = (ObjectNode) respecced.path("spec");
        for (int i = 0; i < path.length - 1; i++) {
            parent = (ObjectNode) parent.path(path[i]);
        }
        parent.put(path[path.length - 1], specValue);
        JsonNode afterSpec = store.update(type, ns, name, respecced, null).json();
        assertThat(afterSpec.at("/spec/" + specField.replace('.', '/')).asText()).isEqualTo(specValue);
        assertThat(generation(afterSpec).asLong()).as("%s after a spec change", type.plural()).isEqualTo(2);
    }

    @Test
    void ingressesAndIngressClassesStartAtOneAndMoveWithTheirSpec() {
        startsAtOneAndMovesWithItsSpec(type("networking.k8s.io", "Ingress", "ingresses", true, true), """
                {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"web","generation":7},
                 "spec":{"ingressClassName":"nginx","defaultBackend":{"service":{"name":"web","port":{"number":80}}}}}""",
                "ingressClassName", "traefik");
        startsAtOneAndMovesWithItsSpec(type("networking.k8s.io", "IngressClass", "ingressclasses", false, false), """
                {"apiVersion":"networking.k8s.io/v1","kind":"IngressClass","metadata":{"name":"nginx"},
                 "spec":{"controller":"example.com/ingress-nginx",
                         "parameters":{"apiGroup":"k8s.example.com","kind":"IngressParameters","name":"a","scope":"Cluster"}}}""",
                "parameters.name", "b"); // spec.controller is immutable (IngressClassValidator)
    }

    @Test
    void deviceClassesAndResourceSlicesStartAtOneAndMoveWithTheirSpec() {
        startsAtOneAndMovesWithItsSpec(type("resource.k8s.io", "DeviceClass", "deviceclasses", false, false), """
                {"apiVersion":"resource.k8s.io/v1","kind":"DeviceClass","metadata":{"name":"gpu"},
                 "spec":{"selectors":[{"cel":{"expression":"device.driver == 'gpu.example.com'"}}]}}""",
                "extendedResourceName", "example.com/gpu");
        startsAtOneAndMovesWithItsSpec(type("resource.k8s.io", "ResourceSlice", "resourceslices", false, false), """
                {"apiVersion":"resource.k8s.io/v1","kind":"ResourceSlice","metadata":{"name":"node-1-gpu"},
                 "spec":{"driver":"gpu.example.com","nodeName":"node-1","pool":{"name":"node-1","generation":1,
                 "resourceSliceCount":1},"devices":[{"name":"gpu-0"}]}}""",
                "nodeName", "node-2");
    }

    @Test
    void admissionPolicyBindingsStartAtOneAndMoveWithTheirSpec() {
        startsAtOneAndMovesWithItsSpec(type("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding",
                "validatingadmissionpolicybindings", false, false), """
                {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingAdmissionPolicyBinding","metadata":{"name":"b"},
                 "spec":{"policyName":"p","validationActions":["Deny"]}}""", "policyName", "q");
        startsAtOneAndMovesWithItsSpec(type("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding",
                "mutatingadmissionpolicybindings", false, false), """
                {"apiVersion":"admissionregistration.k8s.io/v1","kind":"MutatingAdmissionPolicyBinding","metadata":{"name":"b"},
                 "spec":{"policyName":"p"}}""", "policyName", "q");
    }

    @Test
    void theTrackedKindsAreKubesAndCustomResourcesAlwaysTrack() {
        assertThat(Strategies.forBuiltIn("deployments.apps").tracksGeneration()).isTrue();
        assertThat(Strategies.forBuiltIn("pods").tracksGeneration()).isTrue();
        assertThat(Strategies.forBuiltIn("replicationcontrollers").tracksGeneration()).isTrue();
        assertThat(Strategies.forBuiltIn("customresourcedefinitions.apiextensions.k8s.io").tracksGeneration()).isTrue();
        assertThat(Strategies.forCustom(true).tracksGeneration()).isTrue();
        assertThat(Strategies.forCustom(false).tracksGeneration()).isTrue();
        for (String untracked : new String[] {"services", "configmaps", "secrets", "namespaces", "nodes",
                "persistentvolumeclaims", "serviceaccounts", "leases.coordination.k8s.io",
                "resourceclaims.resource.k8s.io", "resourceclaimtemplates.resource.k8s.io"}) {
            assertThat(Strategies.forBuiltIn(untracked).tracksGeneration()).as(untracked).isFalse();
        }
        // The tracking wrapper keeps the kind's own rules: a Deployment still defaults and bumps on annotations.
        assertThat(Strategies.forBuiltIn("deployments.apps").bumpsGeneration(
                tree("{\"metadata\":{\"annotations\":{\"a\":\"1\"}}}"), tree("{\"metadata\":{}}"), true)).isTrue();
    }
}
