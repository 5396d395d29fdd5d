package io.kardia.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web}
              creationTimestamp: 2024-05-01T10:00:00Z
            spec:
              replicas: 3
              selector:
                matchLabels:
                  app: web
              strategy:
                rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
                    resources:
                      requests: {cpu: 0.5, memory: 64Mi}
                    env:
                    - {name: FLAG, value: "yes"}
                    - {name: ON, value: on}
            """;

    @Test
    void readsAKubectlManifest() {
        Deployment d = Yaml.read(DEPLOYMENT, Deployment.class);
        assertThat(d.metadata().name()).isEqualTo("web");
        assertThat(d.metadata().creationTimestamp()).hasToString("2024-05-01T10:00:00Z");
        assertThat(d.spec().replicas()).isEqualTo(3);
        assertThat(d.spec().strategy().rollingUpdate().maxUnavailable().isInt()).isTrue();
        var c = d.spec().template().spec().containers().get(0);
        assertThat(c.resources().requests().get("cpu")).isEqualTo(Quantity.parse("500m"));
        assertThat(c.env().get(0).value()).isEqualTo("yes");
        assertThat(c.env().get(1).value()).isEqualTo("on"); // YAML 1.2: not a boolean
        // the same object from YAML and from its JSON gives equal trees
        assertThat(Yaml.tree(DEPLOYMENT)).isEqualTo(Json.tree(Json.toBytes(Yaml.tree(DEPLOYMENT))));
    }

    @Test
    void writesAndReadsBackAmbiguousStrings() {
        Map<String, String> data = new LinkedHashMap<>();
        for (String v : List.of("true", "yes", "no", "on", "null", "~", "1", "0755", "1e3", "0x1F", "", " x", "a: b",
                "- x", "#c", "multi\nline", "2024-05-01T10:00:00Z", "3.0", "'q'", "\"dq\"")) {
            data.put("k" + data.size(), v);
        }
        ConfigMap cm = ConfigMap.of(ObjectMeta.of("ns", "c"), data);
        String yaml = Yaml.write(cm);
        assertThat(yaml).startsWith("apiVersion: v1\nkind: ConfigMap\n");
        assertThat(Yaml.read(yaml, ConfigMap.class)).isEqualTo(cm);
    }

    @Test
    void multiDocumentStreams() {
        String stream = """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a}
                ---
                # only a comment: an empty document is skipped
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: b}
                data: {x: "1"}
                ...
                """;
        List<ConfigMap> all = Yaml.readAll(stream, ConfigMap.class);
        assertThat(all).extracting(c -> c.metadata().name()).containsExactly("a", "b");
        String written = Yaml.writeAll(all);
        assertThat(written).contains("\n---\n");
        assertThat(Yaml.readAll(written, ConfigMap.class)).isEqualTo(all);
        assertThatThrownBy(() -> Yaml.tree(stream)).isInstanceOf(CodecException.class)
                .hasMessage("expected exactly one YAML document, found 2");
    }

    @Test
    void expandsAliasesAndMergeKeysWithinLimits() {
        JsonNode doc = Yaml.tree("""
                base: &base {cpu: 100m, memory: 64Mi}
                list: &l [1, 2]
                copy: *base
                merged:
                  <<: *base
                  cpu: 200m
                again: *l
                """);
        assertThat(doc.at("/copy/memory").asText()).isEqualTo("64Mi");
        assertThat(doc.at("/merged/cpu").asText()).isEqualTo("200m");
        assertThat(doc.at("/merged/memory").asText()).isEqualTo("64Mi");
        assertThat(doc.at("/again/1").asInt()).isEqualTo(2);
        assertThatThrownBy(() -> Yaml.tree("a: *nope")).isInstanceOf(CodecException.class)
                .hasMessageContaining("unknown anchor");
    }

    @Test
    void scalarsResolveLikeKubernetesReader() {
        JsonNode doc = Yaml.tree("""
                octal: 0644
                octal2: 0o755
                hex: 0x1F
                under: 1_000
                neg: -12
                big: 123456789012
                float: 1.5e3
                notOctal: 08
                str: "0644"
                yes: yes
                t: true
                n: ~
                e:
                ts: 2024-05-01T10:00:00Z
                anchored: &s hello
                alias: *s
                literal: |
                  line1
                  line2
                tagged: !!str 12
                """);
        assertThat(doc.get("octal").intValue()).isEqualTo(420);
        assertThat(doc.get("octal2").intValue()).isEqualTo(493);
        assertThat(doc.get("hex").intValue()).isEqualTo(31);
        assertThat(doc.get("under").intValue()).isEqualTo(1000);
        assertThat(doc.get("neg").intValue()).isEqualTo(-12);
        assertThat(doc.get("big").longValue()).isEqualTo(123456789012L);
        assertThat(doc.get("float").doubleValue()).isEqualTo(1500.0);
        assertThat(doc.get("notOctal").doubleValue()).isEqualTo(8.0);
        assertThat(doc.get("str").textValue()).isEqualTo("0644");
        assertThat(doc.get("yes").textValue()).isEqualTo("yes");
        assertThat(doc.get("t").booleanValue()).isTrue();
        assertThat(doc.get("n").isNull()).isTrue();
        assertThat(doc.get("e").isNull()).isTrue();
        assertThat(doc.get("ts").textValue()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(doc.get("alias").textValue()).isEqualTo("hello");
        assertThat(doc.get("literal").textValue()).isEqualTo("line1\nline2\n");
        assertThat(doc.get("tagged").textValue()).isEqualTo("12");
        assertThatThrownBy(() -> Yaml.tree("? [a]\n: b\n")).isInstanceOf(CodecException.class)
                .hasMessageContaining("keys must be scalars");
    }

    @Test
    void billionLaughsIsRejected() {
        String bomb = """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
                """;
        assertThatThrownBy(() -> Yaml.tree(bomb)).isInstanceOf(CodecException.class)
                .hasMessageContaining("possible alias bomb");
        StringBuilder many = new StringBuilder("a: &a x\nl: [");
        for (int i = 0; i < Yaml.MAX_ALIASES + 1; i++) {
            many.append(i == 0 ? "" : ",").append("*a");
        }
        assertThatThrownBy(() -> Yaml.tree(many + "]")).isInstanceOf(CodecException.class)
                .hasMessageContaining("more than " + Yaml.MAX_ALIASES + " aliases");
    }

    @Test
    void deepNestingIsRejected() {
        String flow = "a: " + "[".repeat(5000) + "]".repeat(5000);
        assertThatThrownBy(() -> Yaml.tree(flow)).isInstanceOf(CodecException.class);
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            block.append("  ".repeat(i)).append("k").append(i).append(":\n");
        }
        block.append("  ".repeat(150)).append("leaf: 1\n");
        assertThatThrownBy(() -> Yaml.tree(block.toString())).isInstanceOf(CodecException.class)
                .hasMessageContaining("nesting");
        String json = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThatThrownBy(() -> Json.tree(json.getBytes())).isInstanceOf(CodecException.class)
                .hasMessageContaining("nesting depth");
        // within the limit is fine
        String ok = "a: " + "[".repeat(50) + "]".repeat(50);
        assertThat(Yaml.tree(ok).isObject()).isTrue();
    }

    @Test
    void hugeInputIsRejected() {
        String huge = "a: \"" + "x".repeat(Yaml.MAX_CODE_POINTS) + "\"";
        assertThatThrownBy(() -> Yaml.tree(huge)).isInstanceOf(CodecException.class)
                .hasMessageContaining("larger than");
    }

    @Test
    void malformedYamlNamesTheLine() {
        assertThatThrownBy(() -> Yaml.tree("a: b\n  c: [d\n")).isInstanceOf(CodecException.class)
                .hasMessageContaining("line");
    }
}
