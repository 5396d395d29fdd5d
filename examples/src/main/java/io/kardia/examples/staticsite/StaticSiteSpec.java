package io.kardia.examples.staticsite;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import io.kardia.core.crd.Validation;
import io.kardia.core.model.Frozen;
import io.kardia.runtime.schema.Schema;
import java.util.Map;

/**
 * What a {@link StaticSite} should serve. Null fields take the schema's defaults (applied here
 * too, so a site built in Java before the store defaulted it reads the same). The CEL rules on
 * {@code content} ({@code x-kubernetes-validations} in the generated CRD) keep every file a valid
 * ConfigMap key of a bounded size; what CEL cannot say well is left to {@link StaticSiteValidator}.
 */
public record StaticSiteSpec(
        @Schema(description = "Container image serving /usr/share/nginx/html.", defaultString = DEFAULT_IMAGE,
                minLength = 1, maxLength = 512, pattern = "^[^\\s]+$")
        String image,
        @Schema(description = "Number of web server pods.", defaultInteger = DEFAULT_REPLICAS, minimum = 0,
                maximum = MAX_REPLICAS)
        Integer replicas,
        @Schema(description = "Files to serve: file name to content.", maxProperties = MAX_FILES)
        @Validation(rule = "self.all(f, f.size() <= 253)",
                message = "file names must be at most 253 characters (they become ConfigMap keys)")
        @Validation(rule = "self.all(f, self[f].size() <= " + MAX_FILE_BYTES + ")",
                messageExpression = "'each of the ' + string(size(self)) + ' files must be at most " + MAX_FILE_BYTES
                        + " bytes (a ConfigMap holds at most 1 MiB)'")
        Map<String, String> content,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String DEFAULT_IMAGE = "nginx";
    public static final int DEFAULT_REPLICAS = 1;
    public static final int MAX_REPLICAS = 10;
    public static final int MAX_FILES = 64;
    /** Per file, so that a few files fit in one ConfigMap (1 MiB in all). */
    public static final int MAX_FILE_BYTES = 262_144;

    public StaticSiteSpec {
        content = Frozen.map(content);
        extra = Frozen.tree(extra);
    }

    public static StaticSiteSpec of(String image, Integer replicas, Map<String, String> content) {
        return new StaticSiteSpec(image, replicas, content, null);
    }

    static StaticSiteSpec defaults() {
        return of(null, null, null);
    }

    /** The image to run, defaulted. */
    public String effectiveImage() {
        return image == null || image.isEmpty() ? DEFAULT_IMAGE : image;
    }

    /** The replica count, defaulted. */
    public int effectiveReplicas() {
        return replicas == null ? DEFAULT_REPLICAS : replicas;
    }

    public StaticSiteSpec withImage(String newImage) {
        return new StaticSiteSpec(newImage, replicas, content, extra);
    }

    public StaticSiteSpec withReplicas(Integer newReplicas) {
        return new StaticSiteSpec(image, newReplicas, content, extra);
    }

    public StaticSiteSpec withContent(Map<String, String> newContent) {
        return new StaticSiteSpec(image, replicas, newContent, extra);
    }
}
