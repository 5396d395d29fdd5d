package io.kardia.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecTest {
    private final Codec codec = Codec.builtIns();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesByApiVersionAndKind() {
        KubeObject pod = codec.decode(b("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}"));
        assertThat(pod).isInstanceOf(Pod.class);
        KubeObject crd = codec.decode(b("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                + "metadata: {name: widgets.example.com}\n"));
        assertThat(crd).isInstanceOf(CustomResourceDefinition.class);
        KubeObject widget = codec.decode(b("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
                + "spec: {size: 3}\n"));
        assertThat(widget).isInstanceOfSatisfying(GenericObject.class,
                g -> assertThat(g.at("spec.size")).contains(3));
        byte[] bom = b("\uFEFF {\"apiVersion\":\"v1\",\"kind\":\"Pod\"}");
        assertThat(Codec.looksLikeJson(bom)).isTrue();
        assertThat(codec.decode(bom)).isInstanceOf(Pod.class);
        assertThat(Codec.looksLikeJson(b("kind: Pod"))).isFalse();
        // same kind name in another group is not the built-in
        assertThat(codec.decode(b("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Pod\"}")))
                .isInstanceOf(GenericObject.class);
    }

    @Test
    void registeredTypesWin() {
        ResourceType<ConfigMap> odd = new ResourceType<>("example.com", "v1", "Settings", "settings", "settings",
                true, List.of(), java.util.Set.of(), ConfigMap.class);
        Codec custom = codec.with(odd);
        assertThat(custom.javaType("example.com/v1", "Settings")).isEqualTo(ConfigMap.class);
        assertThat(codec.javaType("example.com/v1", "Settings")).isEqualTo(GenericObject.class);
    }

    @Test
    void decodeAllFlattensStreamsAndLists() {
        List<KubeObject> all = codec.decodeAll(b("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: a}
                ---
                apiVersion: v1
                kind: List
                items:
                - {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}
                - {apiVersion: v1, kind: Pod, metadata: {name: p}}
                """));
        assertThat(all).extracting(o -> o.getClass().getSimpleName())
                .containsExactly("Namespace", "ConfigMap", "Pod");
        assertThat(codec.decodeAll(b("{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"items\":[{\"apiVersion\":\"v1\","
                + "\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"}}]}"))).singleElement().isInstanceOf(Pod.class);
    }

    @Test
    void badInputGetsClearErrors() {
        assertThatThrownBy(() -> codec.decode(b("{\"metadata\":{\"name\":\"x\"}}")))
                .isInstanceOf(CodecException.class).hasMessageContaining("object has no \"kind\"");
        assertThatThrownBy(() -> codec.decode(b("{\"kind\":\"Pod\"}")))
                .isInstanceOf(CodecException.class).hasMessageContaining("no \"apiVersion\"");
        assertThatThrownBy(() -> codec.decode(b("[1,2]"))).isInstanceOf(CodecException.class)
                .hasMessageContaining("expected an object");
        assertThatThrownBy(() -> codec.decode(b("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",")))
                .isInstanceOf(CodecException.class).hasMessageContaining("invalid JSON");
        assertThatThrownBy(() -> codec.decode(b("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\"}"), Pod.class))
                .isInstanceOf(CodecException.class).hasMessage("expected Pod but the input is v1 Namespace");
        assertThatThrownBy(() -> codec.decode(b("apiVersion: v1\nkind: Pod\nspec: {containers: 7}\n")))
                .isInstanceOf(CodecException.class).hasMessageContaining("Pod");
        assertThat(codec.decode(b("{\"metadata\":{\"name\":\"n\"}}"), Namespace.class).kind()).isEqualTo("Namespace");
    }
}
