package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    public CustomResourceValidator(JsonNode openApiV3Schema) {
        this.schema = openApiV3Schema.deepCopy();
    }

    /** Drops the fields the schema does not specify, as kube-apiserver does on decoding. */
    public void prune(ObjectNode object) {
        SchemaPruner.pruneObject(object, schema);
    }

    @Override
    public void validateCreate(ObjectNode object, Causes causes) {
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

    @Override
    public void validateStatusUpdate(ObjectNode object, ObjectNode old, Causes causes) {
        JsonNode status = schema.path("properties").get("status");
        if (status != null) {
            CrdSchemaValidator.validate("status", object.get("status"), status, causes);
        }
    }
}
