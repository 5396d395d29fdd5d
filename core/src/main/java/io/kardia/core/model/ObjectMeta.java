package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Standard object metadata (metav1.ObjectMeta). Immutable; change it with {@link #toBuilder()}
 * or the withers. Fields this model does not know (managedFields, ...) are kept in
 * {@link #extra()} so a read-modify-write never drops them.
 */
public record ObjectMeta(
        String name,
        String generateName,
        String namespace,
        String uid,
        String resourceVersion,
        Long generation,
        Instant creationTimestamp,
        Instant deletionTimestamp,
        Long deletionGracePeriodSeconds,
        Map<String, String> labels,
        Map<String, String> annotations,
        List<OwnerReference> ownerReferences,
        List<String> finalizers,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public ObjectMeta {
        labels = Frozen.map(labels);
        annotations = Frozen.map(annotations);
        ownerReferences = Frozen.list(ownerReferences);
        finalizers = Frozen.list(finalizers);
        extra = Frozen.tree(extra);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Metadata with just a name (cluster-scoped) or a namespace and a name. */
    public static ObjectMeta of(String namespace, String name) {
        return builder().namespace(namespace).name(name).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@code namespace/name}, or {@code name} for cluster-scoped objects. */
    @JsonIgnore
    public String key() {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    @JsonIgnore
    public boolean isBeingDeleted() {
        return deletionTimestamp != null;
    }

    /** The owner reference marked {@code controller: true}, if any. */
    @JsonIgnore
    public Optional<OwnerReference> controllerRef() {
        for (OwnerReference ref : ownerReferences) {
            if (Boolean.TRUE.equals(ref.controller())) {
                return Optional.of(ref);
            }
        }
        return Optional.empty();
    }

    public ObjectMeta withResourceVersion(String rv) {
        return toBuilder().resourceVersion(rv).build();
    }

    public ObjectMeta withLabels(Map<String, String> newLabels) {
        return toBuilder().labels(newLabels).build();
    }

    public ObjectMeta withAnnotations(Map<String, String> newAnnotations) {
        return toBuilder().annotations(newAnnotations).build();
    }

    public ObjectMeta withFinalizers(List<String> newFinalizers) {
        return toBuilder().finalizers(newFinalizers).build();
    }

    public ObjectMeta withOwnerReferences(List<OwnerReference> refs) {
        return toBuilder().ownerReferences(refs).build();
    }

    /** Mutable builder: the only way to assemble metadata step by step. */
    public static final class Builder {
        private String name;
        private String generateName;
        private String namespace;
        private String uid;
        private String resourceVersion;
        private Long generation;
        private Instant creationTimestamp;
        private Instant deletionTimestamp;
        private Long deletionGracePeriodSeconds;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();
        private final List<OwnerReference> ownerReferences = new ArrayList<>();
        private final List<String> finalizers = new ArrayList<>();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        private Builder(ObjectMeta m) {
            name = m.name;
            generateName = m.generateName;
            namespace = m.namespace;
            uid = m.uid;
            resourceVersion = m.resourceVersion;
            generation = m.generation;
            creationTimestamp = m.creationTimestamp;
            deletionTimestamp = m.deletionTimestamp;
            deletionGracePeriodSeconds = m.deletionGracePeriodSeconds;
            labels.putAll(m.labels);
            annotations.putAll(m.annotations);
            ownerReferences.addAll(m.ownerReferences);
            finalizers.addAll(m.finalizers);
            extra.putAll(m.extra);
        }

        public Builder name(String v) { name = v; return this; }
        public Builder generateName(String v) { generateName = v; return this; }
        public Builder namespace(String v) { namespace = v; return this; }
        public Builder uid(String v) { uid = v; return this; }
        public Builder resourceVersion(String v) { resourceVersion = v; return this; }
        public Builder generation(Long v) { generation = v; return this; }
        public Builder creationTimestamp(Instant v) { creationTimestamp = v; return this; }
        public Builder deletionTimestamp(Instant v) { deletionTimestamp = v; return this; }
        public Builder deletionGracePeriodSeconds(Long v) { deletionGracePeriodSeconds = v; return this; }

        public Builder labels(Map<String, String> v) {
            labels.clear();
            if (v != null) {
                labels.putAll(v);
            }
            return this;
        }

        public Builder label(String key, String value) { labels.put(key, value); return this; }
        public Builder removeLabel(String key) { labels.remove(key); return this; }

        public Builder annotations(Map<String, String> v) {
            annotations.clear();
            if (v != null) {
                annotations.putAll(v);
            }
            return this;
        }

        public Builder annotation(String key, String value) { annotations.put(key, value); return this; }
        public Builder removeAnnotation(String key) { annotations.remove(key); return this; }

        public Builder ownerReferences(List<OwnerReference> v) {
            ownerReferences.clear();
            if (v != null) {
                ownerReferences.addAll(v);
            }
            return this;
        }

        public Builder ownerReference(OwnerReference ref) { ownerReferences.add(ref); return this; }

        public Builder finalizers(List<String> v) {
            finalizers.clear();
            if (v != null) {
                finalizers.addAll(v);
            }
            return this;
        }

        /** Adds a finalizer unless it is already present (finalizers are a set in practice). */
        public Builder finalizer(String v) {
            if (!finalizers.contains(v)) {
                finalizers.add(v);
            }
            return this;
        }

        public Builder removeFinalizer(String v) { finalizers.remove(v); return this; }

        public Builder extra(String key, Object value) { extra.put(key, value); return this; }

        public ObjectMeta build() {
            return new ObjectMeta(name, generateName, namespace, uid, resourceVersion, generation,
                    creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, labels, annotations,
                    ownerReferences, finalizers, extra);
        }
    }
}
