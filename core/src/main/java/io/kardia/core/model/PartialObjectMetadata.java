package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * meta.k8s.io/v1 PartialObjectMetadata: an object of any kind reduced to its metadata, as the
 * server answers {@code Accept: application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1}.
 * What a metadata-only informer caches: a fraction of the full object's memory. Fields other than
 * apiVersion, kind and metadata are not kept.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
@JsonIgnoreProperties(ignoreUnknown = true)
public record PartialObjectMetadata(String apiVersion, String kind, ObjectMeta metadata) implements KubeObject {
    public static final String API_VERSION = "meta.k8s.io/v1";
    public static final String KIND = "PartialObjectMetadata";
    public static final String LIST_KIND = "PartialObjectMetadataList";

    public PartialObjectMetadata {
        // the two constants, not one string per object, in a cache of tens of thousands
        apiVersion = apiVersion == null || apiVersion.equals(API_VERSION) ? API_VERSION : apiVersion;
        kind = kind == null || kind.equals(KIND) ? KIND : kind;
        metadata = metadata == null ? ObjectMeta.builder().build() : metadata;
    }

    public static PartialObjectMetadata of(ObjectMeta metadata) {
        return new PartialObjectMetadata(API_VERSION, KIND, metadata);
    }

    /** True when this is what a metadata request returns (not a full object of another kind). */
    public boolean isPartial() {
        return KIND.equals(kind) && apiVersion.startsWith("meta.k8s.io/");
    }

    @Override
    public PartialObjectMetadata withMetadata(ObjectMeta newMetadata) {
        return new PartialObjectMetadata(apiVersion, kind, newMetadata);
    }
}
