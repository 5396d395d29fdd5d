package io.kardia.store.patch;

import io.kardia.kubeapi.ApiResource;
import io.kardia.kubeapi.FieldSchema;
import io.kardia.kubeapi.FieldType;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kardia.kubeapi.TypeSchema;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code +patchStrategy=merge}/{@code +patchMergeKey} markers of the built-in kinds' types, as
 * strategic merge patch needs them: by field path of a kind (list indices left out, e.g.
 * {@code spec.template.spec.containers.env}). The markers come with the catalog's field schemas (read
 * at build time from the release's published protobuf sources); a kind's paths are found by walking
 * its schema, so every kind that embeds a PodSpec (StatefulSet, Job, DaemonSet, CronJob...) merges
 * containers by name. A list whose strategy is not {@code merge} is atomic (replaced by a patch);
 * {@code ""} marks a list merged as a set (a merge strategy without a key: lists of scalars).
 */
public final class PatchMergeKeys {
    /** A kind's rules: merge keys by path, and the paths of structs and maps a patch replaces whole ({@code +patchStrategy=replace}). */
    private record Rules(Map<String, String> mergeKeys, Set<String> replaced) {
    }

    private static final Map<String, Optional<Rules>> BY_RESOURCE = new ConcurrentHashMap<>();
    private static final Map<String, String> METADATA_ONLY = Map.of("metadata.finalizers", "", "metadata.ownerReferences", "uid");

    private PatchMergeKeys() {
    }

    /** The rules of a built-in kind (of every version the catalog has of it); empty for a resource it does not have. */
    public static Optional<Map<String, String>> forResource(String groupResource) {
        return BY_RESOURCE.computeIfAbsent(groupResource, PatchMergeKeys::fromCatalog).map(Rules::mergeKeys);
    }

    /** The paths of a built-in kind's structs and maps that a patch replaces rather than merges (e.g. a PodDisruptionBudget's selector). */
    public static Set<String> replacedIn(String groupResource) {
        return BY_RESOURCE.computeIfAbsent(groupResource, PatchMergeKeys::fromCatalog).map(Rules::replaced).orElse(Set.of());
    }

    /** The rules of a built-in kind, at least those of its metadata. */
    public static Map<String, String> forBuiltIn(String groupResource) {
        return forResource(groupResource).orElse(METADATA_ONLY);
    }

    private static Optional<Rules> fromCatalog(String groupResource) {
        List<ApiResource> versions = KubeApiCatalog.get().resources().stream()
                .filter(r -> r.groupResource().equals(groupResource) && r.type() != null).toList();
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> paths = new HashMap<>();
        Set<String> replaced = new HashSet<>();
        for (ApiResource r : versions) {
            walk(r.type(), "", paths, replaced, new ArrayDeque<>());
        }
        return Optional.of(new Rules(Map.copyOf(paths), Set.copyOf(replaced)));
    }

    /** Collects the merge keys of every list under {@code type}, reached at {@code path}; a type already on the way is not entered again. */
    private static void walk(String type, String path, Map<String, String> paths, Set<String> replaced, Deque<String> way) {
        TypeSchema schema = KubeApiCatalog.get().type(type).orElse(null);
        if (schema == null || way.contains(type)) {
            return;
        }
        way.push(type);
        for (FieldSchema f : schema.fields().values()) {
            String at = path.isEmpty() ? f.name() : path + "." + f.name();
            if (!f.array() && "replace".equals(f.merge().patchStrategy())) {
                replaced.add(at);
            }
            if (f.map()) {
                continue; // no Kubernetes list with a merge key sits under a map
            }
            String key = f.array() && f.merge().patchMerges()
                    ? (f.merge().patchMergeKey() == null ? "" : f.merge().patchMergeKey()) : null;
            if (key != null) {
                paths.put(at, key);
            }
            if (f.type() == FieldType.OBJECT && f.ref() != null) {
                walk(f.ref(), at, paths, replaced, way);
            }
        }
        way.pop();
    }
}
