package io.kardia.runtime.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceType;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A two-version custom resource converted by the operator's {@link Converter}, served by its
 * webhook server and called by the test kit's store over HTTP: written in one version, read in both.
 * v1 (stored) has {@code spec.size}; v2 calls it {@code spec.replicas}.
 */
@KardiaTest(http = true)
class ConverterTest {
    static final ResourceType<GenericObject> V1 = type("v1");
    static final ResourceType<GenericObject> V2 = type("v2");

    private static ResourceType<GenericObject> type(String version) {
        return new ResourceType<>("conv.kardia.io", version, "Gadget", "gadgets", "gadget", true, List.of(), Set.of(), GenericObject.class);
    }

    static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gadgets.conv.kardia.io}
            spec:
              group: conv.kardia.io
              scope: Namespaced
              names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList}
              versions:
              - name: v1
                served: true
                storage: true
                schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {size: {type: integer}}}}}}
              - name: v2
                served: true
                storage: false
                schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {replicas: {type: integer}}}}}}
            """;

    static Converter gadgets() {
        return Converter.between(V1, V2,
                v1 -> v1.withAt("spec.replicas", v1.at("spec.size", Integer.class).orElse(null)).withAt("spec.size", null),
                v2 -> {
                    int replicas = v2.at("spec.replicas", Integer.class).orElse(0);
                    if (replicas > 100) {
                        throw new IllegalArgumentException("replicas " + replicas + " has no v1 size");
                    }
                    return v2.withAt("spec.size", replicas).withAt("spec.replicas", null);
                });
    }

    @Test
    void aTwoVersionResourceIsWrittenInOneVersionAndReadInBoth(TestEnvironment env) {
        env.apply(CRD);
        try (Webhooks webhooks = Webhooks.builder().converter("conv.kardia.io", "Gadget", gadgets()).build()) {
            env.installConversion("gadgets.conv.kardia.io", webhooks);
            assertThat(webhooks.paths()).containsExactly(Webhooks.CONVERT_PATH);

            env.client().resources(V2).create(GenericObject.of(V2, ObjectMeta.of("default", "g")).withAt("spec.replicas", 4));
            GenericObject asV1 = env.client().resources(V1).get("default", "g");
            assertThat(asV1.at("spec.size", Integer.class)).contains(4);
            assertThat(asV1.at("spec.replicas")).isEmpty();
            GenericObject asV2 = env.client().resources(V2).get("default", "g");
            assertThat(asV2.apiVersion()).isEqualTo("conv.kardia.io/v2");
            assertThat(asV2.at("spec.replicas", Integer.class)).contains(4);

            KubeApiException refused = catchThrowableOfType(KubeApiException.class, () -> env.client().resources(V2)
                    .create(GenericObject.of(V2, ObjectMeta.of("default", "big")).withAt("spec.replicas", 500)));
            assertThat(refused).isNotNull();
            assertThat(refused.status().message()).isEqualTo("conversion webhook for conv.kardia.io/v1, Kind=Gadget failed: "
                    + "conversion failed: replicas 500 has no v1 size");
            assertThat(env.client().resources(V1).find("default", "big")).isEmpty();
        }
    }
}
