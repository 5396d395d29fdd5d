package io.kardia.store.patch;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code patchStrategy}/{@code patchMergeKey} tags of the built-in kinds' Go types, by
 * group-resource and field path (list indices left out, e.g. {@code spec.containers.env}).
 * A list with no entry is atomic (replaced by a patch); {@code ""} marks a list of scalars merged
 * as a set.
 */
public final class PatchMergeKeys {
    private static final Map<String, Map<String, String>> BY_RESOURCE = new HashMap<>();

    static {
        Map<String, String> pod = new HashMap<>();
        podSpec(pod, "spec");
        pod.put("status.conditions", "type");
        pod.put("status.podIPs", "ip");
        BY_RESOURCE.put("pods", withMeta(pod));

        for (String workload : new String[] {"deployments.apps", "replicasets.apps"}) {
            Map<String, String> m = new HashMap<>();
            podSpec(m, "spec.template.spec");
            m.put("status.conditions", "type");
            BY_RESOURCE.put(workload, withMeta(m));
        }
        Map<String, String> node = new HashMap<>();
        node.put("spec.podCIDRs", "");
        node.put("status.conditions", "type");
        node.put("status.addresses", "type");
        BY_RESOURCE.put("nodes", withMeta(node));
        Map<String, String> ns = new HashMap<>();
        ns.put("status.conditions", "type");
        BY_RESOURCE.put("namespaces", withMeta(ns));
        Map<String, String> crd = new HashMap<>();
        crd.put("status.conditions", "type");
        BY_RESOURCE.put("customresourcedefinitions.apiextensions.k8s.io", withMeta(crd));
        for (String plain : new String[] {"events", "configmaps", "leases.coordination.k8s.io"}) {
            BY_RESOURCE.put(plain, withMeta(new HashMap<>()));
        }
    }

    private PatchMergeKeys() {
    }

    private static final Map<String, String> METADATA_ONLY = withMeta(new HashMap<>());

    /** The rules of a built-in kind; empty for kinds strategic merge patch does not support. */
    public static Optional<Map<String, String>> forResource(String groupResource) {
        return Optional.ofNullable(BY_RESOURCE.get(groupResource));
    }

    /** The rules of a built-in kind, at least those of its metadata. */
    public static Map<String, String> forBuiltIn(String groupResource) {
        return BY_RESOURCE.getOrDefault(groupResource, METADATA_ONLY);
    }

    private static Map<String, String> withMeta(Map<String, String> m) {
        m.put("metadata.finalizers", "");
        m.put("metadata.ownerReferences", "uid");
        return Map.copyOf(m);
    }

    private static void podSpec(Map<String, String> m, String spec) {
        for (String list : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
            String c = spec + "." + list;
            m.put(c, "name");
            m.put(c + ".env", "name");
            m.put(c + ".ports", "containerPort");
            m.put(c + ".volumeMounts", "mountPath");
            m.put(c + ".volumeDevices", "devicePath");
        }
        m.put(spec + ".volumes", "name");
        m.put(spec + ".imagePullSecrets", "name");
        m.put(spec + ".hostAliases", "ip");
        m.put(spec + ".topologySpreadConstraints", "topologyKey");
        m.put(spec + ".readinessGates", "conditionType");
    }
}
