package io.kardia.core.crd;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceTypes;

/**
 * A custom resource written as a plain Java record annotated with {@link Kind}:
 * {@code record Backup(ObjectMeta metadata, BackupSpec spec, BackupStatus status) implements
 * CustomResource<BackupSpec, BackupStatus>}. The apiVersion and kind come from the annotation;
 * fields the records do not declare (written by a newer version of the operator, say) are kept
 * when the object is decoded and written back (see {@link io.kardia.core.json.UnknownFields}).
 *
 * @param <S> the spec record
 * @param <T> the status record ({@code Void} when the kind has no status)
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public interface CustomResource<S, T> extends KubeObject {

    S spec();

    T status();

    @Override
    @JsonProperty("apiVersion")
    default String apiVersion() {
        return ResourceTypes.of(getClass()).apiVersion();
    }

    @Override
    @JsonProperty("kind")
    default String kind() {
        return ResourceTypes.of(getClass()).kind();
    }

    /** A copy with other metadata; unknown fields are kept. */
    @Override
    default KubeObject withMetadata(ObjectMeta metadata) {
        return RecordCopies.with((Record) this, "metadata", metadata);
    }
}
