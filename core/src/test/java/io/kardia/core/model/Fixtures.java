package io.kardia.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Realistic kube-apiserver objects from src/test/resources/fixtures. */
final class Fixtures {
    private Fixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fixture's tree without explicit JSON nulls ({@code "lastProbeTime": null},
     * {@code "creationTimestamp": null}): Kubernetes treats them as absent, and typed fields do not
     * keep the difference.
     */
    static JsonNode treeWithoutNulls(String name) {
        JsonNode tree = Json.tree(bytes(name));
        stripNulls(tree);
        return tree;
    }

    private static void stripNulls(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> nulls = new ArrayList<>();
            o.properties().forEach(e -> {
                if (e.getValue().isNull()) {
                    nulls.add(e.getKey());
                } else {
                    stripNulls(e.getValue());
                }
            });
            o.remove(nulls);
        } else if (node instanceof ArrayNode a) {
            a.forEach(Fixtures::stripNulls);
        }
    }
}
