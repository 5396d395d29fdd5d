package io.kardia.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Pod;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Free-form content decodes straight into frozen trees, with Jackson's number types and shared strings. */
class FrozenDecodingTest {

    @Test
    @SuppressWarnings("unchecked")
    void freeFormValuesKeepJacksonsTypesAndAreUnmodifiable() {
        GenericObject o = Json.fromString("""
                {"apiVersion":"v1","kind":"Thing","metadata":{"name":"t"},
                 "spec":{"small":1,"big":12345678901,"huge":123456789012345678901234567890,"ratio":0.5,
                         "flag":true,"nothing":null,"empty":{},"none":[],"list":[1,"two",null,{"k":"v"}]}}""",
                GenericObject.class);

        Map<String, Object> spec = o.spec();
        assertThat(spec.get("small")).isEqualTo(1);
        assertThat(spec.get("big")).isEqualTo(12345678901L);
        assertThat(spec.get("huge")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(spec.get("ratio")).isEqualTo(0.5d);
        assertThat(spec.get("flag")).isEqualTo(true);
        assertThat(spec).containsKey("nothing");
        assertThat(spec.get("nothing")).isNull();
        assertThat(spec.get("empty")).isEqualTo(Map.of());
        assertThat(spec.get("none")).isEqualTo(List.of());
        assertThat((List<Object>) spec.get("list")).containsExactly(1, "two", null, Map.of("k", "v"));
        assertThatThrownBy(() -> spec.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        List<Object> list = (List<Object>) spec.get("list");
        assertThatThrownBy(() -> list.add(1)).isInstanceOf(UnsupportedOperationException.class);
        // and it encodes back to what came in, nulls included
        assertThat(Json.toString(o.spec())).isEqualTo("""
                {"small":1,"big":12345678901,"huge":123456789012345678901234567890,"ratio":0.5,\
                "flag":true,"nothing":null,"empty":{},"none":[],"list":[1,"two",null,{"k":"v"}]}""");
    }

    @Test
    void repeatedStringsAcrossObjectsAreOneInstance() {
        String json = """
                {"metadata":{"name":"%s","labels":{"app":"shop-frontend"}},
                 "spec":{"containers":[{"name":"c","image":"registry.example.com/shop/frontend:1.2"}],
                         "volumes":[{"name":"token","projected":{"defaultMode":420}}]}}""";
        Json.fromString(json.formatted("a"), Pod.class); // first sighting: text is cached from the second on
        Pod b = Json.fromString(json.formatted("b"), Pod.class);
        Pod c = Json.fromString(json.formatted("c"), Pod.class);

        assertThat(c.metadata().labels().get("app")).isSameAs(b.metadata().labels().get("app"));
        assertThat(c.spec().containers().getFirst().image()).isSameAs(b.spec().containers().getFirst().image());
        assertThat(volumeName(c)).isSameAs(volumeName(b));
        assertThat(c.metadata().name()).isEqualTo("c");
    }

    @SuppressWarnings("unchecked")
    private static Object volumeName(Pod p) {
        return ((Map<String, Object>) ((List<?>) p.spec().extra().get("volumes")).getFirst()).get("name");
    }

    @Test
    void longAndEscapedStringsDecodeExactly() {
        String longText = "x".repeat(StringCache.MAX_LENGTH + 50);
        GenericObject o = Json.fromString("{\"apiVersion\":\"v1\",\"kind\":\"T\",\"a\":\"" + longText
                + "\",\"b\":\"tab\\there \\u00e9\\\"\"}", GenericObject.class);
        assertThat(o.fields().get("a")).isEqualTo(longText);
        assertThat(o.fields().get("b")).isEqualTo("tab\there é\"");
    }

    @Test
    void theStringCacheSharesRepeatedTextAndNeverConfusesDifferentText() {
        StringCache cache = new StringCache();
        String first = cache.get("token".toCharArray(), 0, 5);
        String second = cache.get("a token".toCharArray(), 2, 5);
        assertThat(cache.get("token!".toCharArray(), 0, 5)).isEqualTo("token").isSameAs(second).isNotSameAs(first);
        // "Aa" and "BB" share a hash code, so they compete for one slot
        for (int i = 0; i < 3; i++) {
            assertThat(cache.get("Aa".toCharArray(), 0, 2)).isEqualTo("Aa");
            assertThat(cache.get("xBBx".toCharArray(), 1, 2)).isEqualTo("BB");
        }
        assertThat(cache.get(new char[0], 0, 0)).isEmpty();
    }

    @Test
    void yamlDecodesIntoFrozenTreesToo() {
        GenericObject o = Yaml.read("""
                apiVersion: v1
                kind: Thing
                metadata: {name: t}
                spec:
                  items: [a, b]
                  nested: {k: 1}
                """, GenericObject.class);
        assertThat(o.spec()).containsEntry("items", List.of("a", "b")).containsEntry("nested", Map.of("k", 1));
        assertThatThrownBy(() -> o.spec().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }
}
