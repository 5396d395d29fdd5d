package io.kardia.store.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.types.SimpleType;
import io.kardia.core.json.Yaml;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON read lazily as CEL values: the same answers as a converted map, typed by a schema or not. */
class JsonCelValueTest {
    private static final KubeCel ENV = KubeCel.of(Map.of("self", SimpleType.DYN, "oldSelf", SimpleType.DYN), null);

    private static Object eval(String expression, Object self, Object oldSelf) throws Exception {
        KubeCel.Compiled c = ENV.compile(expression, null, null);
        assertThat(c.error()).isNull();
        return KubeCel.eval(c.program(), Map.of("self", self, "oldSelf", oldSelf), new RuntimeCost(KubeCel.PER_CALL_LIMIT));
    }

    private static final JsonNode OBJECT = Yaml.tree("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a, namespace: ns, labels: {app: web, tier: front}}
            data: {k: v, "dotted.key": x}
            spec: {replicas: 3, ratio: 1.5, ports: [{name: http, port: 80}, {name: https, port: 443}], flag: true, none: null}
            """);

    @Test
    void untypedObjectsAnswerSelectionPresenceIndexingSizeAndMacros() throws Exception {
        Object self = JsonCelValue.untyped(OBJECT);
        assertThat(eval("self.metadata.labels.app", self, self)).isEqualTo("web");
        assertThat(eval("self.data['dotted.key']", self, self)).isEqualTo("x");
        assertThat(eval("has(self.spec.replicas) && !has(self.spec.missing)", self, self)).isEqualTo(true);
        assertThat(eval("'tier' in self.metadata.labels", self, self)).isEqualTo(true);
        assertThat(eval("self.metadata.labels.size()", self, self)).isEqualTo(2L);
        assertThat(eval("self.metadata.labels.all(k, k.size() > 2)", self, self)).isEqualTo(true);
        assertThat(eval("self.spec.ports.map(p, int(p.port)).sum()", self, self)).isEqualTo(523L);
        assertThat(eval("self.spec.ports.exists(p, p.name == 'https')", self, self)).isEqualTo(true);
        assertThat(eval("self.spec.replicas * 2", self, self)).isEqualTo(6L);
        assertThat(eval("self.spec.ratio", self, self)).isEqualTo(1.5);
        assertThat(eval("self.spec.none == null && self.spec.flag", self, self)).isEqualTo(true);
        assertThat(eval("self.metadata.labels == {'app': 'web', 'tier': 'front'}", self, self)).isEqualTo(true);
        assertThatThrownBy(() -> eval("self.spec.missing", self, self)).hasMessageContaining("missing");
    }

    @Test
    void equalityComparesTheJsonWithoutConverting() throws Exception {
        Object self = JsonCelValue.untyped(OBJECT);
        Object same = JsonCelValue.untyped(OBJECT.deepCopy());
        Object changed = JsonCelValue.untyped(Yaml.tree("spec: {replicas: 4}"));
        assertThat(eval("self == oldSelf", self, same)).isEqualTo(true);
        assertThat(eval("self.spec == oldSelf.spec", self, changed)).isEqualTo(false);
        assertThat(self).isEqualTo(same).hasSameHashCodeAs(same);
    }

    @Test
    void schemaTypedObjectsShowDeclaredPropertiesUnderEscapedNamesAndTheRootsNameOnly() throws Exception {
        JsonNode schema = Yaml.tree("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      max-size: {type: integer}
                      weight: {type: number}
                      namespace: {type: string}
                      tags: {type: object, additionalProperties: {type: string}}
                """);
        JsonNode object = Yaml.tree("""
                apiVersion: example.com/v1
                kind: Thing
                metadata: {name: t, namespace: ns, labels: {a: b}}
                spec: {max-size: 5, weight: 2, namespace: n, tags: {x: y}, undeclared: 1}
                """);
        Object self = JsonCelValue.typed(object, schema, true);
        assertThat(eval("self.spec.max__dash__size", self, self)).isEqualTo(5L);
        assertThat(eval("self.spec.weight", self, self)).as("type: number is a double").isEqualTo(2.0);
        assertThat(eval("self.spec.__namespace__", self, self)).isEqualTo("n");
        assertThat(eval("self.spec.tags.x", self, self)).isEqualTo("y");
        assertThat(eval("has(self.spec.undeclared)", self, self)).isEqualTo(false);
        assertThat(eval("self.metadata.name + '/' + self.kind", self, self)).isEqualTo("t/Thing");
        assertThat(eval("has(self.metadata.labels)", self, self)).as("the root's metadata shows name and generateName").isEqualTo(false);
        assertThat(eval("self.spec.size()", self, self)).isEqualTo(4L);
    }
}
