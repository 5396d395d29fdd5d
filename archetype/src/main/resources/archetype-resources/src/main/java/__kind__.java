package ${package};

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Frozen;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code ${group}/${apiVersion} ${kind}} custom resource. Its CRD is
 * {@code src/main/resources/crds/${plural}.${group}.yaml}; keep the two in step (a test checks
 * that they describe the same kind).
 *
 * <p>Records are immutable: change an object by building a copy ({@code withSpec}, {@code withStatus}).
 * Fields this class does not know are kept in {@code extra}, so nothing is lost on an update.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record ${kind}(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        Spec spec,
        Status status,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

    /** Registered so {@code client.resources(${kind}.class)} and {@code @KardiaController(forKind = ${kind}.class)} work. */
    public static final ResourceType<${kind}> TYPE = ResourceTypes.registerCustom(new ResourceType<>(
            "${group}", "${apiVersion}", "${kind}", "${plural}", "${kind.toLowerCase()}", true, List.of(),
            Set.of("status"), ${kind}.class));

    public ${kind} {
        apiVersion = apiVersion == null ? TYPE.apiVersion() : apiVersion;
        kind = kind == null ? TYPE.kind() : kind;
        metadata = metadata == null ? ObjectMeta.builder().build() : metadata;
        spec = spec == null ? new Spec(null, null) : spec;
        extra = Frozen.tree(extra);
    }

    public static ${kind} of(ObjectMeta metadata, Spec spec) {
        return new ${kind}(null, null, metadata, spec, null, null);
    }

    @Override
    public ${kind} withMetadata(ObjectMeta newMetadata) {
        return new ${kind}(apiVersion, kind, newMetadata, spec, status, extra);
    }

    public ${kind} withSpec(Spec newSpec) {
        return new ${kind}(apiVersion, kind, metadata, newSpec, status, extra);
    }

    public ${kind} withStatus(Status newStatus) {
        return new ${kind}(apiVersion, kind, metadata, spec, newStatus, extra);
    }

    /** What the user asks for: the entries of the ConfigMap the operator maintains. */
    public record Spec(
            Map<String, String> data,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Spec {
            data = Frozen.map(data);
            extra = Frozen.tree(extra);
        }

        public static Spec of(Map<String, String> data) {
            return new Spec(data, null);
        }
    }

    /** What the operator observed: the generation it acted on and a Ready condition. */
    public record Status(
            Long observedGeneration,
            String configMapName,
            List<Condition> conditions,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public static final Status EMPTY = new Status(null, null, null, null);

        public Status {
            conditions = Frozen.list(conditions);
            extra = Frozen.tree(extra);
        }
    }
}
