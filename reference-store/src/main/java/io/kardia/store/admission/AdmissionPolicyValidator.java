package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;
import io.kardia.store.validation.KindValidator;
import io.kardia.store.validation.LabelSelectorJson;
import io.kardia.store.validation.NameRules;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * kube-apiserver's validation of ValidatingAdmissionPolicy, MutatingAdmissionPolicy and their
 * bindings on every write, with its field paths and wording: the required fields, the enums, the
 * match rules, and every CEL expression compiled (an expression that does not compile, or does not
 * evaluate to the type its field needs, is refused naming the field: {@code
 * spec.validations[0].expression: Invalid value: "...": compilation failed: ...}).
 *
 * <p>Fields kube-apiserver defaults before validating ({@code failurePolicy}, {@code matchPolicy},
 * the selectors, {@code reinvocationPolicy}) may be absent here: the store does not write the
 * defaults into the object, and the policies read an absent field as its default.
 */
public final class AdmissionPolicyValidator implements KindValidator {
    private static final List<String> FAILURE_POLICIES = List.of("Fail", "Ignore");
    private static final List<String> MATCH_POLICIES = List.of("Equivalent", "Exact");
    private static final List<String> OPERATIONS = List.of("*", "CONNECT", "CREATE", "DELETE", "UPDATE");
    private static final List<String> SCOPES = List.of("*", "Cluster", "Namespaced");
    private static final List<String> REASONS = List.of("Forbidden", "Invalid", "RequestEntityTooLarge", "Unauthorized");
    private static final List<String> ACTIONS = List.of("Audit", "Deny", "Warn");
    private static final List<String> NOT_FOUND_ACTIONS = List.of("Allow", "Deny");
    private static final List<String> PATCH_TYPES = List.of("ApplyConfiguration", "JSONPatch");
    private static final List<String> REINVOCATION_POLICIES = List.of("IfNeeded", "Never");
    private static final Pattern CEL_IDENTIFIER = Pattern.compile("[_a-zA-Z][_a-zA-Z0-9]*");
    private static final Set<String> CEL_RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const", "continue",
            "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while");
    private static final Pattern NEWLINES = Pattern.compile("[\\n\\r]+");
    private static final int MAX_AUDIT_ANNOTATIONS = 20;
    private static final int MAX_VALUE_EXPRESSION_LENGTH = 5 * 1024;

    /** Which of the four kinds this validates. */
    public enum Kind { VALIDATING_POLICY, VALIDATING_BINDING, MUTATING_POLICY, MUTATING_BINDING }

    private final Kind kind;

    public AdmissionPolicyValidator(Kind kind) {
        this.kind = kind;
    }

    @Override
    public void validateCreate(ObjectNode object, Causes c) {
        JsonNode spec = object.path("spec");
        switch (kind) {
            case VALIDATING_POLICY -> validatingPolicy(object, spec, c);
            case MUTATING_POLICY -> mutatingPolicy(object, spec, c);
            case VALIDATING_BINDING -> {
                binding(spec, c);
                validationActions(spec.get("validationActions"), c);
            }
            case MUTATING_BINDING -> binding(spec, c);
        }
    }

    // ------------------------------------------------------------------ policies

    private static void validatingPolicy(ObjectNode object, JsonNode spec, Causes c) {
        common(spec, c);
        CompiledPolicy compiled = new CompiledPolicy(object);
        expressions(spec.path("matchConditions"), "spec.matchConditions", compiled.matchConditions, "", c);
        variables(spec.path("variables"), compiled.variables, "", c);
        JsonNode validations = spec.path("validations");
        JsonNode annotations = spec.path("auditAnnotations");
        if (validations.isEmpty() && annotations.isEmpty()) {
            c.required("spec.validations", "validations or auditAnnotations must contain at least one item");
            c.required("spec.auditAnnotations", "validations or auditAnnotations must contain at least one item");
            return;
        }
        for (int i = 0; i < validations.size(); i++) {
            validation(validations.get(i), "spec.validations[" + i + "]", compiled.validations.get(i), c);
        }
        if (annotations.size() > MAX_AUDIT_ANNOTATIONS) {
            c.invalid("spec.auditAnnotations", annotations, "must not have more than " + MAX_AUDIT_ANNOTATIONS + " auditAnnotations");
        }
        String name = object.path("metadata").path("name").asText("");
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < annotations.size(); i++) {
            JsonNode a = annotations.get(i);
            String at = "spec.auditAnnotations[" + i + "]";
            String key = a.path("key").asText("");
            if (name.isEmpty()) {
                c.invalid(at + ".key", key, "requires metadata.name be non-empty");
            } else {
                NameRules.qualifiedName(name + "/" + key).forEach(e -> c.invalid(at + ".key", name + "/" + key, e));
            }
            String value = a.path("valueExpression").asText("");
            if (value.isBlank()) {
                c.required(at + ".valueExpression", "valueExpression is not specified");
            } else if (value.strip().length() > MAX_VALUE_EXPRESSION_LENGTH) {
                c.required(at + ".valueExpression", "must not exceed " + MAX_VALUE_EXPRESSION_LENGTH + " bytes in length");
            } else {
                compileError(compiled.auditAnnotations.get(i), "").ifPresent(e -> c.invalid(at + ".valueExpression", value, e));
            }
            if (!keys.add(key)) {
                c.duplicate(at + ".key", key);
            }
        }
    }

    private static void validation(JsonNode v, String at, CompiledPolicy.Validation compiled, Causes c) {
        String expression = v.path("expression").asText("");
        if (expression.isBlank()) {
            c.required(at + ".expression", "expression is not specified");
        } else {
            compileError(compiled.expression(), "").ifPresent(e -> c.invalid(at + ".expression", expression, e));
        }
        String messageExpression = v.path("messageExpression").asText("");
        if (!messageExpression.isEmpty() && messageExpression.isBlank()) {
            c.invalid(at + ".messageExpression", messageExpression, "must be non-empty if specified");
        } else if (!messageExpression.isEmpty() && compiled.messageExpression() != null) {
            compileError(compiled.messageExpression(), "").ifPresent(e -> c.invalid(at + ".messageExpression", messageExpression, e));
        }
        String message = v.path("message").asText("");
        if (!message.isEmpty() && message.isBlank()) {
            c.invalid(at + ".message", message, "message must be non-empty if specified");
        } else if (NEWLINES.matcher(message.strip()).find()) {
            c.invalid(at + ".message", message, "message must not contain line breaks");
        }
        if (v.hasNonNull("reason") && !REASONS.contains(v.get("reason").asText())) {
            c.notSupported(at + ".reason", v.get("reason").asText(), REASONS);
        }
    }

    private static void mutatingPolicy(ObjectNode object, JsonNode spec, Causes c) {
        common(spec, c);
        CompiledMutatingPolicy compiled = new CompiledMutatingPolicy(object);
        expressions(spec.path("matchConditions"), "spec.matchConditions", compiled.matchConditions, "compilation error: ", c);
        variables(spec.path("variables"), compiled.variables, "compilation error: ", c);
        if (spec.hasNonNull("reinvocationPolicy") && !REINVOCATION_POLICIES.contains(spec.get("reinvocationPolicy").asText())) {
            c.notSupported("spec.reinvocationPolicy", spec.get("reinvocationPolicy").asText(), REINVOCATION_POLICIES);
        }
        JsonNode mutations = spec.path("mutations");
        if (mutations.isEmpty()) {
            c.required("spec.mutations", "mutations must contain at least one item");
            return;
        }
        int next = 0; // the compiled mutations hold only those of a known patch type, in order
        for (int i = 0; i < mutations.size(); i++) {
            JsonNode m = mutations.get(i);
            String at = "spec.mutations[" + i + "]";
            String type = m.path("patchType").asText("");
            if (type.isEmpty()) {
                c.required(at + ".patchType", "");
                continue;
            }
            if (!PATCH_TYPES.contains(type)) {
                c.notSupported(at + ".patchType", type, PATCH_TYPES);
                continue;
            }
            boolean apply = type.equals("ApplyConfiguration");
            String field = apply ? "applyConfiguration" : "jsonPatch";
            String other = apply ? "jsonPatch" : "applyConfiguration";
            CompiledPolicy.Expr expr = compiled.mutations.get(next++).expression();
            if (m.hasNonNull(other)) {
                c.forbidden(at + "." + other, "must not be specified when patchType is " + type);
            }
            if (!m.hasNonNull(field)) {
                c.required(at + "." + field, field + " must be specified when patchType is " + type);
                continue;
            }
            String expression = m.path(field).path("expression").asText("");
            if (expression.isBlank()) {
                c.required(at + "." + field + ".expression", "");
            } else {
                compileError(expr, "compilation error: ").ifPresent(e -> c.invalid(at + "." + field + ".expression", expression, e));
            }
        }
    }

    /** What both policy kinds share: failurePolicy, paramKind and matchConstraints. */
    private static void common(JsonNode spec, Causes c) {
        if (spec.hasNonNull("failurePolicy") && !FAILURE_POLICIES.contains(spec.get("failurePolicy").asText())) {
            c.notSupported("spec.failurePolicy", spec.get("failurePolicy").asText(), FAILURE_POLICIES);
        }
        if (spec.hasNonNull("paramKind")) {
            paramKind(spec.get("paramKind"), c);
        }
        JsonNode constraints = spec.get("matchConstraints");
        if (constraints == null || constraints.isNull()) {
            c.required("spec.matchConstraints", "");
            return;
        }
        matchResources(constraints, "spec.matchConstraints", c);
        if (constraints.path("resourceRules").isEmpty()) {
            c.required("spec.matchConstraints.resourceRules", "");
        }
    }

    private static void paramKind(JsonNode p, Causes c) {
        String apiVersion = p.path("apiVersion").asText("");
        if (apiVersion.isEmpty()) {
            c.required("spec.paramKind.apiVersion", "");
        } else if (apiVersion.chars().filter(ch -> ch == '/').count() > 1) {
            c.invalid("spec.paramKind.apiVersion", apiVersion, "unexpected GroupVersion string: " + apiVersion);
        } else {
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
            if (!group.isEmpty()) {
                List<String> errs = NameRules.dns1123Subdomain(group);
                if (!errs.isEmpty()) {
                    c.invalid("spec.paramKind.apiVersion", group, String.join(",", errs));
                }
            }
            if (version.isEmpty()) {
                c.invalid("spec.paramKind.apiVersion", apiVersion, "version must be specified");
            } else if (!NameRules.dns1035Label(version).isEmpty()) {
                c.invalid("spec.paramKind.apiVersion", version, String.join(",", NameRules.dns1035Label(version)));
            }
        }
        String kind = p.path("kind").asText("");
        if (kind.isEmpty()) {
            c.required("spec.paramKind.kind", "");
        } else if (!NameRules.dns1035Label(kind.toLowerCase(java.util.Locale.ROOT)).isEmpty()) {
            c.invalid("spec.paramKind.kind", kind, "may have mixed case, but should otherwise match: "
                    + String.join(",", NameRules.dns1035Label(kind.toLowerCase(java.util.Locale.ROOT))));
        }
    }

    private static void matchResources(JsonNode m, String at, Causes c) {
        if (m.hasNonNull("matchPolicy") && !MATCH_POLICIES.contains(m.get("matchPolicy").asText())) {
            c.notSupported(at + ".matchPolicy", m.get("matchPolicy").asText(), MATCH_POLICIES);
        }
        for (String selector : List.of("namespaceSelector", "objectSelector")) {
            if (m.hasNonNull(selector)) {
                LabelSelectorJson.validate(m.get(selector), at + "." + selector, c);
            }
        }
        for (String rules : List.of("resourceRules", "excludeResourceRules")) {
            JsonNode list = m.path(rules);
            for (int i = 0; i < list.size(); i++) {
                rule(list.get(i), at + "." + rules + "[" + i + "]", c);
            }
        }
    }

    /** A NamedRuleWithOperations, as kube validates it (subresources allowed). */
    private static void rule(JsonNode r, String at, Causes c) {
        Set<String> names = new HashSet<>();
        JsonNode resourceNames = r.path("resourceNames");
        for (int i = 0; i < resourceNames.size(); i++) {
            String n = resourceNames.get(i).asText("");
            for (String e : NameRules.pathSegment(n)) {
                c.invalid(at + ".resourceNames[" + i + "]", n, e);
            }
            if (!names.add(n)) {
                c.duplicate(at + ".resourceNames[" + i + "]", n);
            }
        }
        List<String> operations = strings(r.path("operations"));
        if (operations.isEmpty()) {
            c.required(at + ".operations", "");
        }
        if (operations.size() > 1 && operations.contains("*")) {
            c.invalid(at + ".operations", operations, "if '*' is present, must not specify other operations");
        }
        for (int i = 0; i < operations.size(); i++) {
            if (!OPERATIONS.contains(operations.get(i))) {
                c.notSupported(at + ".operations[" + i + "]", operations.get(i), OPERATIONS);
            }
        }
        List<String> groups = strings(r.path("apiGroups"));
        if (groups.isEmpty()) {
            c.required(at + ".apiGroups", "");
        }
        if (groups.size() > 1 && groups.contains("*")) {
            c.invalid(at + ".apiGroups", groups, "if '*' is present, must not specify other API groups");
        }
        List<String> versions = strings(r.path("apiVersions"));
        if (versions.isEmpty()) {
            c.required(at + ".apiVersions", "");
        }
        if (versions.size() > 1 && versions.contains("*")) {
            c.invalid(at + ".apiVersions", versions, "if '*' is present, must not specify other API versions");
        }
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).isEmpty()) {
                c.required(at + ".apiVersions[" + i + "]", "");
            }
        }
        resources(strings(r.path("resources")), at + ".resources", c);
        if (r.hasNonNull("scope") && !SCOPES.contains(r.get("scope").asText())) {
            c.notSupported(at + ".scope", r.get("scope").asText(), SCOPES);
        }
    }

    private static void resources(List<String> resources, String at, Causes c) {
        if (resources.isEmpty()) {
            c.required(at, "");
        }
        Set<String> withWildcardSub = new HashSet<>();
        Set<String> subWithWildcardResource = new HashSet<>();
        boolean doubleWildcard = false;
        boolean singleWildcard = false;
        boolean withoutSub = false;
        for (int i = 0; i < resources.size(); i++) {
            String rs = resources.get(i);
            if (rs.isEmpty()) {
                c.required(at + "[" + i + "]", "");
                continue;
            }
            doubleWildcard |= rs.equals("*/*");
            singleWildcard |= rs.equals("*");
            int slash = rs.indexOf('/');
            if (slash < 0) {
                withoutSub = !rs.equals("*");
                continue;
            }
            String res = rs.substring(0, slash);
            String sub = rs.substring(slash + 1);
            if (withWildcardSub.contains(res)) {
                c.invalid(at + "[" + i + "]", rs, "if '" + res + "/*' is present, must not specify " + rs);
            }
            if (subWithWildcardResource.contains(sub)) {
                c.invalid(at + "[" + i + "]", rs, "if '*/" + sub + "' is present, must not specify " + rs);
            }
            if (sub.equals("*")) {
                withWildcardSub.add(res);
            }
            if (res.equals("*")) {
                subWithWildcardResource.add(sub);
            }
        }
        if (resources.size() > 1 && doubleWildcard) {
            c.invalid(at, resources, "if '*/*' is present, must not specify other resources");
        }
        if (singleWildcard && withoutSub) {
            c.invalid(at, resources, "if '*' is present, must not specify other resources without subresources");
        }
    }

    /** matchConditions: a unique qualified name and an expression that compiles to a bool. */
    private static void expressions(JsonNode conditions, String at, List<CompiledPolicy.Expr> compiled, String prefix, Causes c) {
        if (conditions.size() > 64) {
            c.tooMany(at, conditions.size(), 64);
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < conditions.size(); i++) {
            JsonNode mc = conditions.get(i);
            String field = at + "[" + i + "]";
            String expression = mc.path("expression").asText("");
            if (expression.isBlank()) {
                c.required(field + ".expression", "");
            } else {
                compileError(compiled.get(i), prefix).ifPresent(e -> c.invalid(field + ".expression", expression, e));
            }
            String name = mc.path("name").asText("");
            if (name.isEmpty()) {
                c.required(field + ".name", "");
            } else {
                NameRules.qualifiedName(name).forEach(e -> c.invalid(field + ".name", name, e));
                if (!names.add(name)) {
                    c.duplicate(field + ".name", name);
                }
            }
        }
    }

    private static void variables(JsonNode variables, List<CompiledPolicy.Expr> compiled, String prefix, Causes c) {
        for (int i = 0; i < variables.size(); i++) {
            JsonNode v = variables.get(i);
            String at = "spec.variables[" + i + "]";
            String name = v.path("name").asText("");
            if (name.isBlank()) {
                c.required(at + ".name", "name is not specified");
            } else if (!CEL_IDENTIFIER.matcher(name).matches() || CEL_RESERVED.contains(name)) {
                c.invalid(at + ".name", name, "name is not a valid CEL identifier");
            }
            String expression = v.path("expression").asText("");
            if (expression.isBlank()) {
                c.required(at + ".expression", "expression is not specified");
            } else {
                compileError(compiled.get(i), prefix).ifPresent(e -> c.invalid(at + ".expression", expression, e));
            }
        }
    }

    private static java.util.Optional<String> compileError(CompiledPolicy.Expr e, String prefix) {
        if (e == null || e.error() == null) {
            return java.util.Optional.empty();
        }
        String error = e.error();
        return java.util.Optional.of(error.startsWith(prefix) ? error.substring(prefix.length()) : error);
    }

    // ------------------------------------------------------------------ bindings

    private static void binding(JsonNode spec, Causes c) {
        String policyName = spec.path("policyName").asText("");
        if (policyName.isEmpty()) {
            c.required("spec.policyName", "");
        } else {
            NameRules.dns1123Subdomain(policyName).forEach(e -> c.invalid("spec.policyName", policyName, e));
        }
        JsonNode ref = spec.get("paramRef");
        if (ref != null && !ref.isNull()) {
            paramRef(ref, c);
        }
        if (spec.hasNonNull("matchResources")) {
            matchResources(spec.get("matchResources"), "spec.matchResources", c);
        }
    }

    private static void paramRef(JsonNode ref, Causes c) {
        String name = ref.path("name").asText("");
        boolean selector = ref.hasNonNull("selector");
        if (!name.isEmpty()) {
            NameRules.pathSegment(name).forEach(e -> c.invalid("spec.paramRef.name", name, e));
            if (selector) {
                c.forbidden("spec.paramRef.name", "name and selector are mutually exclusive");
            }
        }
        if (selector) {
            LabelSelectorJson.validate(ref.get("selector"), "spec.paramRef.selector", c);
            if (!name.isEmpty()) {
                c.forbidden("spec.paramRef.selector", "name and selector are mutually exclusive");
            }
        }
        if (name.isEmpty() && !selector) {
            c.required("spec.paramRef", "one of name or selector must be specified");
        }
        String action = ref.path("parameterNotFoundAction").asText("");
        if (action.isEmpty()) {
            c.required("spec.paramRef.parameterNotFoundAction", "");
        } else if (!NOT_FOUND_ACTIONS.contains(action)) {
            c.notSupported("spec.paramRef.parameterNotFoundAction", action, NOT_FOUND_ACTIONS);
        }
    }

    private static void validationActions(JsonNode actions, Causes c) {
        List<String> list = strings(actions == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : actions);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String a = list.get(i);
            if (!ACTIONS.contains(a)) {
                c.notSupported("spec.validationActions[" + i + "]", a, ACTIONS);
            }
            if (!seen.add(a)) {
                c.duplicate("spec.validationActions[" + i + "]", a);
            }
        }
        if (seen.contains("Deny") && seen.contains("Warn")) {
            c.invalid("spec.validationActions", list, "must not contain both Deny and Warn (repeating the same validation failure "
                    + "information in the API response and headers serves no purpose)");
        }
        if (seen.isEmpty()) {
            c.required("spec.validationActions", "at least one validation action is required");
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode n : array) {
            out.add(n.asText(""));
        }
        return out;
    }
}
