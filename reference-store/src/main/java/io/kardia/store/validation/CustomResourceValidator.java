package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.model.Status;
import io.kardia.core.validation.Causes;
import io.kardia.core.validation.CrdSchemaValidator;
import io.kardia.store.cel.CompiledRulesCache;
import io.kardia.store.cel.CrdValidationRules;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The rules of one custom kind: its CRD's served {@code openAPIV3Schema}. Writes of the main
 * resource are checked whole (except type and object metadata, which the store checks itself);
 * writes of the status subresource only their {@code status}.
 */
public final class CustomResourceValidator implements KindValidator {
    private static final Set<String> TYPE_AND_OBJECT_META = Set.of("apiVersion", "kind", "metadata");

    private final JsonNode schema;
    /** The schema's x-kubernetes-validations, compiled once for this CRD version. */
    private final CrdValidationRules rules;

    public CustomResourceValidator(JsonNode openApiV3Schema) {
        this.schema = openApiV3Schema.deepCopy();
        this.rules = CompiledRulesCache.rulesFor(this.schema);
    }

    /**
     * Drops the fields the schema does not specify, then fills in the schema's defaults, as
     * kube-apiserver does on decoding a request body.
     */
    public void pruneAndDefault(ObjectNode object) {
        SchemaPruner.pruneObject(object, schema);
        SchemaDefaulter.defaultObject(object, schema);
    }

    @Override
    public void validateCreate(ObjectNode object, Causes causes) {
        validateSchema(object, causes);
        validateRules(object, null, causes);
    }

    private void validateSchema(ObjectNode object, Causes causes) {
        ObjectNode body = object.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (!TYPE_AND_OBJECT_META.contains(f.getKey())) {
                body.set(f.getKey(), f.getValue());
            }
        }
        CrdSchemaValidator.validate("", body, schema, causes);
    }

    /**
     * Ratcheting, as kube-apiserver does by default since 1.30: a field that breaks the schema but
     * did not change in this update is let through, so an object stored before its schema was
     * tightened can still get finalizers, labels and status written.
     */
    @Override
    public void validateUpdate(ObjectNode object, ObjectNode old, Causes causes) {
        Causes found = new Causes();
        validateSchema(object, found);
        keepChanged(found, object, old, causes);
        validateRules(object, old, causes);
    }

    @Override
    public void validateStatusUpdate(ObjectNode object, ObjectNode old, Causes causes) {
        JsonNode status = schema.path("properties").get("status");
        if (status != null) {
            Causes found = new Causes();
            CrdSchemaValidator.validate("status", object.get("status"), status, found);
            keepChanged(found, object, old, causes);
        }
        validateRules(object, old, causes);
    }

    /**
     * The CEL rules, run as kube-apiserver runs them: only when the schema found no type errors
     * (a rule cannot be typed against a value of the wrong type), else one cause saying so.
     */
    private void validateRules(ObjectNode object, ObjectNode old, Causes causes) {
        if (!rules.hasRules()) {
            return;
        }
        for (Status.Cause c : causes.list()) {
            if ("FieldValueNotSupported".equals(c.reason()) || c.message().contains(" in body must be of type ")) {
                causes.invalid("<nil>", "null", "some validation rules were not checked because the object was invalid; "
                        + "correct the existing errors to complete validation");
                return;
            }
        }
        rules.validate(object, old, causes);
    }

    private static void keepChanged(Causes found, JsonNode object, JsonNode old, Causes into) {
        for (Status.Cause c : found.list()) {
            JsonNode now = at(object, c.field());
            JsonNode before = at(old, c.field());
            boolean unchanged = now == null ? before == null : now.equals(before);
            if (!unchanged || old == null) {
                into.add(c);
            }
        }
    }

    /** The value at a cause's field path ({@code spec.items[2].name}); null when absent. */
    static JsonNode at(JsonNode root, String path) {
        if (root == null || path == null || path.isEmpty()) {
            return root;
        }
        JsonNode cur = root;
        for (String step : path.split("\\.")) {
            int bracket = step.indexOf('[');
            String name = bracket < 0 ? step : step.substring(0, bracket);
            if (!name.isEmpty()) {
                cur = cur.get(name);
            }
            while (cur != null && bracket >= 0) {
                int close = step.indexOf(']', bracket);
                if (close < 0) {
                    return null;
                }
                String index = step.substring(bracket + 1, close);
                cur = index.chars().allMatch(Character::isDigit) ? cur.get(Integer.parseInt(index)) : cur.get(index);
                bracket = step.indexOf('[', close);
            }
            if (cur == null || cur.isMissingNode()) {
                return null;
            }
        }
        return cur;
    }
}
