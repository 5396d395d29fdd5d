package io.kardia.store.cel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.ast.CelExpr;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The worst-case cost of a rule, estimated before it ever runs as kube-apiserver does (cel-go's
 * cost estimator): the size of what an expression walks comes from the schema ({@code maxItems},
 * {@code maxLength}, {@code maxProperties}), and where the schema sets no bound, from the largest
 * request kube-apiserver accepts (3 MiB) divided by the smallest serialized element. Comprehensions
 * multiply their body by the size of their range. The figures follow cel-go's model closely but
 * not to the unit (documented in docs/admission.md).
 */
final class CostEstimator {
    /** kube-apiserver's maximum request size: the bound of anything the schema leaves unbounded. */
    static final long MAX_REQUEST_BYTES = 3L * 1024 * 1024;
    private static final Set<String> STRING_TRAVERSING = Set.of("contains", "startsWith", "endsWith", "matches", "find",
            "findAll", "split", "replace", "lowerAscii", "upperAscii", "trim", "indexOf", "lastIndexOf", "substring",
            "_+_", "_==_", "_!=_", "url", "isURL", "quantity", "isQuantity", "join", "sort", "isSorted", "sum", "min", "max");

    private CostEstimator() {
    }

    /** The estimated cost of {@code expr} with {@code self} (and {@code oldSelf}) typed by {@code schema}. */
    static long estimate(CelExpr expr, JsonNode schema) {
        Map<String, JsonNode> vars = new HashMap<>();
        vars.put("self", schema);
        vars.put("oldSelf", schema);
        return walk(expr, vars).cost;
    }

    /** How many values one rule at a schema node inside an array or map of {@code schema} may see. */
    static long maxSize(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return MAX_REQUEST_BYTES;
        }
        String type = schema.path("type").asText("");
        if (type.equals("array")) {
            return schema.has("maxItems") ? schema.get("maxItems").asLong() : MAX_REQUEST_BYTES / (minSerializedSize(schema.get("items")) + 1);
        }
        if (type.equals("string")) {
            return schema.has("maxLength") ? schema.get("maxLength").asLong() : MAX_REQUEST_BYTES;
        }
        if (type.equals("object")) {
            if (schema.has("maxProperties")) {
                return schema.get("maxProperties").asLong();
            }
            JsonNode additional = schema.get("additionalProperties");
            if (additional != null && additional.isObject()) {
                // "k":v, — a key of at least one character plus the value
                return MAX_REQUEST_BYTES / (minSerializedSize(additional) + 5);
            }
            return Math.max(1, schema.path("properties").size());
        }
        return 1;
    }

    private static long minSerializedSize(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return 1;
        }
        return switch (schema.path("type").asText("")) {
            case "string" -> 2 + (schema.has("minLength") ? schema.get("minLength").asLong() : 0);
            case "boolean" -> 4;
            case "object", "array" -> 2;
            default -> 1;
        };
    }

    private record Est(long cost, JsonNode schema) {
    }

    private static Est walk(CelExpr e, Map<String, JsonNode> vars) {
        switch (e.getKind()) {
            case CONSTANT -> {
                return new Est(0, null);
            }
            case IDENT -> {
                return new Est(1, vars.get(e.ident().name()));
            }
            case SELECT -> {
                Est operand = walk(e.select().operand(), vars);
                return new Est(sat(operand.cost, 1), field(operand.schema, e.select().field()));
            }
            case CALL -> {
                CelExpr.CelCall call = e.call();
                long cost = 1;
                JsonNode result = null;
                Est target = call.target().map(t -> walk(t, vars)).orElse(null);
                if (target != null) {
                    cost = sat(cost, target.cost);
                }
                Est first = null;
                for (CelExpr arg : call.args()) {
                    Est a = walk(arg, vars);
                    cost = sat(cost, a.cost);
                    if (first == null) {
                        first = a;
                    }
                }
                Est receiver = target != null ? target : first;
                if (receiver != null && STRING_TRAVERSING.contains(call.function())) {
                    cost = sat(cost, (long) Math.ceil(maxSize(receiver.schema) * 0.1));
                }
                if (call.function().equals("@in") && call.args().size() == 2) {
                    cost = sat(cost, maxSize(walk(call.args().get(1), vars).schema));
                }
                if (call.function().equals("_[_]") && first != null) {
                    result = element(first.schema);
                } else if (call.function().equals("_?._") && first != null && call.args().size() == 2
                        && call.args().get(1).getKind() == CelExpr.ExprKind.Kind.CONSTANT) {
                    result = field(first.schema, call.args().get(1).constant().stringValue());
                }
                return new Est(cost, result);
            }
            case LIST -> {
                long cost = 10;
                for (CelExpr el : e.list().elements()) {
                    cost = sat(cost, walk(el, vars).cost);
                }
                return new Est(cost, null);
            }
            case MAP -> {
                long cost = 30;
                for (CelExpr.CelMap.Entry en : e.map().entries()) {
                    cost = sat(cost, sat(walk(en.key(), vars).cost, walk(en.value(), vars).cost));
                }
                return new Est(cost, null);
            }
            case STRUCT -> {
                long cost = 40;
                for (CelExpr.CelStruct.Entry en : e.struct().entries()) {
                    cost = sat(cost, walk(en.value(), vars).cost);
                }
                return new Est(cost, null);
            }
            case COMPREHENSION -> {
                CelExpr.CelComprehension c = e.comprehension();
                Est range = walk(c.iterRange(), vars);
                Map<String, JsonNode> inner = new HashMap<>(vars);
                inner.put(c.iterVar(), isMap(range.schema) ? null : element(range.schema));
                inner.put(c.accuVar(), null);
                long body = sat(walk(c.loopCondition(), inner).cost, walk(c.loopStep(), inner).cost);
                long cost = sat(range.cost, walk(c.accuInit(), vars).cost);
                cost = sat(cost, mul(maxSize(range.schema), body));
                return new Est(sat(cost, walk(c.result(), inner).cost), null);
            }
            default -> {
                return new Est(1, null);
            }
        }
    }

    private static boolean isMap(JsonNode schema) {
        return schema != null && "object".equals(schema.path("type").asText());
    }

    private static JsonNode element(JsonNode schema) {
        if (schema == null) {
            return null;
        }
        if ("array".equals(schema.path("type").asText())) {
            return schema.get("items");
        }
        JsonNode additional = schema.get("additionalProperties");
        return additional != null && additional.isObject() ? additional : null;
    }

    private static JsonNode field(JsonNode schema, String escaped) {
        if (schema == null) {
            return null;
        }
        Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> p = it.next();
            if (escaped.equals(SchemaCelTypes.escape(p.getKey()))) {
                return p.getValue();
            }
        }
        return element(schema);
    }

    static long sat(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    static long mul(long a, long b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
