package io.kardia.examples.database;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import io.kardia.core.model.Frozen;
import io.kardia.runtime.schema.Schema;
import java.util.Map;

/**
 * What a {@link Database} should run. Null fields take the schema's defaults (applied here too,
 * because the reference store does not apply CRD defaults).
 */
public record DatabaseSpec(
        @Schema(description = "Container image of the database server and of the schema-init Job.",
                defaultString = DEFAULT_IMAGE, minLength = 1, maxLength = 512, pattern = "^[^\\s]+$")
        String image,
        @Schema(description = "Number of database pods (StatefulSet replicas).", defaultInteger = DEFAULT_REPLICAS,
                minimum = 0, maximum = MAX_REPLICAS)
        Integer replicas,
        @Schema(description = "Size of each pod's data volume, a Kubernetes quantity such as 10Gi. Applies when the "
                + "StatefulSet is created: its volume claim templates cannot change afterwards.",
                defaultString = DEFAULT_STORAGE_SIZE, pattern = STORAGE_SIZE_PATTERN)
        String storageSize,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String DEFAULT_IMAGE = "postgres:17";
    public static final int DEFAULT_REPLICAS = 1;
    public static final int MAX_REPLICAS = 7;
    public static final String DEFAULT_STORAGE_SIZE = "1Gi";
    static final String STORAGE_SIZE_PATTERN = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";

    public DatabaseSpec {
        extra = Frozen.tree(extra);
    }

    public static DatabaseSpec of(String image, Integer replicas, String storageSize) {
        return new DatabaseSpec(image, replicas, storageSize, null);
    }

    static DatabaseSpec defaults() {
        return of(null, null, null);
    }

    public String effectiveImage() {
        return image == null || image.isEmpty() ? DEFAULT_IMAGE : image;
    }

    public int effectiveReplicas() {
        return replicas == null ? DEFAULT_REPLICAS : replicas;
    }

    public String effectiveStorageSize() {
        return storageSize == null || storageSize.isEmpty() ? DEFAULT_STORAGE_SIZE : storageSize;
    }

    public DatabaseSpec withReplicas(Integer newReplicas) {
        return new DatabaseSpec(image, newReplicas, storageSize, extra);
    }

    public DatabaseSpec withImage(String newImage) {
        return new DatabaseSpec(newImage, replicas, storageSize, extra);
    }
}
