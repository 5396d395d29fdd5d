package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Takes a private copy of a request body in the store's canonical number form. A body built from
 * Java objects carries {@code LongNode(30)} where the same JSON parsed from bytes carries
 * {@code IntNode(30)}, and Jackson's trees compare those as different: without this, an unchanged
 * object written through the in-process client would look changed (spurious generations, no-op
 * writes stored, "immutable field changed" errors).
 */
final class JsonBodies {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private JsonBodies() {
    }

    static ObjectNode canonicalCopy(ObjectNode body) {
        return (ObjectNode) copy(body);
    }

    private static JsonNode copy(JsonNode n) {
        if (n.isObject()) {
            ObjectNode out = F.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), copy(e.getValue()));
            }
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = F.arrayNode(n.size());
            for (JsonNode v : n) {
                out.add(copy(v));
            }
            return out;
        }
        if (n.isIntegralNumber() && !n.isInt() && n.canConvertToInt()) {
            return F.numberNode(n.intValue());
        }
        if (n.isIntegralNumber() && !n.isLong() && !n.isInt() && n.canConvertToLong()) {
            return F.numberNode(n.longValue());
        }
        return n; // value nodes are immutable: sharing them is safe
    }
}
