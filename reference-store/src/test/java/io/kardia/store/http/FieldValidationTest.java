package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldValidationTest {
    private static JsonNode json(String s) {
        return Json.tree(s.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String s) {
        return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void duplicateFieldsAreNamedByTheirPathIncludingListIndexes() {
        assertThat(FieldValidation.duplicateFields(bytes("{'a':1,'b':{'c':1,'c':2},'a':3}"))).containsExactly("b.c", "a");
        assertThat(FieldValidation.duplicateFields(bytes(
                "{'spec':{'containers':[{'name':'x'},{'name':'y','image':'i','image':'j'}],'replicas':1,'replicas':2}}")))
                .containsExactly("spec.containers[1].image", "spec.replicas");
        assertThat(FieldValidation.duplicateFields(bytes("{'a':[[1,2],{'k':1,'k':1}]}"))).containsExactly("a[1].k");
        assertThat(FieldValidation.duplicateFields(bytes("{'a':1,'b':[1,{'a':2}]}"))).isEmpty();
        assertThat(FieldValidation.duplicateFields(bytes("{'a':"))).isEmpty();
    }

    @Test
    void unknownFieldsOfABuiltInKindAreFoundAtEveryDepthAgainstTheCatalog() {
        try (ReferenceStore store = ReferenceStore.inMemory()) {
            List<String> unknown = FieldValidation.unknownFields(store.types(), ResourceTypes.DEPLOYMENT, json(
                    "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d','colour':'x'},'spec':{'replica':1,"
                            + "'template':{'spec':{'containers':[{'name':'c','imagePullPolice':'Always'}],"
                            + "'volumes':[{'name':'v','configMap':{'name':'cm','nope':1}}]}}},'$patch':'merge','extra':1}"));
            assertThat(unknown).containsExactlyInAnyOrder("metadata.colour", "spec.replica",
                    "spec.template.spec.containers[0].imagePullPolice", "spec.template.spec.volumes[0].configMap.nope", "extra");
            assertThat(FieldValidation.unknownFields(store.types(), ResourceTypes.DEPLOYMENT, json(
                    "{'metadata':{'name':'d','labels':{'any':'thing'}},'spec':{'selector':{'matchLabels':{'a':'b'}}}}"))).isEmpty();
        }
    }

    @Test
    void strictRefusesWithEveryFieldWarnReportsEachAndIgnoreLetsThrough() {
        assertThatThrownBy(() -> FieldValidation.check(FieldValidation.Mode.Strict, List.of("spec.foo"), List.of("spec.replicas")))
                .isInstanceOfSatisfying(KubeApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo(
                            "strict decoding error: unknown field \"spec.foo\", duplicate field \"spec.replicas\"");
                });
        assertThat(FieldValidation.check(FieldValidation.Mode.Warn, List.of("spec.foo"), List.of("spec.replicas")))
                .containsExactly("unknown field \"spec.foo\"", "duplicate field \"spec.replicas\"");
        assertThat(FieldValidation.check(FieldValidation.Mode.Ignore, List.of("spec.foo"), List.of())).isEmpty();
        assertThat(FieldValidation.check(FieldValidation.Mode.Strict, List.of(), List.of())).isEmpty();
    }
}
