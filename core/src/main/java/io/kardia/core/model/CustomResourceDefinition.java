package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition: enough to register and serve a custom kind.
 * The OpenAPI schema is kept as a free-form tree; {@code status} too.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record CustomResourceDefinition(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        Spec spec,
        Map<String, Object> status,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

    public static final String NAMESPACED = "Namespaced";
    public static final String CLUSTER = "Cluster";

    public CustomResourceDefinition {
        apiVersion = apiVersion == null ? "apiextensions.k8s.io/v1" : apiVersion;
        kind = kind == null ? "CustomResourceDefinition" : kind;
        metadata = metadata == null ? ObjectMeta.builder().build() : metadata;
        status = Frozen.tree(status);
        extra = Frozen.tree(extra);
    }

    /** A CRD named {@code <plural>.<group>}, as Kubernetes requires. */
    public static CustomResourceDefinition of(Spec spec) {
        String name = spec.names().plural() + "." + spec.group();
        return new CustomResourceDefinition(null, null, ObjectMeta.builder().name(name).build(), spec, null, null);
    }

    @Override
    public CustomResourceDefinition withMetadata(ObjectMeta newMetadata) {
        return new CustomResourceDefinition(apiVersion, kind, newMetadata, spec, status, extra);
    }

    public CustomResourceDefinition withSpec(Spec newSpec) {
        return new CustomResourceDefinition(apiVersion, kind, metadata, newSpec, status, extra);
    }

    public CustomResourceDefinition withStatus(Map<String, Object> newStatus) {
        return new CustomResourceDefinition(apiVersion, kind, metadata, spec, newStatus, extra);
    }

    /**
     * The {@link ResourceType} of the custom kind served at {@code version} (decoded as
     * {@link GenericObject}), with its subresources.
     */
    public ResourceType<GenericObject> resourceType(String version) {
        Version v = spec.version(version).orElseThrow(() -> new IllegalArgumentException(
                "CustomResourceDefinition " + metadata.name() + " has no version " + version));
        Names n = spec.names();
        String singular = n.singular() == null || n.singular().isEmpty()
                ? n.kind().toLowerCase(java.util.Locale.ROOT) : n.singular();
        Set<String> subresources = new java.util.HashSet<>();
        if (v.subresources() != null) {
            if (v.subresources().status() != null) {
                subresources.add("status");
            }
            if (v.subresources().scale() != null) {
                subresources.add("scale");
            }
        }
        return new ResourceType<>(spec.group(), v.name(), n.kind(), n.plural(), singular,
                NAMESPACED.equals(spec.scope()), n.shortNames(), subresources, GenericObject.class);
    }

    /** The {@link ResourceType} of the storage version. */
    public ResourceType<GenericObject> storageResourceType() {
        return spec.versions().stream().filter(v -> Boolean.TRUE.equals(v.storage())).findFirst()
                .or(() -> spec.versions().stream().findFirst())
                .map(v -> resourceType(v.name()))
                .orElseThrow(() -> new IllegalArgumentException("CustomResourceDefinition " + metadata.name()
                        + " has no versions"));
    }

    /** CustomResourceDefinitionSpec. */
    public record Spec(
            String group,
            Names names,
            String scope,
            List<Version> versions,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Spec {
            versions = Frozen.list(versions);
            extra = Frozen.tree(extra);
        }

        public static Spec of(String group, Names names, String scope, List<Version> versions) {
            return new Spec(group, names, scope, versions, null);
        }

        public Optional<Version> version(String name) {
            return versions.stream().filter(v -> v.name().equals(name)).findFirst();
        }
    }

    /** CustomResourceDefinitionNames. */
    public record Names(
            String plural,
            String singular,
            String kind,
            String listKind,
            List<String> shortNames,
            List<String> categories,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Names {
            shortNames = Frozen.list(shortNames);
            categories = Frozen.list(categories);
            extra = Frozen.tree(extra);
        }

        public static Names of(String plural, String singular, String kind, String... shortNames) {
            return new Names(plural, singular, kind, kind + "List", List.of(shortNames), null, null);
        }
    }

    /** CustomResourceDefinitionVersion; the schema's {@code openAPIV3Schema} is a free tree. */
    public record Version(
            String name,
            Boolean served,
            Boolean storage,
            Map<String, Object> schema,
            Subresources subresources,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Version {
            schema = Frozen.tree(schema);
            extra = Frozen.tree(extra);
        }

        /** A served storage version with an open schema ({@code x-kubernetes-preserve-unknown-fields}) and status. */
        public static Version of(String name, boolean served, boolean storage) {
            Map<String, Object> open = Map.of("openAPIV3Schema",
                    Map.of("type", "object", "x-kubernetes-preserve-unknown-fields", true));
            return new Version(name, served, storage, open, Subresources.withStatus(), null);
        }

        /** {@code schema.openAPIV3Schema}, empty if absent. */
        @SuppressWarnings("unchecked")
        public Map<String, Object> openAPIV3Schema() {
            Object s = schema.get("openAPIV3Schema");
            return s instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }
    }

    /**
     * CustomResourceSubresources: {@code status} is an empty object when enabled, {@code scale}
     * names the replica paths.
     */
    public record Subresources(
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> status,
            Scale scale,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Subresources {
            // An enabled status subresource is {} on the wire: keep it distinct from absent (null).
            status = status == null ? null : Frozen.tree(status);
            extra = Frozen.tree(extra);
        }

        public static Subresources withStatus() {
            return new Subresources(Map.of(), null, null);
        }
    }

    /** CustomResourceSubresourceScale. */
    public record Scale(
            String specReplicasPath,
            String statusReplicasPath,
            String labelSelectorPath,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Scale {
            extra = Frozen.tree(extra);
        }
    }
}
