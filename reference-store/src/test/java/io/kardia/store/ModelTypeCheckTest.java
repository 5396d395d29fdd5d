package io.kardia.store;

import static io.kardia.store.TestKinds.CONFIGMAPS;
import static io.kardia.store.TestKinds.PODS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Pod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The store refuses, as kube-apiserver's decoder does, a built-in object its typed model cannot read. */
@org.junit.jupiter.api.Timeout(60)
class ModelTypeCheckTest {

    private static ReferenceStore store() {
        return ReferenceStore.inMemory(StoreOptions.defaults().withCompactionInterval(Duration.ZERO)
                .withBookmarkInterval(Duration.ZERO));
    }

    private static ObjectNode json(String s) {
        return (ObjectNode) Json.tree(s.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'metadata':{'name':123}}|json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string",
        "{'metadata':{'name':'c','labels':'x'}}|json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string",
        "{'metadata':{'name':'c'},'data':[1,2]}|json: cannot unmarshal array into Go struct field ConfigMap.data of type map[string]string",
        "{'metadata':{'name':'c'},'data':{'k':1}}|json: cannot unmarshal number into Go struct field ConfigMap.data of type string",
        "{'metadata':{'name':'c'},'immutable':'yes'}|json: cannot unmarshal string into Go struct field ConfigMap.immutable of type bool",
        "{'metadata':{'name':'c','finalizers':'f'}}|json: cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers of type []string",
        "{'metadata':{'name':'c','ownerReferences':[{'name':5}]}}|json: cannot unmarshal number into Go struct field OwnerReference.metadata.ownerReferences.name of type string",
        "{'metadata':'c'}|json: cannot unmarshal string into Go struct field ConfigMap.metadata of type v1.ObjectMeta",
    })
    void wrongTypedConfigMapsAreRefusedWithKubeApiserversWording(String body, String detail) {
        try (ReferenceStore store = store()) {
            assertThatThrownBy(() -> store.create(CONFIGMAPS, "default", json(body), WriteOptions.DEFAULT))
                    .isInstanceOfSatisfying(KubeApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(400);
                        assertThat(e.getMessage()).isEqualTo("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: " + detail);
                    });
        }
    }

    @Test
    void aPodWithAWrongTypedFieldIsRefusedOnCreateUpdateAndPatch() {
        try (ReferenceStore store = store()) {
            ObjectNode bad = Json.toTree(TestKinds.pod("default", "p", null));
            ((ObjectNode) bad.get("spec")).put("terminationGracePeriodSeconds", "x");
            assertThatThrownBy(() -> store.create(PODS, "default", bad, WriteOptions.DEFAULT))
                    .isInstanceOf(KubeApiException.BadRequestException.class)
                    .hasMessageEndingWith("Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64");
            store.create(PODS, "default", Json.toTree(TestKinds.pod("default", "p", null)), WriteOptions.DEFAULT);
            ObjectNode current = store.get(PODS, "default", "p", null).json();
            ((ObjectNode) current.get("spec")).put("terminationGracePeriodSeconds", "x");
            assertThatThrownBy(() -> store.update(PODS, "default", "p", current, WriteOptions.DEFAULT))
                    .isInstanceOf(KubeApiException.BadRequestException.class);
            for (PatchType t : PatchType.values()) {
                byte[] patch = switch (t) {
                    case JSON -> "[{\"op\":\"replace\",\"path\":\"/spec/terminationGracePeriodSeconds\",\"value\":\"x\"}]".getBytes();
                    case APPLY -> ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"
                            + "\"spec\":{\"terminationGracePeriodSeconds\":\"x\"}}").getBytes();
                    default -> "{\"spec\":{\"terminationGracePeriodSeconds\":\"x\"}}".getBytes();
                };
                WriteOptions options = t == PatchType.APPLY ? WriteOptions.apply("test") : WriteOptions.DEFAULT;
                assertThatThrownBy(() -> store.patch(PODS, "default", "p", t, patch, options))
                        .as(t.name()).isInstanceOf(KubeApiException.BadRequestException.class);
            }
            byte[] status = "{\"status\":{\"startTime\":\"yesterday\"}}".getBytes();
            assertThatThrownBy(() -> store.patchStatus(PODS, "default", "p", PatchType.MERGE, status, WriteOptions.DEFAULT))
                    .isInstanceOf(KubeApiException.BadRequestException.class)
                    .hasMessageContaining("Go struct field PodStatus.status.startTime");
            // What was stored is what the typed model reads.
            assertThat(store.get(PODS, "default", "p", null).decode(Pod.class).spec().terminationGracePeriodSeconds()).isEqualTo(30L);
        }
    }

    @Test
    void wellTypedObjectsAndUnknownFieldsStillPass() {
        try (ReferenceStore store = store()) {
            StoredObject cm = store.create(CONFIGMAPS, "default",
                    json("{'metadata':{'name':'c','labels':{'a':'b'}},'data':{'k':'v'},'immutable':false,'extra':{'any':[1,'x']}}"),
                    WriteOptions.DEFAULT);
            assertThat(cm.decode(ConfigMap.class).data()).containsEntry("k", "v");
        }
    }

    private static final io.kardia.core.model.ResourceType<?> STATEFULSETS = io.kardia.core.model.ResourceType.generic(
            "apps", "v1", "StatefulSet", "statefulsets", true);
    private static final io.kardia.core.model.ResourceType<?> SERVICES = io.kardia.core.model.ResourceType.generic(
            "", "v1", "Service", "services", true);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'metadata':{'name':'s'},'spec':{'serviceName':42}}|json: cannot unmarshal number into Go struct field StatefulSetSpec.spec.serviceName of type string",
        "{'metadata':{'name':'s'},'spec':{'replicas':'3'}}|json: cannot unmarshal string into Go struct field StatefulSetSpec.spec.replicas of type int32",
        "{'metadata':{'name':'s'},'spec':{'replicas':3000000000}}|json: cannot unmarshal number into Go struct field StatefulSetSpec.spec.replicas of type int32",
        "{'metadata':{'name':'s'},'spec':{'volumeClaimTemplates':{}}}|json: cannot unmarshal object into Go struct field StatefulSetSpec.spec.volumeClaimTemplates of type []v1.PersistentVolumeClaim",
        "{'metadata':{'name':'s'},'spec':{'template':{'spec':{'containers':[{'name':'c','ports':[{'containerPort':'80'}]}]}}}}|json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32",
        "{'metadata':{'name':'s'},'spec':{'template':{'spec':{'containers':[{'name':'c','resources':{'limits':{'cpu':true}}}]}}}}|json: cannot unmarshal bool into Go struct field ResourceRequirements.spec.template.spec.containers.resources.limits of type resource.Quantity",
        "{'metadata':{'name':'s','labels':{'a':1}}}|json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
    })
    void builtInKindsWithoutATypedModelAreCheckedAgainstTheCatalogSchema(String body, String detail) {
        try (ReferenceStore store = store()) {
            assertThatThrownBy(() -> store.create(STATEFULSETS, "default", json(body), WriteOptions.DEFAULT))
                    .isInstanceOfSatisfying(KubeApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(400);
                        assertThat(e.getMessage()).isEqualTo("StatefulSet in version \"v1\" cannot be handled as a StatefulSet: " + detail);
                    });
            assertThat(store.list(STATEFULSETS, "default", io.kardia.core.client.ListOptions.all()).items()).isEmpty();
        }
    }

    @Test
    void aWellTypedServiceWithIntOrStringPortsAndUnknownFieldsIsStored() {
        try (ReferenceStore store = store()) {
            StoredObject svc = store.create(SERVICES, "default", json("{'metadata':{'name':'web'},'spec':{'ports':["
                    + "{'name':'http','port':80,'targetPort':'http'},{'name':'https','port':443,'targetPort':8443}],'selector':{'app':'web'},'extra':1}}"),
                    WriteOptions.DEFAULT);
            assertThat(svc.tree().path("spec").path("ports").get(1).path("targetPort").asInt()).isEqualTo(8443);
            assertThatThrownBy(() -> store.create(SERVICES, "default",
                    json("{'metadata':{'name':'bad'},'spec':{'ports':[{'port':80,'targetPort':true}]}}"), WriteOptions.DEFAULT))
                    .isInstanceOf(KubeApiException.BadRequestException.class)
                    .hasMessageEndingWith("Go struct field ServicePort.spec.ports.targetPort of type intstr.IntOrString");
        }
    }
}
