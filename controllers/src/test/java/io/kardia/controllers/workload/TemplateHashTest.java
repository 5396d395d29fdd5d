package io.kardia.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.model.Container;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateHashTest {

    private static PodTemplateSpec template(Map<String, String> labels, String image) {
        return PodTemplateSpec.of(ObjectMeta.builder().labels(labels).build(), PodSpec.of(Container.of("app", image)));
    }

    @Test
    void fnv32aMatchesTheReferenceVectors() {
        // FNV-1a 32-bit test vectors (Landon Curt Noll's reference)
        assertThat(TemplateHash.fnv(0x811c9dc5, new byte[0])).isEqualTo(0x811c9dc5);
        assertThat(TemplateHash.fnv(0x811c9dc5, "a".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xe40c292c);
        assertThat(TemplateHash.fnv(0x811c9dc5, "foobar".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xbf9cf968);
    }

    @Test
    void safeEncodeMapsDigitsLikeKubernetes() {
        // rand.SafeEncodeString: '0' (48) % 27 = 21 -> '4', '9' (57) % 27 = 3 -> 'f'
        assertThat(TemplateHash.safeEncode("0123456789")).isEqualTo("456789bcdf");
    }

    @Test
    void isStableAcrossLabelOrderAndChangesWithTemplateAndCollisionCount() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        String h = TemplateHash.compute(template(ab, "nginx:1"), null);
        assertThat(TemplateHash.compute(template(ba, "nginx:1"), null)).isEqualTo(h);
        assertThat(TemplateHash.compute(template(ab, "nginx:2"), null)).isNotEqualTo(h);
        assertThat(TemplateHash.compute(template(ab, "nginx:1"), 1)).isNotEqualTo(h)
                .isNotEqualTo(TemplateHash.compute(template(ab, "nginx:1"), 2));
        assertThat(h).matches("[bcdfghjklmnpqrstvwxz2456789]+");
    }

    @Test
    void templatesDifferingOnlyInTheHashLabelAreEqual() {
        PodTemplateSpec plain = template(Map.of("app", "web"), "nginx:1");
        PodTemplateSpec hashed = template(Map.of("app", "web", TemplateHash.LABEL, "abc"), "nginx:1");
        assertThat(TemplateHash.equalIgnoringHash(plain, hashed)).isTrue();
        assertThat(TemplateHash.equalIgnoringHash(plain, template(Map.of("app", "web"), "nginx:2"))).isFalse();
    }

    @Test
    void emptyAndNullFieldsAsKubectlWritesThemBackDoNotChangeTheHash() {
        PodTemplateSpec original = template(Map.of("app", "web"), "nginx:1.27");
        PodTemplateSpec readBack = io.kardia.core.json.Json.fromString("""
                {"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"app","image":"nginx:1.27","resources":{}}],"securityContext":{}}}""",
                PodTemplateSpec.class);
        assertThat(TemplateHash.compute(readBack, null)).isEqualTo(TemplateHash.compute(original, null));
        assertThat(TemplateHash.equalIgnoringHash(readBack, original)).isTrue();
        assertThat(TemplateHash.compute(template(Map.of("app", "web"), "nginx:1.28"), null))
                .isNotEqualTo(TemplateHash.compute(original, null));
    }

    /** The comparison without building the canonical JSON agrees with comparing the canonical JSON, case by case. */
    @Test
    void comparingTreesAgreesWithComparingTheirCanonicalJson() {
        String[] docs = {
            "{}", "{\"a\":null}", "{\"a\":[]}", "{\"a\":{\"b\":null,\"c\":[]}}", "{\"a\":1}", "{\"a\":1.0}",
            "{\"a\":\"1\"}", "{\"a\":[null]}", "{\"a\":[{}]}", "{\"a\":[1,2]}", "{\"a\":[2,1]}",
            "{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}", "{\"a\":1,\"b\":{}}", "{\"a\":{\"x\":\"y\"}}",
            "{\"a\":{\"x\":\"z\"}}", "{\"a\":true}", "{\"a\":\"true\"}", "{\"a\":[[]]}", "{\"a\":[[],[1]]}",
        };
        for (String x : docs) {
            for (String y : docs) {
                var a = io.kardia.core.json.Json.tree(x.getBytes(StandardCharsets.UTF_8));
                var b = io.kardia.core.json.Json.tree(y.getBytes(StandardCharsets.UTF_8));
                assertThat(TemplateHash.sameCanonicalJson(a, b)).as(x + " vs " + y)
                        .isEqualTo(TemplateHash.canonicalJson(a).equals(TemplateHash.canonicalJson(b)));
            }
        }
        // an int and a long of one value print alike, as they hash alike
        var ints = io.kardia.core.json.Json.mapper().createObjectNode().put("a", 1);
        var longs = io.kardia.core.json.Json.mapper().createObjectNode().put("a", 1L);
        assertThat(TemplateHash.sameCanonicalJson(ints, longs)).isTrue();
        assertThat(TemplateHash.equalIgnoringHash(template(Map.of("app", "web"), "app:1"),
                template(Map.of("app", "web", TemplateHash.LABEL, "abc"), "app:1"))).isTrue();
        assertThat(TemplateHash.equalIgnoringHash(template(Map.of("app", "web"), "app:1"),
                template(Map.of("app", "web"), "app:2"))).isFalse();
    }
}
