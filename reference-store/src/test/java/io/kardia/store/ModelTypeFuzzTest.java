package io.kardia.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bounded, exhaustive form of the wrong-type fuzzing that found the gap: every field of a rich
 * Pod, ConfigMap, Secret and Deployment, replaced by a value of every other JSON type. Whatever the
 * store accepts, the typed model its clients and informers use must decode.
 */
@org.junit.jupiter.api.Timeout(300)
class ModelTypeFuzzTest {
    private static final List<String> REPLACEMENTS = List.of("123", "\"x\"", "true", "[1]", "{\"a\":1}", "-1.5");

    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":"b"},"annotations":{"c":"d"},
             "ownerReferences":[{"apiVersion":"v1","kind":"X","name":"o","uid":"u","controller":true}],"finalizers":["f"]},
             "spec":{"containers":[{"name":"c","image":"i","ports":[{"containerPort":80,"protocol":"TCP"}],
               "env":[{"name":"E","value":"v"}],"resources":{"requests":{"cpu":"100m"},"limits":{"memory":"1Gi"}}}],
               "terminationGracePeriodSeconds":30,"nodeSelector":{"k":"v"},"tolerations":[{"key":"k","operator":"Exists",
               "effect":"NoExecute","tolerationSeconds":5}],"restartPolicy":"Always"}}""";
    private static final String CONFIG_MAP = """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"a":"b"}},"data":{"k":"v"},
             "binaryData":{"b":"AA=="},"immutable":false}""";
    private static final String SECRET = """
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"type":"Opaque","data":{"k":"dg=="},
             "stringData":{"p":"q"},"immutable":false}""";
    private static final String DEPLOYMENT = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":2,
             "selector":{"matchLabels":{"app":"w"}},"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%",
             "maxUnavailable":1}},"template":{"metadata":{"labels":{"app":"w"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""";

    private static ObjectNode parse(String json) {
        return (ObjectNode) Json.tree(json.getBytes(StandardCharsets.UTF_8));
    }

    /** JSON pointers of every node below the root. */
    private static void pointers(JsonNode n, String at, List<String> out) {
        if (n.isObject()) {
            n.fieldNames().forEachRemaining(f -> {
                out.add(at + "/" + f);
                pointers(n.get(f), at + "/" + f, out);
            });
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                out.add(at + "/" + i);
                pointers(n.get(i), at + "/" + i, out);
            }
        }
    }

    private static ObjectNode replaced(ObjectNode doc, String pointer, JsonNode value) {
        ObjectNode copy = doc.deepCopy();
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = copy.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        if (parent instanceof ObjectNode o) {
            o.set(last, value);
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(last), value);
        }
        return copy;
    }

    @Test
    void whateverTheStoreAcceptsItsTypedModelDecodes() {
        int accepted = 0;
        int refused = 0;
        try (ReferenceStore store = ReferenceStore.inMemory()) {
            for (String sample : List.of(POD, CONFIG_MAP, SECRET, DEPLOYMENT)) {
                ObjectNode doc = parse(sample);
                ResourceType<?> type = ResourceTypes.byKind(doc.path("apiVersion").asText(), doc.path("kind").asText())
                        .orElseThrow();
                List<String> pointers = new ArrayList<>();
                pointers(doc, "", pointers);
                int n = 0;
                for (String pointer : pointers) {
                    if (pointer.equals("/apiVersion") || pointer.equals("/kind") || pointer.equals("/metadata/name")) {
                        continue; // type meta and the name have their own, earlier checks
                    }
                    for (String replacement : REPLACEMENTS) {
                        ObjectNode body = replaced(doc, pointer, Json.tree(replacement.getBytes(StandardCharsets.UTF_8)));
                        if (body.get("metadata") instanceof ObjectNode meta) {
                            meta.put("name", doc.path("metadata").path("name").asText() + "-" + n++);
                        }
                        try {
                            StoredObject stored = store.create(type, "default", body, WriteOptions.DEFAULT);
                            accepted++;
                            stored.decode(type.javaType()); // throws if an informer could not read it
                        } catch (KubeApiException e) {
                            assertThat(e.code()).as(pointer + " = " + replacement + ": " + e.getMessage()).isIn(400, 422);
                            refused++;
                        }
                    }
                }
            }
        }
        assertThat(refused).isPositive();
        assertThat(accepted).isPositive();
    }
}
