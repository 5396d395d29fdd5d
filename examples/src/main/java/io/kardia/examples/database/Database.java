package io.kardia.examples.database;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kardia.core.model.Frozen;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code examples.kardia.io/v1alpha1 Database}: a replicated database run as a StatefulSet. The
 * operator ({@link DatabaseReconciler}) turns it into six built-in objects it owns — a
 * ServiceAccount, a Role and a RoleBinding, a headless Service, a StatefulSet and a schema-init
 * Job — none of which Kardia has a typed model for. Its CRD is generated from these records
 * ({@link DatabaseCrd}).
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record Database(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        DatabaseSpec spec,
        DatabaseStatus status,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

    public static final String GROUP = "examples.kardia.io";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "Database";

    /** Registered so {@code client.resources(Database.class)} works like a built-in kind. */
    public static final ResourceType<Database> TYPE = ResourceTypes.registerCustom(new ResourceType<>(
            GROUP, VERSION, KIND, "databases", "database", true, List.of("db"), Set.of("status"), Database.class));

    public Database {
        apiVersion = apiVersion == null ? TYPE.apiVersion() : apiVersion;
        kind = kind == null ? KIND : kind;
        metadata = metadata == null ? ObjectMeta.builder().build() : metadata;
        spec = spec == null ? DatabaseSpec.defaults() : spec;
        extra = Frozen.tree(extra);
    }

    public static Database of(ObjectMeta metadata, DatabaseSpec spec) {
        return new Database(null, null, metadata, spec, null, null);
    }

    @Override
    public Database withMetadata(ObjectMeta newMetadata) {
        return new Database(apiVersion, kind, newMetadata, spec, status, extra);
    }

    public Database withSpec(DatabaseSpec newSpec) {
        return new Database(apiVersion, kind, metadata, newSpec, status, extra);
    }

    public Database withStatus(DatabaseStatus newStatus) {
        return new Database(apiVersion, kind, metadata, spec, newStatus, extra);
    }
}
