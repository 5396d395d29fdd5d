package io.kardia.informer;

import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Ready-made transforms for {@link SharedInformer#setTransform}: shrink objects before they are
 * cached. Each returns the input instance itself when there is nothing to change.
 */
public final class Transforms {
    private Transforms() {
    }

    /** Drops {@code metadata.managedFields} (server-side apply bookkeeping, often the bulk of an object). */
    public static <T extends KubeObject> UnaryOperator<T> dropManagedFields() {
        return obj -> {
            ObjectMeta m = obj.metadata();
            if (!m.extra().containsKey("managedFields")) {
                return obj;
            }
            Map<String, Object> extra = new LinkedHashMap<>(m.extra());
            extra.remove("managedFields");
            return withMetadata(obj, copy(m, m.labels(), m.annotations(), extra));
        };
    }

    /**
     * Drops annotations whose value is longer than {@code maxChars} characters (e.g.
     * {@code kubectl.kubernetes.io/last-applied-configuration}).
     */
    public static <T extends KubeObject> UnaryOperator<T> dropAnnotationsLongerThan(int maxChars) {
        if (maxChars < 0) {
            throw new IllegalArgumentException("maxChars must be >= 0, got " + maxChars);
        }
        return obj -> {
            ObjectMeta m = obj.metadata();
            boolean any = false;
            for (String v : m.annotations().values()) {
                if (v != null && v.length() > maxChars) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return obj;
            }
            Map<String, String> kept = new LinkedHashMap<>();
            m.annotations().forEach((k, v) -> {
                if (v == null || v.length() <= maxChars) {
                    kept.put(k, v);
                }
            });
            return withMetadata(obj, copy(m, m.labels(), kept, m.extra()));
        };
    }

    /** Replaces label and annotation keys and values by shared instances from {@code interner}. */
    public static <T extends KubeObject> UnaryOperator<T> internLabelsAndAnnotations(StringInterner interner) {
        return obj -> {
            ObjectMeta m = obj.metadata();
            if (m.labels().isEmpty() && m.annotations().isEmpty()) {
                return obj;
            }
            return withMetadata(obj, copy(m, intern(m.labels(), interner), intern(m.annotations(), interner), m.extra()));
        };
    }

    private static final SharedValues<Map<String, String>> LABELS = new SharedValues<>();
    private static final SharedValues<Map<String, String>> ANNOTATIONS = new SharedValues<>();
    private static final SharedValues<List<OwnerReference>> OWNERS = new SharedValues<>();
    private static final SharedValues<List<String>> FINALIZERS = new SharedValues<>();

    /**
     * Replaces the object's label map, annotation map, owner references and finalizers by equal
     * instances already cached, where there are some: the pods of one ReplicaSet carry the same
     * labels and the same owner, so thousands of cached objects share one copy of each. A lossy
     * bounded table ({@code SharedValues}) keeps it cheap; values met once are not kept.
     */
    public static <T extends KubeObject> UnaryOperator<T> shareRepeatedMetadata() {
        return obj -> {
            ObjectMeta m = obj.metadata();
            Map<String, String> labels = m.labels().isEmpty() ? m.labels() : LABELS.share(m.labels());
            Map<String, String> annotations = m.annotations().isEmpty() ? m.annotations() : ANNOTATIONS.share(m.annotations());
            List<OwnerReference> owners = m.ownerReferences().isEmpty() ? m.ownerReferences() : OWNERS.share(m.ownerReferences());
            List<String> finalizers = m.finalizers().isEmpty() ? m.finalizers() : FINALIZERS.share(m.finalizers());
            if (labels == m.labels() && annotations == m.annotations() && owners == m.ownerReferences()
                    && finalizers == m.finalizers()) {
                return obj;
            }
            return withMetadata(obj, new ObjectMeta(m.name(), m.generateName(), m.namespace(), m.uid(),
                    m.resourceVersion(), m.generation(), m.creationTimestamp(), m.deletionTimestamp(),
                    m.deletionGracePeriodSeconds(), labels, annotations, owners, finalizers, m.extra()));
        };
    }

    /**
     * What a metadata-only informer applies: {@link #dropManagedFields()}, then
     * {@link #shareRepeatedMetadata()}.
     */
    public static <T extends KubeObject> UnaryOperator<T> metadataOnly() {
        return chain(dropManagedFields(), shareRepeatedMetadata());
    }

    /** Applies {@code transforms} in order. */
    @SafeVarargs
    public static <T extends KubeObject> UnaryOperator<T> chain(UnaryOperator<T>... transforms) {
        return obj -> {
            T out = obj;
            for (UnaryOperator<T> t : transforms) {
                out = t.apply(out);
            }
            return out;
        };
    }

    private static Map<String, String> intern(Map<String, String> in, StringInterner interner) {
        if (in.isEmpty()) {
            return in;
        }
        Map<String, String> out = new LinkedHashMap<>(in.size() * 2);
        in.forEach((k, v) -> out.put(interner.intern(k), interner.intern(v)));
        return out;
    }

    private static ObjectMeta copy(ObjectMeta m, Map<String, String> labels, Map<String, String> annotations,
                                   Map<String, Object> extra) {
        return new ObjectMeta(m.name(), m.generateName(), m.namespace(), m.uid(), m.resourceVersion(), m.generation(),
                m.creationTimestamp(), m.deletionTimestamp(), m.deletionGracePeriodSeconds(), labels, annotations,
                m.ownerReferences(), m.finalizers(), extra);
    }

    @SuppressWarnings("unchecked")
    private static <T extends KubeObject> T withMetadata(T obj, ObjectMeta m) {
        // KubeObject.withMetadata keeps the concrete type (its contract), so the cast holds.
        return (T) obj.withMetadata(m);
    }
}
