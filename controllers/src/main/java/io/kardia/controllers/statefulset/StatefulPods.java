package io.kardia.controllers.statefulset;

import io.kardia.controllers.history.ControllerRevisions;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ResourceTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A StatefulSet pod's identity and storage, as kube's {@code stateful_set_utils}: the name
 * {@code <set>-<ordinal>}, hostname and subdomain, the pod-name and pod-index labels, the revision
 * label, and one PersistentVolumeClaim {@code <template>-<set>-<ordinal>} per volume claim template
 * mounted as the template's volume.
 */
final class StatefulPods {
    /** {@code StatefulSetPodNameLabel}. */
    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    /** {@code PodIndexLabel}. */
    static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    private static final Pattern ORDINAL = Pattern.compile("(.*)-([0-9]+)$");

    private StatefulPods() {
    }

    static String podName(GenericObject set, int ordinal) {
        return set.metadata().name() + "-" + ordinal;
    }

    /** {@code getOrdinal}: the ordinal in a pod's name when the name is {@code <set>-<n>}, else empty. */
    static OptionalInt ordinal(GenericObject set, Pod pod) {
        Matcher m = ORDINAL.matcher(pod.metadata().name());
        if (!m.matches() || !m.group(1).equals(set.metadata().name())) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(m.group(2)));
        } catch (NumberFormatException tooLong) {
            return OptionalInt.empty();
        }
    }

    static String claimName(GenericObject set, String templateName, int ordinal) {
        return templateName + "-" + set.metadata().name() + "-" + ordinal;
    }

    static String templateName(Map<String, Object> claimTemplate) {
        Object meta = claimTemplate.get("metadata");
        Object name = meta instanceof Map<?, ?> m ? m.get("name") : null;
        return name == null ? "" : name.toString();
    }

    /** The revision (its name) a pod was made from: its {@value ControllerRevisions#HASH_LABEL} label. */
    static String revisionOf(Pod pod) {
        return pod.metadata().labels().getOrDefault(ControllerRevisions.HASH_LABEL, "");
    }

    /**
     * {@code newVersionedStatefulSetPod}: the pod of {@code ordinal} from {@code revision}'s template,
     * with its identity, its claims as volumes, the revision label and a controller reference.
     */
    static Pod newPod(GenericObject set, StatefulSetSpec spec, GenericObject revision, int ordinal) {
        PodTemplateSpec template = ControllerRevisions.template(revision);
        ObjectMeta tm = template.metadata() == null ? ObjectMeta.builder().build() : template.metadata();
        String name = podName(set, ordinal);
        Map<String, String> labels = new LinkedHashMap<>(tm.labels());
        labels.put(POD_NAME_LABEL, name);
        labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
        labels.put(ControllerRevisions.HASH_LABEL, revision.metadata().name());
        ObjectMeta meta = ObjectMeta.builder()
                .namespace(set.metadata().namespace())
                .name(name)
                .labels(labels)
                .annotations(tm.annotations())
                .finalizers(tm.finalizers())
                .ownerReference(OwnerReference.controllerOf(set))
                .build();
        PodSpec ps = template.spec() == null ? PodSpec.builder().build() : template.spec();
        Map<String, Object> tree = new LinkedHashMap<>(io.kardia.core.json.Json.mapper().convertValue(ps,
                io.kardia.core.json.Json.mapper().getTypeFactory().constructMapType(Map.class, String.class, Object.class)));
        tree.put("hostname", name);
        if (spec.serviceName() != null && !spec.serviceName().isEmpty()) {
            tree.put("subdomain", spec.serviceName());
        }
        tree.put("volumes", volumes(tree.get("volumes"), set, spec, ordinal));
        return Pod.of(meta, io.kardia.core.json.Json.mapper().convertValue(tree, PodSpec.class));
    }

    /** The template's volumes with each claim template's volume replaced by (or added as) its claim. */
    private static List<Object> volumes(Object existing, GenericObject set, StatefulSetSpec spec, int ordinal) {
        Map<String, Object> byName = new LinkedHashMap<>();
        if (existing instanceof List<?> list) {
            for (Object v : list) {
                if (v instanceof Map<?, ?> m && m.get("name") != null) {
                    byName.put(m.get("name").toString(), v);
                }
            }
        }
        for (Map<String, Object> claim : spec.claimTemplates()) {
            String volume = templateName(claim);
            byName.put(volume, Map.of("name", volume,
                    "persistentVolumeClaim", Map.of("claimName", claimName(set, volume, ordinal))));
        }
        return new ArrayList<>(byName.values());
    }

    /**
     * The claim {@code <template>-<set>-<ordinal>} from a volume claim template: the template's
     * labels and annotations plus the set's selector labels, the template's spec; owner references
     * are set separately ({@link ClaimRetention}).
     */
    static GenericObject newClaim(GenericObject set, StatefulSetSpec spec, Map<String, Object> claimTemplate, int ordinal) {
        ObjectMeta tm = claimTemplate.get("metadata") == null ? ObjectMeta.builder().build()
                : io.kardia.core.json.Json.mapper().convertValue(claimTemplate.get("metadata"), ObjectMeta.class);
        Map<String, String> labels = new LinkedHashMap<>(tm.labels());
        if (spec.selector() != null) {
            labels.putAll(spec.selector().matchLabels());
        }
        ObjectMeta meta = ObjectMeta.builder()
                .namespace(set.metadata().namespace())
                .name(claimName(set, templateName(claimTemplate), ordinal))
                .labels(labels)
                .annotations(tm.annotations())
                .build();
        GenericObject claim = GenericObject.of(ResourceTypes.PERSISTENT_VOLUME_CLAIM, meta);
        Object claimSpec = claimTemplate.get("spec");
        return claimSpec == null ? claim : claim.with("spec", claimSpec);
    }
}
