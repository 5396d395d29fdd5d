package io.kardia.examples.staticsite;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kardia.core.crd.CustomResource;
import io.kardia.core.crd.Kind;
import io.kardia.core.model.Frozen;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import java.util.Map;

/**
 * {@code examples.kardia.io/v1alpha1 StaticSite}: a web site served by nginx from content kept in
 * the object itself. The operator ({@link StaticSiteReconciler}) turns it into a ConfigMap and a
 * Deployment. Its CRD is generated from these records at build time by kardia-crd-generator
 * ({@link StaticSiteCrd}).
 */
@Kind(group = StaticSite.GROUP, version = StaticSite.VERSION, shortNames = "site")
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record StaticSite(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        StaticSiteSpec spec,
        StaticSiteStatus status,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra)
        implements CustomResource<StaticSiteSpec, StaticSiteStatus> {

    public static final String GROUP = "examples.kardia.io";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "StaticSite";

    /** Derived from {@link Kind}: {@code client.resources(StaticSite.class)} needs no registration. */
    public static final ResourceType<StaticSite> TYPE = ResourceTypes.of(StaticSite.class);

    public StaticSite {
        apiVersion = apiVersion == null ? TYPE.apiVersion() : apiVersion;
        kind = kind == null ? KIND : kind;
        metadata = metadata == null ? ObjectMeta.builder().build() : metadata;
        spec = spec == null ? StaticSiteSpec.defaults() : spec;
        extra = Frozen.tree(extra);
    }

    public static StaticSite of(ObjectMeta metadata, StaticSiteSpec spec) {
        return new StaticSite(null, null, metadata, spec, null, null);
    }

    @Override
    public StaticSite withMetadata(ObjectMeta newMetadata) {
        return new StaticSite(apiVersion, kind, newMetadata, spec, status, extra);
    }

    public StaticSite withSpec(StaticSiteSpec newSpec) {
        return new StaticSite(apiVersion, kind, metadata, newSpec, status, extra);
    }

    public StaticSite withStatus(StaticSiteStatus newStatus) {
        return new StaticSite(apiVersion, kind, metadata, spec, newStatus, extra);
    }
}
