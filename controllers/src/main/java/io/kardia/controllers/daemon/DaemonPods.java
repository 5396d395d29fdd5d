package io.kardia.controllers.daemon;

import io.kardia.controllers.history.ControllerRevisions;
import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DaemonSet's pod for one node ({@code CreatePodTemplate} and {@code ReplaceDaemonSetPodNodeNameNodeAffinity}):
 * the template with the revision hash and template generation labels, the daemon tolerations, the
 * required node affinity replaced by one term selecting the node's name — and, where kube leaves
 * binding to the scheduler, {@code spec.nodeName} set (see docs/workload-controllers.md).
 */
final class DaemonPods {
    /** {@code DaemonSetTemplateGenerationKey} (deprecated in kube, still written). */
    static final String TEMPLATE_GENERATION_LABEL = "pod-template-generation";

    private DaemonPods() {
    }

    static String hashOf(Pod pod) {
        return pod.metadata().labels().getOrDefault(ControllerRevisions.HASH_LABEL, "");
    }

    /** {@code IsPodUpdated}: made from the revision with this hash, or with the DaemonSet's current template generation. */
    static boolean isUpdated(Pod pod, String hash, Long generation) {
        String gen = pod.metadata().labels().get(TEMPLATE_GENERATION_LABEL);
        return hash.equals(hashOf(pod)) || (generation != null && Long.toString(generation).equals(gen));
    }

    /** The node a pod is for: its {@code nodeName}, or the name its required node affinity selects. */
    static String nodeOf(Pod pod) {
        if (pod.spec() == null) {
            return "";
        }
        if (pod.spec().nodeName() != null && !pod.spec().nodeName().isEmpty()) {
            return pod.spec().nodeName();
        }
        Object terms = NodeAffinity.path(pod.spec().extra().get("affinity"), "nodeAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms");
        if (terms instanceof List<?> l && l.size() == 1 && l.get(0) instanceof Map<?, ?> term
                && term.get("matchFields") instanceof List<?> fields && fields.size() == 1
                && fields.get(0) instanceof Map<?, ?> f && "metadata.name".equals(f.get("key"))
                && "In".equals(f.get("operator")) && f.get("values") instanceof List<?> v && v.size() == 1) {
            return String.valueOf(v.get(0));
        }
        return "";
    }

    static Pod newPod(GenericObject ds, PodTemplateSpec template, String hash, String nodeName) {
        ObjectMeta tm = template.metadata() == null ? ObjectMeta.builder().build() : template.metadata();
        Map<String, String> labels = new LinkedHashMap<>(tm.labels());
        if (ds.metadata().generation() != null) {
            labels.put(TEMPLATE_GENERATION_LABEL, Long.toString(ds.metadata().generation()));
        }
        labels.put(ControllerRevisions.HASH_LABEL, hash);
        ObjectMeta meta = ObjectMeta.builder()
                .namespace(ds.metadata().namespace())
                .generateName(ds.metadata().name() + "-")
                .labels(labels)
                .annotations(tm.annotations())
                .finalizers(tm.finalizers())
                .ownerReference(OwnerReference.controllerOf(ds))
                .build();
        PodSpec base = template.spec() == null ? PodSpec.builder().build() : template.spec();
        PodSpec withTolerations = base.withTolerations(DaemonPlacement.withDaemonTolerations(base)).withNodeName(nodeName);
        Map<String, Object> tree = new LinkedHashMap<>(Json.mapper().convertValue(withTolerations,
                Json.mapper().getTypeFactory().constructMapType(Map.class, String.class, Object.class)));
        tree.put("affinity", affinityFor(tree.get("affinity"), nodeName));
        return Pod.of(meta, Json.mapper().convertValue(tree, PodSpec.class));
    }

    /** The template's affinity with its required node selector replaced by one term matching {@code metadata.name}. */
    private static Map<String, Object> affinityFor(Object affinity, String nodeName) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (affinity instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
        }
        Map<String, Object> nodeAffinity = new LinkedHashMap<>();
        if (out.get("nodeAffinity") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> nodeAffinity.put(String.valueOf(k), v));
        }
        nodeAffinity.put("requiredDuringSchedulingIgnoredDuringExecution", Map.of("nodeSelectorTerms", List.of(
                Map.of("matchFields", List.of(Map.of("key", "metadata.name", "operator", "In",
                        "values", List.of(nodeName)))))));
        out.put("nodeAffinity", nodeAffinity);
        return out;
    }
}
