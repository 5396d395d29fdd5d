package io.kardia.runtime.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import java.util.Iterator;
import java.util.Map;

/**
 * The RFC 6902 JSON patch that turns one document into another: objects are compared field by
 * field, anything else (arrays included) that differs is replaced whole. What a mutating
 * webhook answers with.
 */
final class JsonDiff {
    private JsonDiff() {
    }

    static ArrayNode diff(JsonNode from, JsonNode to) {
        ArrayNode ops = Json.mapper().createArrayNode();
        diff("", from, to, ops);
        return ops;
    }

    private static void diff(String path, JsonNode from, JsonNode to, ArrayNode ops) {
        if (from.equals(to)) {
            return;
        }
        if (from.isObject() && to.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String at = path + "/" + escape(e.getKey());
                JsonNode other = to.get(e.getKey());
                if (other == null) {
                    ops.addObject().put("op", "remove").put("path", at);
                } else {
                    diff(at, e.getValue(), other, ops);
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = to.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!from.has(e.getKey())) {
                    ObjectNode op = ops.addObject().put("op", "add").put("path", path + "/" + escape(e.getKey()));
                    op.set("value", e.getValue());
                }
            }
            return;
        }
        ObjectNode op = ops.addObject().put("op", "replace").put("path", path);
        op.set("value", to);
    }

    /** RFC 6901: {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
