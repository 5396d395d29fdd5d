package io.kardia.store.patch;

import io.kardia.kubeapi.ApiResource;
import io.kardia.kubeapi.FieldSchema;
import io.kardia.kubeapi.FieldType;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kardia.kubeapi.TypeSchema;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code patchStrategy:"merge"}/{@code patchMergeKey} tags of the built-in kinds' Go types, as
 * strategic merge patch needs them: by field path of a kind (list indices left out, e.g.
 * {@code spec.template.spec.containers.env}). The tags are kept per Go type and field (no published
 * artifact of the release carries them: hand-kept, for the lists operators and kubectl write) and
 * turned into a kind's paths by walking its schema in the Kubernetes API catalog, so every kind
 * that embeds a PodSpec (StatefulSet, Job, DaemonSet, CronJob...) merges containers by name.
 * A list with no entry is atomic (replaced by a patch); {@code ""} marks a list of scalars merged
 * as a set.
 */
public final class PatchMergeKeys {
    private static final String CORE = "k8s.io.api.core.v1.";
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";

    /** {@code Type.field} (full protobuf type name, JSON field name) → its patch merge key. */
    private static final Map<String, String> BY_FIELD = new HashMap<>();

    static {
        for (String list : new String[] {"containers", "initContainers", "ephemeralContainers", "volumes", "imagePullSecrets",
                "schedulingGates", "resourceClaims"}) {
            BY_FIELD.put(CORE + "PodSpec." + list, "name");
        }
        BY_FIELD.put(CORE + "PodSpec.hostAliases", "ip");
        BY_FIELD.put(CORE + "PodSpec.topologySpreadConstraints", "topologyKey");
        BY_FIELD.put(CORE + "PodSpec.readinessGates", "conditionType");
        for (String container : new String[] {CORE + "Container.", CORE + "EphemeralContainer."}) {
            BY_FIELD.put(container + "env", "name");
            BY_FIELD.put(container + "ports", "containerPort");
            BY_FIELD.put(container + "volumeMounts", "mountPath");
            BY_FIELD.put(container + "volumeDevices", "devicePath");
        }
        BY_FIELD.put(CORE + "PodStatus.podIPs", "ip");
        BY_FIELD.put(CORE + "PodStatus.hostIPs", "ip");
        BY_FIELD.put(CORE + "ServiceSpec.ports", "port");
        BY_FIELD.put(CORE + "ServiceAccount.secrets", "name");
        BY_FIELD.put(CORE + "NodeSpec.podCIDRs", "");
        BY_FIELD.put(CORE + "NodeStatus.addresses", "type");
        for (String status : List.of(CORE + "PodStatus", CORE + "NodeStatus", CORE + "NamespaceStatus", CORE + "ServiceStatus",
                CORE + "PersistentVolumeClaimStatus", CORE + "ReplicationControllerStatus",
                "k8s.io.api.apps.v1.DeploymentStatus", "k8s.io.api.apps.v1.ReplicaSetStatus",
                "k8s.io.api.apps.v1.StatefulSetStatus", "k8s.io.api.apps.v1.DaemonSetStatus", "k8s.io.api.batch.v1.JobStatus",
                "k8s.io.api.policy.v1.PodDisruptionBudgetStatus", "k8s.io.api.autoscaling.v2.HorizontalPodAutoscalerStatus",
                "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus")) {
            BY_FIELD.put(status + ".conditions", "type");
        }
        BY_FIELD.put(META + "ObjectMeta.finalizers", "");
        BY_FIELD.put(META + "ObjectMeta.ownerReferences", "uid");
    }

    private static final Map<String, Optional<Map<String, String>>> BY_RESOURCE = new ConcurrentHashMap<>();
    private static final Map<String, String> METADATA_ONLY = Map.of("metadata.finalizers", "", "metadata.ownerReferences", "uid");

    private PatchMergeKeys() {
    }

    /** The rules of a built-in kind (of every version the catalog has of it); empty for a resource it does not have. */
    public static Optional<Map<String, String>> forResource(String groupResource) {
        return BY_RESOURCE.computeIfAbsent(groupResource, PatchMergeKeys::fromCatalog);
    }

    /** The rules of a built-in kind, at least those of its metadata. */
    public static Map<String, String> forBuiltIn(String groupResource) {
        return forResource(groupResource).orElse(METADATA_ONLY);
    }

    private static Optional<Map<String, String>> fromCatalog(String groupResource) {
        List<ApiResource> versions = KubeApiCatalog.get().resources().stream()
                .filter(r -> r.groupResource().equals(groupResource) && r.type() != null).toList();
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> paths = new HashMap<>();
        for (ApiResource r : versions) {
            walk(r.type(), "", paths, new ArrayDeque<>());
        }
        return Optional.of(Map.copyOf(paths));
    }

    /** Collects the merge keys of every list under {@code type}, reached at {@code path}; a type already on the way is not entered again. */
    private static void walk(String type, String path, Map<String, String> paths, Deque<String> way) {
        TypeSchema schema = KubeApiCatalog.get().type(type).orElse(null);
        if (schema == null || way.contains(type)) {
            return;
        }
        way.push(type);
        for (FieldSchema f : schema.fields().values()) {
            if (f.map()) {
                continue; // no Kubernetes list with a merge key sits under a map
            }
            String at = path.isEmpty() ? f.name() : path + "." + f.name();
            String key = f.array() ? BY_FIELD.get(type + "." + f.name()) : null;
            if (key != null) {
                paths.put(at, key);
            }
            if (f.type() == FieldType.OBJECT && f.ref() != null) {
                walk(f.ref(), at, paths, way);
            }
        }
        way.pop();
    }
}
