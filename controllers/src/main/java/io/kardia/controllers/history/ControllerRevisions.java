package io.kardia.controllers.history;

import io.kardia.controllers.workload.TemplateHash;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ResourceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * apps/v1 ControllerRevisions as kube's {@code pkg/controller/history} builds and compares them:
 * a snapshot of a parent's pod template ({@code data}: {@code {"spec":{"template":{..., "$patch":
 * "replace"}}}}, the strategic-merge patch StatefulSets and DaemonSets record), a {@code revision}
 * number, named {@code <parent>-<hash>} and labelled {@value #HASH_LABEL}{@code =<hash>}.
 */
public final class ControllerRevisions {
    /** The ControllerRevision kind (no typed model: read and written as {@link GenericObject}). */
    public static final ResourceType<GenericObject> TYPE =
            ResourceType.generic("apps", "v1", "ControllerRevision", "controllerrevisions", true);
    /** {@code ControllerRevisionHashLabel}: on revisions, and on StatefulSet and DaemonSet pods. */
    public static final String HASH_LABEL = "controller-revision-hash";
    /** Name prefixes are cut so that {@code <prefix>-<hash>} stays a valid name ({@code ControllerRevisionName}). */
    private static final int MAX_PREFIX = 223;

    /** Oldest first: by revision number, then creation time, then name ({@code SortControllerRevisions}). */
    public static final Comparator<GenericObject> BY_REVISION = Comparator
            .comparingLong(ControllerRevisions::revision)
            .thenComparing(r -> Optional.ofNullable(r.metadata().creationTimestamp()).orElse(Instant.EPOCH))
            .thenComparing(r -> r.metadata().name());

    private ControllerRevisions() {
    }

    /** The revision's number ({@code revision}), 0 when absent. */
    public static long revision(GenericObject revision) {
        return revision.at("revision", Long.class).orElse(0L);
    }

    /** The revision's {@code data}, or an empty map. */
    public static Object data(GenericObject revision) {
        return revision.at("data").orElse(Map.of());
    }

    /** The data recorded for a pod template: {@code {"spec":{"template":{...,"$patch":"replace"}}}}. */
    public static Map<String, Object> templatePatch(PodTemplateSpec template) {
        Map<String, Object> tree = new LinkedHashMap<>(io.kardia.core.json.Json.mapper().convertValue(template,
                io.kardia.core.json.Json.mapper().getTypeFactory().constructMapType(Map.class, String.class, Object.class)));
        tree.put("$patch", "replace");
        return Map.of("spec", Map.of("template", tree));
    }

    /** The pod template a revision recorded with {@link #templatePatch}. */
    public static PodTemplateSpec template(GenericObject revision) {
        Map<String, Object> tree = new LinkedHashMap<>(revision.at("data.spec.template", Map.class).orElse(Map.of()));
        tree.remove("$patch");
        return io.kardia.core.json.Json.mapper().convertValue(tree, PodTemplateSpec.class);
    }

    /** {@code HashControllerRevision}: FNV-32a of the data's canonical JSON and the collision count, safely encoded. */
    public static String hash(Object data, Integer collisionCount) {
        return TemplateHash.hashJson(data, collisionCount);
    }

    /** {@code ControllerRevisionName}: {@code <prefix>-<hash>}, the prefix cut to 223 characters. */
    public static String name(String prefix, String hash) {
        String p = prefix.length() > MAX_PREFIX ? prefix.substring(0, MAX_PREFIX) : prefix;
        return p + "-" + hash;
    }

    /**
     * {@code NewControllerRevision}: a revision of {@code parent} with the template's labels, the hash
     * label, a controller reference and the name {@code <parent>-<hash>}; not yet created.
     */
    public static GenericObject newRevision(KubeObject parent, Map<String, String> templateLabels, Object data,
                                            long revision, Integer collisionCount) {
        String hash = hash(data, collisionCount);
        Map<String, String> labels = new LinkedHashMap<>(templateLabels);
        labels.put(HASH_LABEL, hash);
        ObjectMeta meta = ObjectMeta.builder()
                .namespace(parent.metadata().namespace())
                .name(name(parent.metadata().name(), hash))
                .labels(labels)
                .ownerReference(OwnerReference.controllerOf(parent))
                .build();
        return GenericObject.of(TYPE, meta).with("data", data).with("revision", revision);
    }

    /** {@code EqualRevision}: the same data, compared canonically (key order and zero values do not count). */
    public static boolean equal(GenericObject a, GenericObject b) {
        if (a == null || b == null) {
            return a == b;
        }
        // kube first compares hash labels parsed as integers; safe-encoded hashes never parse, so data decides.
        return TemplateHash.canonicalJson(data(a)).equals(TemplateHash.canonicalJson(data(b)));
    }

    /** {@code FindEqualRevisions}: those of {@code revisions} equal to {@code needle}, in their order. */
    public static List<GenericObject> findEqual(List<GenericObject> revisions, GenericObject needle) {
        List<GenericObject> out = new ArrayList<>();
        for (GenericObject r : revisions) {
            if (equal(r, needle)) {
                out.add(r);
            }
        }
        return out;
    }

    /** {@code nextRevision}: one more than the highest revision number, 1 for none. */
    public static long nextRevision(List<GenericObject> revisions) {
        long max = 0;
        for (GenericObject r : revisions) {
            max = Math.max(max, revision(r));
        }
        return max + 1;
    }
}
