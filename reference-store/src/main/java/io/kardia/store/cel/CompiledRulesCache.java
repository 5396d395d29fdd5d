package io.kardia.store.cel;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.util.concurrent.ExecutionException;

/**
 * Compiled rules by schema, so a CRD version's rules are compiled once: when the CRD is validated,
 * and the same compilation serves its objects afterwards (never once per request). Keyed by the
 * schema's content; a changed schema is a new entry.
 */
public final class CompiledRulesCache {
    private static final Cache<JsonNode, CrdValidationRules> RULES = CacheBuilder.newBuilder().maximumSize(512).softValues().build();

    private CompiledRulesCache() {
    }

    /** The compiled {@code x-kubernetes-validations} of {@code openApiV3Schema} (compiled now if not yet). */
    public static CrdValidationRules rulesFor(JsonNode openApiV3Schema) {
        if (openApiV3Schema == null || !openApiV3Schema.isObject()) {
            return CrdValidationRules.compile(null);
        }
        try {
            return RULES.get(openApiV3Schema.deepCopy(), () -> CrdValidationRules.compile(openApiV3Schema));
        } catch (ExecutionException e) {
            throw new IllegalStateException("compiling the validation rules failed", e.getCause());
        }
    }
}
