package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * core/v1 ConfigMap. {@code binaryData} values stay base64 strings (immutable);
 * {@link #binary(String)} decodes a fresh copy.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
public record ConfigMap(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        Map<String, String> data,
        Map<String, String> binaryData,
        Boolean immutable,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

    public ConfigMap {
        apiVersion = apiVersion == null ? "v1" : apiVersion;
        kind = kind == null ? "ConfigMap" : kind;
        metadata = metadata == null ? ObjectMeta.builder().build() : metadata;
        data = Frozen.map(data);
        binaryData = Frozen.map(binaryData);
        extra = Frozen.tree(extra);
    }

    public static ConfigMap of(ObjectMeta metadata, Map<String, String> data) {
        return new ConfigMap(null, null, metadata, data, null, null, null);
    }

    @Override
    public ConfigMap withMetadata(ObjectMeta newMetadata) {
        return new ConfigMap(apiVersion, kind, newMetadata, data, binaryData, immutable, extra);
    }

    public ConfigMap withData(Map<String, String> newData) {
        return new ConfigMap(apiVersion, kind, metadata, newData, binaryData, immutable, extra);
    }

    /** The decoded bytes of a binaryData entry. */
    public Optional<byte[]> binary(String key) {
        String b64 = binaryData.get(key);
        return b64 == null ? Optional.empty() : Optional.of(Base64.getDecoder().decode(b64));
    }
}
