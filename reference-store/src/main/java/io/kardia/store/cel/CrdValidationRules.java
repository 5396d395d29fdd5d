package io.kardia.store.cel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import io.kardia.core.model.Status;
import io.kardia.core.validation.Causes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code x-kubernetes-validations} rules of one CRD version's structural schema, compiled once
 * (when the CRD is written) and evaluated on every write of its objects, as kube-apiserver does:
 * {@code self} is the value at the rule's schema node, {@code oldSelf} its previous value on
 * update (transition rules run only when there is one, unless {@code optionalOldSelf}); a failed
 * rule is a field error at the node (plus {@code fieldPath}) worded by {@code reason} with
 * {@code messageExpression}, {@code message} or "failed rule: ..."; unchanged values are not
 * re-validated (ratcheting); runtime cost is limited per expression and per write.
 */
public final class CrdValidationRules {
    private static final Logger LOG = LoggerFactory.getLogger(CrdValidationRules.class);
    private static final Set<String> REASONS = Set.of("FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired");
    private static final Pattern NEWLINES = Pattern.compile("[\\n\\r]+");
    private static final CrdValidationRules NONE = new CrdValidationRules(null, List.of(), 0);

    private final Node root;
    private final List<Problem> problems;
    private final long estimatedTotal;

    private CrdValidationRules(Node root, List<Problem> problems, long estimatedTotal) {
        this.root = root;
        this.problems = problems;
        this.estimatedTotal = estimatedTotal;
    }

    /** A reason a rule cannot be served: a field error relative to the schema root. */
    private record Problem(String path, String type, Object value, String detail) {
    }

    private record Rule(String rule, String message, CelRuntime.Program program, CelRuntime.Program messageProgram,
                        boolean usesOldSelf, boolean optionalOldSelf, String reason, List<String> fieldPath) {
        String errorString() {
            return message != null && !message.isBlank() ? message.strip() : rule.strip();
        }

        String defaultMessage() {
            return message == null || message.isEmpty() ? "failed rule: " + errorString() : message.strip();
        }
    }

    /** The rules at one schema node and the nodes below it that have rules. */
    private static final class Node {
        final JsonNode schema;
        final boolean root;
        /** How CEL sees this node's values, and its type's name in errors: worked out once, not per write. */
        final JsonCelValue.View view;
        final String typeName;
        final List<Rule> rules = new ArrayList<>();
        final Map<String, Node> properties = new LinkedHashMap<>();
        Node items;
        Node additional;
        boolean transitionRulesBelow;

        Node(JsonNode schema, boolean root) {
            this.schema = schema;
            this.root = root;
            this.view = JsonCelValue.View.of(schema, root);
            this.typeName = schema.path("type").asText("");
        }

        boolean isEmpty() {
            return rules.isEmpty() && properties.isEmpty() && items == null && additional == null;
        }

        String typeName() {
            return typeName;
        }
    }

    /** Compiles every rule of {@code openApiV3Schema}; never throws: what does not compile is in {@link #problems}. */
    public static CrdValidationRules compile(JsonNode openApiV3Schema) {
        if (openApiV3Schema == null || !openApiV3Schema.isObject() || !openApiV3Schema.toString().contains("x-kubernetes-validations")) {
            return NONE;
        }
        Compiler c = new Compiler();
        Node root = c.node(openApiV3Schema, "", true, 1, null);
        if (c.total > KubeCel.STATIC_ESTIMATED_CRD_COST_LIMIT) {
            for (String p : c.contributors) {
                c.problems.add(new Problem(p, "Forbidden", null,
                        "contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema"));
            }
            c.problems.add(new Problem("", "Forbidden", null, costErrorMessage(
                    "x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema", c.total,
                    KubeCel.STATIC_ESTIMATED_CRD_COST_LIMIT)));
        }
        return new CrdValidationRules(root, List.copyOf(c.problems), c.total);
    }

    /** True when the schema has rules to evaluate. */
    public boolean hasRules() {
        return root != null;
    }

    /** The estimated cost of all rules (each times how often it may run), as kube sums it. */
    public long estimatedTotalCost() {
        return estimatedTotal;
    }

    /** Adds why the rules cannot be served, with field paths under {@code schemaPath} (e.g. {@code spec.versions[0].schema.openAPIV3Schema}). */
    public void addProblems(String schemaPath, Causes out) {
        for (Problem p : problems) {
            String field = p.path.isEmpty() ? schemaPath : schemaPath + "." + p.path;
            switch (p.type) {
                case "Required" -> out.required(field, p.detail);
                case "Forbidden" -> out.forbidden(field, p.detail);
                case "NotSupported" -> out.notSupported(field, p.value, List.copyOf(new java.util.TreeSet<>(REASONS)));
                default -> out.invalid(field, p.value, p.detail);
            }
        }
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /**
     * Evaluates the rules over {@code object} (and, on update, {@code old}), adding a cause for
     * every failed rule. Values that did not change since {@code old} are not re-validated, except
     * by transition rules.
     */
    public void validate(JsonNode object, JsonNode old, Causes out) {
        if (root == null) {
            return;
        }
        new Evaluation(out).walk(root, "", object, old);
    }

    // ------------------------------------------------------------------ compilation

    private static final class Compiler {
        final SchemaCelTypes types = new SchemaCelTypes();
        final List<Problem> problems = new ArrayList<>();
        final List<String> contributors = new ArrayList<>();
        long total;

        /** The compiled node for {@code schema} at {@code path}; null when neither it nor anything below has rules. */
        Node node(JsonNode schema, String path, boolean root, long cardinality, String uncorrelatable) {
            Node n = new Node(schema, root);
            JsonNode rules = schema.get("x-kubernetes-validations");
            if (rules != null && rules.isArray() && !rules.isEmpty()) {
                compileRules(n, rules, path, root, cardinality, uncorrelatable);
            }
            Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields();
            while (props.hasNext()) {
                Map.Entry<String, JsonNode> p = props.next();
                if (root && p.getKey().equals("metadata") || !p.getValue().isObject()) {
                    continue;
                }
                Node child = node(p.getValue(), child(path, "properties[" + p.getKey() + "]"), false, cardinality, uncorrelatable);
                if (child != null) {
                    n.properties.put(p.getKey(), child);
                }
            }
            JsonNode items = schema.get("items");
            if (items != null && items.isObject()) {
                String listType = schema.path("x-kubernetes-list-type").asText("atomic");
                String unc = uncorrelatable != null || listType.equals("map") ? uncorrelatable : path.isEmpty() ? "openAPIV3Schema" : path;
                n.items = node(items, child(path, "items"), false,
                        CostEstimator.mul(cardinality, CostEstimator.maxSize(schema)), unc);
            }
            JsonNode additional = schema.get("additionalProperties");
            if (additional != null && additional.isObject()) {
                n.additional = node(additional, child(path, "additionalProperties"), false,
                        CostEstimator.mul(cardinality, CostEstimator.maxSize(schema)), uncorrelatable);
            }
            n.transitionRulesBelow = n.rules.stream().anyMatch(Rule::usesOldSelf)
                    || n.properties.values().stream().anyMatch(c -> c.transitionRulesBelow)
                    || n.items != null && n.items.transitionRulesBelow
                    || n.additional != null && n.additional.transitionRulesBelow;
            return n.isEmpty() ? null : n;
        }

        private void compileRules(Node n, JsonNode rules, String path, boolean root, long cardinality,
                                  String uncorrelatable) {
            CelType self = types.typeOf(n.schema, root);
            KubeCel plain = null;
            KubeCel optional = null;
            for (int i = 0; i < rules.size(); i++) {
                JsonNode r = rules.get(i);
                String rp = child(path, "x-kubernetes-validations[" + i + "]");
                String rule = r.path("rule").asText("");
                String message = r.hasNonNull("message") ? r.get("message").asText() : null;
                String messageExpression = r.hasNonNull("messageExpression") ? r.get("messageExpression").asText() : null;
                String reason = r.hasNonNull("reason") ? r.get("reason").asText() : null;
                String fieldPath = r.hasNonNull("fieldPath") ? r.get("fieldPath").asText() : null;
                Boolean optionalOldSelf = r.hasNonNull("optionalOldSelf") ? r.get("optionalOldSelf").asBoolean() : null;
                GoRule shown = new GoRule(rule, message, messageExpression, reason, fieldPath, optionalOldSelf);
                int before = problems.size();
                if (rule.isBlank()) {
                    problems.add(new Problem(child(rp, "rule"), "Required", null, "rule is not specified"));
                } else if (message != null && !message.isEmpty() && message.isBlank()) {
                    problems.add(new Problem(child(rp, "message"), "Invalid", message, "message must be non-empty if specified"));
                } else if (message != null && NEWLINES.matcher(message.strip()).find()) {
                    problems.add(new Problem(child(rp, "message"), "Invalid", message, "message must not contain line breaks"));
                } else if (NEWLINES.matcher(rule.strip()).find() && (message == null || message.isBlank())) {
                    problems.add(new Problem(child(rp, "message"), "Required", null, "message must be specified if rule contains line breaks"));
                }
                if (messageExpression != null && !messageExpression.isEmpty() && messageExpression.isBlank()) {
                    problems.add(new Problem(child(rp, "messageExpression"), "Required", null, "messageExpression must be non-empty if specified"));
                }
                if (reason != null && !REASONS.contains(reason)) {
                    problems.add(new Problem(child(rp, "reason"), "NotSupported", reason, null));
                }
                List<String> steps = null;
                if (fieldPath != null) {
                    steps = FieldPaths.parse(fieldPath, n.schema);
                    if (fieldPath.isBlank() || NEWLINES.matcher(fieldPath).find() || steps == null) {
                        String detail = fieldPath.isBlank() ? "fieldPath must be non-empty if specified"
                                : NEWLINES.matcher(fieldPath).find() ? "fieldPath must not contain line breaks" : "fieldPath must be a valid path";
                        problems.add(new Problem(child(rp, "fieldPath"), "Invalid", fieldPath, detail));
                    }
                }
                if (problems.size() > before) {
                    continue;
                }
                boolean useOptional = Boolean.TRUE.equals(optionalOldSelf);
                KubeCel env;
                if (useOptional) {
                    if (optional == null) {
                        optional = KubeCel.of(Map.of("self", self, "oldSelf", OptionalType.create(self)), types);
                    }
                    env = optional;
                } else {
                    if (plain == null) {
                        plain = KubeCel.of(Map.of("self", self, "oldSelf", self), types);
                    }
                    env = plain;
                }
                KubeCel.Compiled compiled = env.compile(rule, SimpleType.BOOL, "cel expression must evaluate to a bool");
                String rulePath = child(rp, "rule");
                boolean usesOldSelf = false;
                if (compiled.ast() != null) {
                    long cost = CostEstimator.mul(CostEstimator.estimate(compiled.ast().getExpr(), n.schema), cardinality);
                    if (cost > KubeCel.STATIC_ESTIMATED_COST_LIMIT) {
                        problems.add(new Problem(rulePath, "Forbidden", null,
                                costErrorMessage("estimated rule cost", cost, KubeCel.STATIC_ESTIMATED_COST_LIMIT)));
                    }
                    observe(rulePath, cost);
                    usesOldSelf = usesOldSelf(compiled.ast().getExpr());
                }
                if (!compiled.ok()) {
                    problems.add(new Problem(rulePath, "Invalid", shown, compiled.error()));
                }
                CelRuntime.Program messageProgram = null;
                if (messageExpression != null && !messageExpression.isBlank()) {
                    KubeCel.Compiled m = env.compile(messageExpression, SimpleType.STRING, "messageExpression must evaluate to a string");
                    if (!m.ok()) {
                        problems.add(new Problem(child(rp, "messageExpression"), "Invalid", shown,
                                m.error().startsWith("compilation failed: ") ? "messageExpression " + m.error() : m.error()));
                    } else {
                        long cost = CostEstimator.mul(CostEstimator.estimate(m.ast().getExpr(), n.schema), cardinality);
                        if (cost > KubeCel.STATIC_ESTIMATED_COST_LIMIT) {
                            problems.add(new Problem(child(rp, "messageExpression"), "Forbidden", null,
                                    costErrorMessage("estimated messageExpression cost", cost, KubeCel.STATIC_ESTIMATED_COST_LIMIT)));
                        }
                        observe(child(rp, "messageExpression"), cost);
                        messageProgram = m.program();
                    }
                }
                if (usesOldSelf && uncorrelatable != null) {
                    problems.add(new Problem(rulePath, "Invalid", rule,
                            "oldSelf cannot be used on the uncorrelatable portion of the schema within " + uncorrelatable));
                } else if (!usesOldSelf && optionalOldSelf != null && compiled.ok()) {
                    problems.add(new Problem(child(rp, "optionalOldSelf"), "Invalid", optionalOldSelf,
                            "may not be set if oldSelf is not used in rule"));
                }
                if (compiled.ok()) {
                    n.rules.add(new Rule(rule, message, compiled.program(), messageProgram, usesOldSelf, useOptional, reason, steps));
                }
            }
        }

        private void observe(String path, long cost) {
            total = CostEstimator.sat(total, cost);
            if (cost > KubeCel.STATIC_ESTIMATED_CRD_COST_LIMIT / 100) {
                contributors.add(path);
            }
        }
    }

    private static boolean usesOldSelf(CelExpr expr) {
        return Expressions.references(expr, "oldSelf");
    }

    static String child(String path, String step) {
        return path.isEmpty() ? step : path + "." + step;
    }

    /** kube's getCostErrorMessage. */
    static String costErrorMessage(String costName, long cost, long limit) {
        double factor = (double) cost / limit;
        String f = factor > 100.0 ? "more than 100x" : factor < 1.5 ? String.format("%fx", factor) : String.format("%.1fx", factor);
        return costName + " exceeds budget by factor of " + f
                + " (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)";
    }

    /** A rule as kube-apiserver prints it in a CRD's field errors (Go's %#v of apiextensions.ValidationRule). */
    private record GoRule(String rule, String message, String messageExpression, String reason, String fieldPath,
                          Boolean optionalOldSelf) {
        @Override
        public String toString() {
            return "apiextensions.ValidationRule{Rule:" + quote(rule) + ", Message:" + quote(message)
                    + ", MessageExpression:" + quote(messageExpression) + ", Reason:"
                    + (reason == null ? "(*apiextensions.FieldValueErrorReason)(nil)" : "(*apiextensions.FieldValueErrorReason)(" + quote(reason) + ")")
                    + ", FieldPath:" + quote(fieldPath) + ", OptionalOldSelf:"
                    + (optionalOldSelf == null ? "(*bool)(nil)" : "(*bool)(" + optionalOldSelf + ")") + "}";
        }

        private static String quote(String s) {
            String v = s == null ? "" : s;
            return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"';
        }
    }

    // ------------------------------------------------------------------ evaluation

    /** {@code self} and {@code oldSelf} of one rule's evaluation, read by name (no map for cel-java to copy). */
    private record RuleVariables(Object self, Object oldSelf) implements CelVariableResolver {
        @Override
        public Optional<Object> find(String name) {
            return switch (name) {
                case "self" -> Optional.of(self);
                case "oldSelf" -> Optional.ofNullable(oldSelf);
                default -> Optional.empty();
            };
        }
    }

    /** One write's evaluation: its causes and the runtime budget all of its rules share. */
    private static final class Evaluation {
        final Causes out;
        long remaining = KubeCel.RUNTIME_BUDGET;
        boolean stopped;

        Evaluation(Causes out) {
            this.out = out;
        }

        void walk(Node n, String path, JsonNode value, JsonNode old) {
            if (stopped || value == null || value.isMissingNode() || value.isNull()) {
                return;
            }
            boolean unchanged = old != null && value.equals(old);
            if (unchanged && !n.transitionRulesBelow) {
                return; // ratcheting: nothing that did not change is validated again
            }
            Object[] converted = new Object[2]; // self and oldSelf as CEL values, made once for all rules of the node
            for (Rule r : n.rules) {
                if (stopped) {
                    return;
                }
                if (r.usesOldSelf && old == null && !r.optionalOldSelf || unchanged && !r.usesOldSelf) {
                    continue;
                }
                evaluate(n, r, path, value, old, converted);
            }
            for (Map.Entry<String, Node> p : n.properties.entrySet()) {
                walk(p.getValue(), child(path, p.getKey()), value.get(p.getKey()), old == null ? null : old.get(p.getKey()));
            }
            if (n.additional != null && value.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> it = value.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    walk(n.additional, path + "[" + e.getKey() + "]", e.getValue(), old == null ? null : old.get(e.getKey()));
                }
            }
            if (n.items != null && value.isArray()) {
                Map<List<JsonNode>, JsonNode> oldByKey = oldItems(n, old);
                for (int i = 0; i < value.size(); i++) {
                    JsonNode item = value.get(i);
                    walk(n.items, path + "[" + i + "]", item, correlate(n, item, old, oldByKey));
                }
            }
        }

        /** The old items of a map-list by their keys (kube correlates only those, and equal items of sets). */
        private static Map<List<JsonNode>, JsonNode> oldItems(Node n, JsonNode old) {
            if (old == null || !old.isArray() || !"map".equals(n.schema.path("x-kubernetes-list-type").asText())) {
                return null;
            }
            Map<List<JsonNode>, JsonNode> byKey = new HashMap<>();
            for (JsonNode o : old) {
                byKey.putIfAbsent(keyOf(n, o), o);
            }
            return byKey;
        }

        private static JsonNode correlate(Node n, JsonNode item, JsonNode old, Map<List<JsonNode>, JsonNode> oldByKey) {
            if (oldByKey != null) {
                return oldByKey.get(keyOf(n, item));
            }
            if (old != null && old.isArray() && "set".equals(n.schema.path("x-kubernetes-list-type").asText())) {
                for (JsonNode o : old) {
                    if (o.equals(item)) {
                        return o;
                    }
                }
            }
            return null;
        }

        private static List<JsonNode> keyOf(Node n, JsonNode item) {
            List<JsonNode> key = new ArrayList<>();
            for (JsonNode k : n.schema.path("x-kubernetes-list-map-keys")) {
                key.add(item.path(k.asText()));
            }
            return key;
        }

        private void evaluate(Node n, Rule r, String path, JsonNode value, JsonNode old, Object[] converted) {
            if (converted[0] == null) {
                converted[0] = JsonCelValue.typed(value, n.view);
            }
            Object oldSelf = null;
            if (r.usesOldSelf) {
                if (converted[1] == null && old != null) {
                    converted[1] = JsonCelValue.typed(old, n.view);
                }
                Object oldValue = old == null ? null : converted[1];
                oldSelf = r.optionalOldSelf ? Optional.ofNullable(oldValue) : oldValue;
            }
            RuleVariables vars = new RuleVariables(converted[0], oldSelf);
            String field = path.isEmpty() ? "<nil>" : path;
            String type = n.typeName();
            RuntimeCost cost = new RuntimeCost(Math.min(KubeCel.PER_CALL_LIMIT, remaining));
            Object result;
            try {
                result = KubeCel.eval(r.program, vars, cost);
            } catch (RuntimeCost.LimitExceeded e) {
                exceeded(r, field, type, cost);
                return;
            } catch (CelEvaluationException e) {
                if (e.getCause() instanceof RuntimeCost.LimitExceeded) {
                    exceeded(r, field, type, cost);
                    return;
                }
                remaining -= cost.spent();
                String m = e.getMessage();
                if (m != null && m.contains("No matching overload")) {
                    out.invalid(field, type, "'" + m + "': call arguments did not match a supported operator, function or macro signature for rule: "
                            + r.errorString());
                } else {
                    out.invalid(field, type, m + " evaluating rule: " + r.errorString());
                }
                return;
            }
            remaining -= cost.spent();
            if (Boolean.TRUE.equals(result)) {
                return;
            }
            if (!(result instanceof Boolean)) {
                out.invalid(field, type, "validation rule '" + r.errorString() + "' is not a boolean");
                return;
            }
            String message = r.defaultMessage();
            if (r.messageProgram != null) {
                String evaluated = messageOf(r, vars);
                if (evaluated != null) {
                    message = evaluated;
                }
            }
            String target = field;
            if (r.fieldPath != null && !r.fieldPath.isEmpty()) {
                String p = path;
                for (String step : r.fieldPath) {
                    p = child(p, step);
                }
                target = p;
            }
            addForReason(target, type, message, r.reason);
        }

        private String messageOf(Rule r, RuleVariables vars) {
            RuntimeCost cost = new RuntimeCost(Math.min(KubeCel.PER_CALL_LIMIT, remaining));
            try {
                Object m = KubeCel.eval(r.messageProgram, vars, cost);
                remaining -= cost.spent();
                if (m instanceof String s && !s.isBlank() && !NEWLINES.matcher(s).find()) {
                    return s.strip();
                }
                LOG.debug("messageExpression of rule {} gave no usable message: {}", r.rule, m);
            } catch (CelEvaluationException | RuntimeException e) {
                remaining -= cost.spent();
                LOG.debug("messageExpression of rule {} failed: {}", r.rule, e.getMessage());
            }
            return null;
        }

        private void exceeded(Rule r, String field, String type, RuntimeCost cost) {
            stopped = true;
            if (remaining - cost.spent() <= 0 && remaining < KubeCel.PER_CALL_LIMIT) {
                out.invalid(field, type, "validation failed due to running out of cost budget, no further validation rules will be run");
            } else {
                out.invalid(field, type, "'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: "
                        + r.errorString());
            }
        }

        private void addForReason(String field, String type, String message, String reason) {
            if (reason == null) {
                out.invalid(field, type, message);
                return;
            }
            switch (reason) {
                case "FieldValueForbidden" -> out.forbidden(field, message);
                case "FieldValueRequired" -> out.required(field, message);
                case "FieldValueDuplicate" -> out.duplicate(field, type);
                default -> out.invalid(field, type, message);
            }
        }
    }

    /** A compile-problem-free view of the causes (tests). */
    static List<Status.Cause> causes(CrdValidationRules rules, String schemaPath) {
        Causes c = new Causes();
        rules.addProblems(schemaPath, c);
        return c.list();
    }
}
