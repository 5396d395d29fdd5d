package io.kardia.core.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldSelectorTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "spec.nodeName=n1                       | spec.nodeName=n1",
        "spec.nodeName==n1                      | spec.nodeName=n1",
        "status.phase!=Running,spec.nodeName=n1 | spec.nodeName=n1,status.phase!=Running",
        "metadata.name=a\\,b                    | metadata.name=a\\,b",
        "metadata.name=a\\=b\\\\c               | metadata.name=a\\=b\\\\c",
        "spec.nodeName=                         | spec.nodeName=",
        "a=b,,c=d                               | a=b,c=d",
    })
    void parsesToCanonicalForm(String in, String canonical) {
        FieldSelector sel = FieldSelector.parse(in);
        assertThat(sel.toString()).isEqualTo(canonical);
        assertThat(FieldSelector.parse(sel.toString())).isEqualTo(sel);
    }

    @Test
    void unescapesValues() {
        FieldSelector sel = FieldSelector.parse("metadata.name=a\\,b\\=c\\\\d");
        assertThat(sel.requirements()).containsExactly(new FieldRequirement("metadata.name", true, "a,b=c\\d"));
        assertThat(FieldSelector.escapeValue("a,b=c\\d")).isEqualTo("a\\,b\\=c\\\\d");
        assertThat(sel.fields()).containsExactly("metadata.name");
        assertThat(sel.requiredValue("metadata.name")).contains("a,b=c\\d");
        assertThat(FieldSelector.parse("spec.nodeName!=x").requiredValue("spec.nodeName")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"spec.nodeName", "=x", "a=b=c", "a=b\\x", "a=b\\", "a!=b,c", "a in (b)"})
    void rejectsBadTerms(String s) {
        assertThatThrownBy(() -> FieldSelector.parse(s)).isInstanceOf(SelectorParseException.class)
                .hasMessageContaining("invalid field selector");
    }

    @Test
    void matchesWithEmptyForAbsent() {
        Map<String, String> obj = Map.of("spec.nodeName", "n1");
        assertThat(FieldSelector.parse("spec.nodeName=n1").matches(f -> obj.getOrDefault(f, ""))).isTrue();
        assertThat(FieldSelector.parse("spec.nodeName!=n1").matches(f -> obj.getOrDefault(f, ""))).isFalse();
        assertThat(FieldSelector.parse("status.phase=").matches(f -> obj.getOrDefault(f, ""))).isTrue();
        assertThat(FieldSelector.parse("status.phase!=Running").matches(f -> obj.getOrDefault(f, ""))).isTrue();
        assertThat(FieldSelector.EVERYTHING.matches(f -> "")).isTrue();
        assertThat(FieldSelector.parse(" ")).isSameAs(FieldSelector.EVERYTHING);
    }

    @Test
    void readsValuesFromJsonTrees() {
        JsonNode pod = tree("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns"},
                 "spec":{"nodeName":"n1","restartPolicy":"Always"},
                 "status":{"phase":"Running","podIPs":[{"ip":"10.0.0.5"}]}}""");
        assertThat(FieldSelectors.valueOf(pod, "metadata.name")).isEqualTo("p");
        assertThat(FieldSelectors.valueOf(pod, "metadata.namespace")).isEqualTo("ns");
        assertThat(FieldSelectors.valueOf(pod, "spec.nodeName")).isEqualTo("n1");
        assertThat(FieldSelectors.valueOf(pod, "spec.schedulerName")).isEmpty();
        assertThat(FieldSelectors.valueOf(pod, "spec.hostNetwork")).isEqualTo("false");
        assertThat(FieldSelectors.valueOf(pod, "status.podIP")).isEqualTo("10.0.0.5");
        assertThat(FieldSelectors.matches(FieldSelector.parse("spec.nodeName=n1,status.phase=Running"), pod)).isTrue();
        assertThat(FieldSelectors.matches(FieldSelector.parse("spec.nodeName=n2"), pod)).isFalse();

        JsonNode event = tree("""
                {"apiVersion":"v1","kind":"Event","involvedObject":{"kind":"Pod","name":"p"},
                 "source":{"component":"kubelet"},"reason":"Started","type":"Normal"}""");
        assertThat(FieldSelectors.valueOf(event, "source")).isEqualTo("kubelet");
        assertThat(FieldSelectors.valueOf(event, "involvedObject.name")).isEqualTo("p");
        assertThat(FieldSelectors.valueOf(event, "involvedObject.uid")).isEmpty();

        JsonNode rs = tree("{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"status\":{}}");
        assertThat(FieldSelectors.valueOf(rs, "status.replicas")).isEqualTo("0");
        JsonNode node = tree("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"spec\":{\"unschedulable\":true}}");
        assertThat(FieldSelectors.valueOf(node, "spec.unschedulable")).isEqualTo("true");
    }

    @Test
    void supportedFieldsPerKind() {
        assertThat(FieldSelectors.supported(ResourceTypes.NAMESPACE))
                .containsExactlyInAnyOrder("metadata.name", "metadata.namespace", "status.phase");
        ResourceType<?> custom = ResourceType.generic("example.com", "v1", "Widget", "widgets", true);
        assertThat(FieldSelectors.supported(custom)).containsExactlyInAnyOrder("metadata.name", "metadata.namespace");
        FieldSelectors.checkSupported(ResourceTypes.NAMESPACE, FieldSelector.parse("status.phase=Active"));
        assertThatThrownBy(() -> FieldSelectors.checkSupported(custom, FieldSelector.parse("spec.size=1")))
                .isInstanceOf(SelectorParseException.class).hasMessage("field label not supported: spec.size");
    }

    private static JsonNode tree(String json) {
        return Json.tree(json.getBytes(StandardCharsets.UTF_8));
    }
}
