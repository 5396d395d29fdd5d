package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * core/v1 Secret. {@code data} holds base64 strings as on the wire; {@link #decoded(String)} gives
 * the bytes. {@code stringData} is write-only input the server merges into {@code data}.
 * {@link #toString()} never shows values, so a secret that reaches a log stays secret.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
public record Secret(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        String type,
        Map<String, String> data,
        Map<String, String> stringData,
        Boolean immutable,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

    public static final String TYPE_OPAQUE = "Opaque";

    public Secret {
        apiVersion = apiVersion == null ? "v1" : apiVersion;
        kind = kind == null ? "Secret" : kind;
        metadata = metadata == null ? ObjectMeta.builder().build() : metadata;
        data = Frozen.map(data);
        stringData = Frozen.map(stringData);
        extra = Frozen.tree(extra);
    }

    /** An Opaque secret from plain values, base64-encoded into {@code data}. */
    public static Secret ofStrings(ObjectMeta metadata, Map<String, String> values) {
        Map<String, String> enc = new LinkedHashMap<>();
        values.forEach((k, v) -> enc.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return new Secret(null, null, metadata, TYPE_OPAQUE, enc, null, null, null);
    }

    @Override
    public Secret withMetadata(ObjectMeta newMetadata) {
        return new Secret(apiVersion, kind, newMetadata, type, data, stringData, immutable, extra);
    }

    public Secret withData(Map<String, String> newBase64Data) {
        return new Secret(apiVersion, kind, metadata, type, newBase64Data, stringData, immutable, extra);
    }

    /** The decoded bytes of {@code data[key]}. */
    public Optional<byte[]> decoded(String key) {
        String b64 = data.get(key);
        return b64 == null ? Optional.empty() : Optional.of(Base64.getDecoder().decode(b64));
    }

    /** {@code data[key]} decoded as UTF-8. */
    public Optional<String> decodedString(String key) {
        return decoded(key).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Secret[" + metadata.key() + ", type=" + type + ", keys=" + data.keySet()
                + (stringData.isEmpty() ? "" : ", stringDataKeys=" + stringData.keySet()) + "]";
    }
}
