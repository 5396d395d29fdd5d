package io.kardia.examples.database;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import io.kardia.core.model.Frozen;
import io.kardia.runtime.schema.Schema;
import io.kardia.core.model.Condition;
import java.util.List;
import java.util.Map;

/** What the operator last observed of a {@link Database}. */
public record DatabaseStatus(
        @Schema(description = "The metadata.generation the conditions describe.")
        Long observedGeneration,
        @Schema(description = "Database pods that are ready, as the StatefulSet reports them.")
        Integer readyReplicas,
        @Schema(description = "Ready, SchemaInitialized and Degraded.")
        List<Condition> conditions,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Every wanted pod is ready in the StatefulSet's current generation. */
    public static final String READY = "Ready";
    /** The schema-init Job has succeeded (once; it is not run again). */
    public static final String SCHEMA_INITIALIZED = "SchemaInitialized";
    /** An object the database needs exists but belongs to someone else. */
    public static final String DEGRADED = "Degraded";

    public static final DatabaseStatus EMPTY = new DatabaseStatus(null, null, null, null);

    public DatabaseStatus {
        conditions = Frozen.list(conditions);
        extra = Frozen.tree(extra);
    }

    public DatabaseStatus withObservedGeneration(Long g) {
        return new DatabaseStatus(g, readyReplicas, conditions, extra);
    }

    public DatabaseStatus withReadyReplicas(Integer n) {
        return new DatabaseStatus(observedGeneration, n, conditions, extra);
    }

    public DatabaseStatus withConditions(List<Condition> newConditions) {
        return new DatabaseStatus(observedGeneration, readyReplicas, newConditions, extra);
    }

    public boolean isTrue(String conditionType) {
        return Condition.isTrue(conditions, conditionType);
    }
}
