package io.kardia.store.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/** The strategies of the built-in kinds and of custom resources, as in kube-apiserver. */
public final class Strategies {
    private static final KindStrategy DEFAULT = new KindStrategy() { };

    /** Status is owned by controllers: reset on create (Deployments, ReplicaSets, custom resources with /status). */
    private static final KindStrategy RESET_STATUS = new KindStrategy() {
        @Override
        public void prepareForCreate(ObjectNode object) {
            object.remove("status");
        }
    };

    private static final KindStrategy REPLICA_SET = new KindStrategy() {
        @Override
        public void applyDefaults(ObjectNode object) {
            Defaults.replicaSet(object);
        }

        @Override
        public void prepareForCreate(ObjectNode object) {
            object.remove("status");
        }
    };

    /** Deployments also bump generation on annotation changes (kube-apiserver's deploymentStrategy). */
    private static final KindStrategy DEPLOYMENT = new KindStrategy() {
        @Override
        public void applyDefaults(ObjectNode object) {
            Defaults.deployment(object);
        }

        @Override
        public void prepareForCreate(ObjectNode object) {
            object.remove("status");
        }

        @Override
        public boolean bumpsGeneration(ObjectNode updated, ObjectNode old, boolean hasStatus) {
            return KindStrategy.super.bumpsGeneration(updated, old, hasStatus)
                    || !updated.path("metadata").path("annotations").equals(old.path("metadata").path("annotations"));
        }
    };

    /** The spec finalizer of every namespace: the namespace controller removes it once the content is gone. */
    public static final String NAMESPACE_FINALIZER = "kubernetes";
    /** The finalizer of a deleted CRD: the CRD cleanup controller removes it once no custom object is left. */
    public static final String CRD_CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

    /** The namespaces kube-apiserver refuses to delete. */
    private static final Set<String> SYSTEM_NAMESPACES = Set.of("default", "kube-system", "kube-public");

    private static final KindStrategy NAMESPACE = new KindStrategy() {
        @Override
        public void prepareForCreate(ObjectNode object) {
            object.putObject("status").put("phase", "Active");
            // As kube-apiserver: every namespace waits for the namespace controller when deleted.
            ArrayNode finalizers = object.with("spec").withArray("finalizers");
            if (!containsText(finalizers, NAMESPACE_FINALIZER)) {
                finalizers.add(NAMESPACE_FINALIZER);
            }
        }

        /** As kube-apiserver: only the finalize subresource changes spec.finalizers. */
        @Override
        public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
            JsonNode kept = old.path("spec").get("finalizers");
            if (kept == null) {
                if (updated.get("spec") instanceof ObjectNode spec) {
                    spec.remove("finalizers");
                }
            } else {
                updated.with("spec").set("finalizers", kept.deepCopy());
            }
        }

        @Override
        public String deletionForbidden(String name) {
            return SYSTEM_NAMESPACES.contains(name) ? "this namespace may not be deleted" : null;
        }

        @Override
        public boolean keepsDeletedObject(JsonNode namespace) {
            return !namespace.path("spec").path("finalizers").isEmpty();
        }

        @Override
        public void prepareForDeletion(ObjectNode namespace, String now) {
            namespace.with("status").put("phase", "Terminating");
        }
    };

    /**
     * Secrets, as kube-apiserver: {@code stringData} is write-only input, merged into {@code data}
     * (base64 of its UTF-8 bytes; a key in both takes the stringData value) and never stored;
     * {@code type} defaults to Opaque.
     */
    private static final KindStrategy SECRET = new KindStrategy() {
        @Override
        public void applyDefaults(ObjectNode object) {
            JsonNode stringData = object.remove("stringData");
            if (stringData instanceof ObjectNode plain && !plain.isEmpty()) {
                ObjectNode data = object.get("data") instanceof ObjectNode d ? d : object.putObject("data");
                plain.fields().forEachRemaining(e -> data.put(e.getKey(), java.util.Base64.getEncoder()
                        .encodeToString(e.getValue().asText("").getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            }
            if (object.path("type").asText("").isEmpty()) {
                object.put("type", "Opaque");
            }
        }
    };

    /** Status owned by controllers, reset on create, with the kind's defaults. */
    private static KindStrategy defaultedWithResetStatus(java.util.function.Consumer<ObjectNode> defaults) {
        return new KindStrategy() {
            @Override
            public void applyDefaults(ObjectNode object) {
                defaults.accept(object);
            }

            @Override
            public void prepareForCreate(ObjectNode object) {
                object.remove("status");
            }
        };
    }

    /** A Service starts with an empty load balancer status; its addresses come from the store's allocation. */
    private static final KindStrategy SERVICE = new KindStrategy() {
        @Override
        public void applyDefaults(ObjectNode object) {
            Defaults.service(object);
        }

        @Override
        public void prepareForCreate(ObjectNode object) {
            object.putObject("status").putObject("loadBalancer");
        }
    };

    /** A PersistentVolumeClaim starts Pending (nothing binds it in the reference store). */
    private static final KindStrategy PERSISTENT_VOLUME_CLAIM = new KindStrategy() {
        @Override
        public void applyDefaults(ObjectNode object) {
            Defaults.persistentVolumeClaim(object);
        }

        @Override
        public void prepareForCreate(ObjectNode object) {
            object.putObject("status").put("phase", "Pending");
        }
    };

    private static final KindStrategy POD = new PodStrategy();
    private static final KindStrategy JOB = new JobStrategy();
    private static final KindStrategy CRD = new CrdStrategy();

    /**
     * The built-in kinds whose kube-apiserver strategy (kube 1.35) sets {@code metadata.generation}
     * to 1 on create and bumps it when the spec changes ({@link KindStrategy#tracksGeneration}).
     * Every other built-in kind (Services, ConfigMaps, Secrets, Namespaces, Nodes, PVCs...) has no
     * generation of its own. HorizontalPodAutoscalers get one only behind kube's newer
     * {@code HPAGeneration} feature gate, not followed here. Checked against kube's
     * pkg/registry strategies for Pods, PodTemplates (any template change), EndpointSlices,
     * HorizontalPodAutoscalers, the admission kinds, Ingresses, IngressClasses, DeviceClasses,
     * ResourceSlices and the policy bindings (spec changes; GenerationTrackingTest);
     * ResourceClaims, ResourceClaimTemplates and ServiceCIDRs have none.
     */
    static final Set<String> GENERATION_TRACKED = Set.of("pods", "podtemplates", "replicationcontrollers", "deployments.apps",
            "replicasets.apps", "statefulsets.apps", "daemonsets.apps", "jobs.batch", "cronjobs.batch",
            "poddisruptionbudgets.policy", "networkpolicies.networking.k8s.io", "ingresses.networking.k8s.io",
            "ingressclasses.networking.k8s.io", "endpointslices.discovery.k8s.io",
            "customresourcedefinitions.apiextensions.k8s.io",
            "validatingwebhookconfigurations.admissionregistration.k8s.io",
            "mutatingwebhookconfigurations.admissionregistration.k8s.io",
            "validatingadmissionpolicies.admissionregistration.k8s.io",
            "validatingadmissionpolicybindings.admissionregistration.k8s.io",
            "mutatingadmissionpolicies.admissionregistration.k8s.io",
            "mutatingadmissionpolicybindings.admissionregistration.k8s.io",
            "flowschemas.flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations.flowcontrol.apiserver.k8s.io",
            "deviceclasses.resource.k8s.io", "resourceslices.resource.k8s.io");

    private static final Map<String, KindStrategy> BUILT_IN = Map.ofEntries(
            Map.entry("pods", POD),
            Map.entry("deployments.apps", DEPLOYMENT),
            Map.entry("replicasets.apps", REPLICA_SET),
            Map.entry("namespaces", NAMESPACE),
            Map.entry("secrets", SECRET),
            Map.entry("customresourcedefinitions.apiextensions.k8s.io", CRD),
            Map.entry("services", SERVICE),
            Map.entry("persistentvolumeclaims", PERSISTENT_VOLUME_CLAIM),
            Map.entry("jobs.batch", JOB),
            Map.entry("cronjobs.batch", defaultedWithResetStatus(Defaults::cronJob)),
            Map.entry("statefulsets.apps", defaultedWithResetStatus(Defaults::statefulSet)),
            Map.entry("daemonsets.apps", defaultedWithResetStatus(Defaults::daemonSet)),
            Map.entry("poddisruptionbudgets.policy", defaultedWithResetStatus(o -> { })),
            Map.entry("ingresses.networking.k8s.io", defaultedWithResetStatus(o -> { })),
            // kube's strategy clears the status its type checker writes (status.typeChecking)
            Map.entry("validatingadmissionpolicies.admissionregistration.k8s.io", RESET_STATUS));

    private Strategies() {
    }

    /** The strategies of {@link #GENERATION_TRACKED}'s kinds, each made once. */
    private static final Map<String, KindStrategy> TRACKED = GENERATION_TRACKED.stream().collect(
            java.util.stream.Collectors.toUnmodifiableMap(gr -> gr, gr -> new GenerationTracked(BUILT_IN.getOrDefault(gr, DEFAULT))));

    public static KindStrategy forBuiltIn(String groupResource) {
        KindStrategy tracked = TRACKED.get(groupResource);
        return tracked != null ? tracked : BUILT_IN.getOrDefault(groupResource, DEFAULT);
    }

    private static final KindStrategy CUSTOM = new GenerationTracked(DEFAULT);
    private static final KindStrategy CUSTOM_WITH_STATUS = new GenerationTracked(RESET_STATUS);

    /**
     * Custom resources: with a status subresource, status is dropped on create. Generation is
     * always kept (apiextensions-apiserver bumps it on any change outside metadata, and status
     * when it is a subresource).
     */
    public static KindStrategy forCustom(boolean hasStatus) {
        return hasStatus ? CUSTOM_WITH_STATUS : CUSTOM;
    }

    /** A kind's strategy, for a kind that keeps {@code metadata.generation}. */
    private record GenerationTracked(KindStrategy kind) implements KindStrategy {
        @Override
        public boolean tracksGeneration() {
            return true;
        }

        @Override
        public void applyDefaults(ObjectNode object) {
            kind.applyDefaults(object);
        }

        @Override
        public void prepareForCreate(ObjectNode object) {
            kind.prepareForCreate(object);
        }

        @Override
        public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
            kind.prepareForUpdate(updated, old);
        }

        @Override
        public boolean bumpsGeneration(ObjectNode updated, ObjectNode old, boolean hasStatus) {
            return kind.bumpsGeneration(updated, old, hasStatus);
        }

        @Override
        public String deletionForbidden(String name) {
            return kind.deletionForbidden(name);
        }

        @Override
        public boolean keepsDeletedObject(JsonNode object) {
            return kind.keepsDeletedObject(object);
        }

        @Override
        public String cleanupFinalizer() {
            return kind.cleanupFinalizer();
        }

        @Override
        public void prepareForDeletion(ObjectNode object, String now) {
            kind.prepareForDeletion(object, now);
        }

        @Override
        public long gracePeriodSeconds(JsonNode object, Long requested) {
            return kind.gracePeriodSeconds(object, requested);
        }
    }

    /**
     * Jobs, as kube-apiserver's jobStrategy: status reset on create and, unless the Job asks for a
     * manual selector, a selector on its uid and the labels that go with it on its pod template
     * ({@code batch.kubernetes.io/controller-uid}, {@code batch.kubernetes.io/job-name} and their
     * legacy forms {@code controller-uid}, {@code job-name}).
     */
    private static final class JobStrategy implements KindStrategy {
        static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
        static final String JOB_NAME = "batch.kubernetes.io/job-name";

        @Override
        public void applyDefaults(ObjectNode object) {
            Defaults.job(object);
        }

        @Override
        public void prepareForCreate(ObjectNode object) {
            object.remove("status");
            if (!(object.get("spec") instanceof ObjectNode spec) || spec.path("manualSelector").asBoolean(false)) {
                return;
            }
            String uid = object.path("metadata").path("uid").asText();
            String name = object.path("metadata").path("name").asText();
            ObjectNode labels = spec.with("template").with("metadata").with("labels");
            for (String key : new String[] {"job-name", JOB_NAME}) {
                if (!labels.has(key)) {
                    labels.put(key, name);
                }
            }
            for (String key : new String[] {"controller-uid", CONTROLLER_UID}) {
                if (!labels.has(key)) {
                    labels.put(key, uid);
                }
            }
            ObjectNode matchLabels = spec.with("selector").with("matchLabels");
            if (!matchLabels.has(CONTROLLER_UID)) {
                matchLabels.put(CONTROLLER_UID, uid);
            }
        }
    }

    /** Pods start Pending with their QoS class; bound pods are deleted gracefully. */
    private static final class PodStrategy implements KindStrategy {
        @Override
        public void applyDefaults(ObjectNode object) {
            Defaults.pod(object);
        }

        @Override
        public void prepareForCreate(ObjectNode object) {
            ObjectNode status = object.putObject("status");
            status.put("phase", "Pending");
            status.put("qosClass", qosClass(object.path("spec")));
        }

        @Override
        public long gracePeriodSeconds(JsonNode pod, Long requested) {
            String phase = pod.path("status").path("phase").asText("");
            if (pod.path("spec").path("nodeName").asText("").isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")) {
                return 0;
            }
            if (requested != null) {
                return Math.max(0, requested);
            }
            JsonNode spec = pod.path("spec").path("terminationGracePeriodSeconds");
            return spec.isNumber() ? Math.max(0, spec.asLong()) : 30;
        }

        static String qosClass(JsonNode spec) {
            boolean any = false;
            boolean guaranteed = true;
            for (String list : new String[] {"containers", "initContainers"}) {
                for (JsonNode c : spec.path(list)) {
                    JsonNode req = c.path("resources").path("requests");
                    JsonNode lim = c.path("resources").path("limits");
                    any |= !req.isEmpty() || !lim.isEmpty();
                    for (String r : new String[] {"cpu", "memory"}) {
                        JsonNode l = lim.path(r);
                        JsonNode q = req.path(r);
                        if (l.isMissingNode() || (!q.isMissingNode() && !q.asText().equals(l.asText()))) {
                            guaranteed = false;
                        }
                    }
                }
            }
            return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
        }
    }

    /** A CRD is accepted and established at once (there is no separate controller to do it). */
    private static boolean containsText(JsonNode array, String text) {
        for (JsonNode n : array) {
            if (n.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    private static final class CrdStrategy implements KindStrategy {
        @Override
        public String cleanupFinalizer() {
            return CRD_CLEANUP_FINALIZER;
        }

        /** As apiextensions-apiserver: a Terminating condition says the instances go first. */
        @Override
        public void prepareForDeletion(ObjectNode crd, String now) {
            ArrayNode conditions = crd.with("status").withArray("conditions");
            for (int i = conditions.size() - 1; i >= 0; i--) {
                if ("Terminating".equals(conditions.get(i).path("type").asText())) {
                    conditions.remove(i);
                }
            }
            conditions.addObject().put("type", "Terminating").put("status", "True").put("lastTransitionTime", now)
                    .put("reason", "InstanceDeletionPending")
                    .put("message", "CustomResourceDefinition marked for deletion; instance deletion pending");
        }

        @Override
        public void prepareForCreate(ObjectNode crd) {
            ObjectNode status = crd.putObject("status");
            status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
            ArrayNode conditions = status.putArray("conditions");
            String now = crd.path("metadata").path("creationTimestamp").asText("");
            for (String type : new String[] {"NamesAccepted", "Established"}) {
                ObjectNode c = conditions.addObject();
                c.put("type", type).put("status", "True").put("lastTransitionTime", now)
                        .put("reason", type.equals("Established") ? "InitialNamesAccepted" : "NoConflicts")
                        .put("message", type.equals("Established") ? "the initial names have been accepted"
                                : "no conflicts found");
            }
            ArrayNode stored = status.putArray("storedVersions");
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("storage").asBoolean(false)) {
                    stored.add(v.path("name").asText());
                }
            }
        }
    }
}
