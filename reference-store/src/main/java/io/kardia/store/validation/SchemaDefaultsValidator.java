package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.model.Status;
import io.kardia.core.validation.Causes;
import io.kardia.core.validation.CrdSchemaValidator;
import io.kardia.store.cel.CompiledRulesCache;
import io.kardia.store.cel.CrdValidationRules;
import java.util.Iterator;
import java.util.Map;

/**
 * kube-apiserver's check of the {@code default}s in a CRD version's schema, when the CRD is written
 * (apiextensions' defaulting.ValidateDefaults): a default may not be set in the top-level
 * {@code metadata}, must not hold fields its own schema would prune ("must not have unknown
 * fields"), and must pass its schema and the {@code x-kubernetes-validations} below it, each error
 * reported at the default ({@code ...properties[replicas].default: Invalid value: 50: ...}). A
 * default that fails here would otherwise be copied into every object and refuse their writes.
 */
final class SchemaDefaultsValidator {
    private SchemaDefaultsValidator() {
    }

    /** Adds a cause for every bad default in {@code rootSchema}, an {@code openAPIV3Schema} found at {@code path}. */
    static void validate(String path, JsonNode rootSchema, Causes c) {
        walk(path, rootSchema, true, c);
    }

    private static void walk(String path, JsonNode schema, boolean root, Causes c) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        JsonNode fallback = schema.get("default");
        if (fallback != null) {
            check(path + ".default", fallback, schema, c);
        }
        // additionalProperties is not followed: kube forbids defaults there (structural schema rules)
        walk(path + ".items", schema.get("items"), false, c);
        for (Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields(); props.hasNext(); ) {
            Map.Entry<String, JsonNode> p = props.next();
            String at = path + ".properties[" + p.getKey() + "]";
            if (root && p.getKey().equals("metadata")) {
                forbidInMetadata(at, p.getValue(), c);
            } else {
                walk(at, p.getValue(), false, c);
            }
        }
    }

    /** kube: defaults "must not be set in top-level metadata" (the store owns it). */
    private static void forbidInMetadata(String path, JsonNode schema, Causes c) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        if (schema.has("default")) {
            c.forbidden(path + ".default", "must not be set in top-level metadata");
        }
        for (Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields(); props.hasNext(); ) {
            Map.Entry<String, JsonNode> p = props.next();
            forbidInMetadata(path + ".properties[" + p.getKey() + "]", p.getValue(), c);
        }
    }

    private static void check(String path, JsonNode fallback, JsonNode schema, Causes c) {
        JsonNode pruned = fallback.deepCopy();
        SchemaPruner.prune(pruned, schema);
        if (!pruned.equals(fallback)) {
            c.invalid(path, fallback, "must not have unknown fields");
            return;
        }
        Causes found = new Causes();
        CrdSchemaValidator.validate(path, fallback, schema, found);
        if (!found.isEmpty()) {
            found.list().forEach(c::add);
            return;
        }
        CrdValidationRules rules = CompiledRulesCache.rulesFor(schema);
        if (rules.hasRules() && !rules.hasProblems() && fallback.isObject()) {
            // no old value: transition rules do not run on a default (kube runs them against itself)
            Causes failed = new Causes();
            rules.validate(fallback, null, failed);
            for (Status.Cause f : failed.list()) {
                String field = f.field() == null || f.field().equals("<nil>") ? path : path + "." + f.field();
                c.add(new Status.Cause(f.reason(), f.message(), field));
            }
        }
    }
}
