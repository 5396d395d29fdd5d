package io.kardia.store.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The built-in kinds' defaults, as kube-apiserver fills them in when it decodes a request
 * (SetDefaults_Deployment, SetDefaults_ReplicaSet, SetDefaults_PodSpec, SetDefaults_Container,
 * SetDefaults_Service, SetDefaults_Job, SetDefaults_CronJob, SetDefaults_StatefulSet,
 * SetDefaults_DaemonSet...).
 * Applied to every create and update body, so clients and controllers can rely on the fields.
 */
final class Defaults {
    private Defaults() {
    }

    static void deployment(ObjectNode object) {
        ObjectNode spec = objectAt(object, "spec");
        if (spec == null) {
            return;
        }
        putIfAbsent(spec, "replicas", 1);
        ObjectNode strategy = spec.has("strategy") && spec.get("strategy").isObject()
                ? (ObjectNode) spec.get("strategy") : spec.putObject("strategy");
        if (!strategy.hasNonNull("type")) {
            strategy.put("type", "RollingUpdate");
        }
        if (strategy.path("type").asText().equals("RollingUpdate")) {
            ObjectNode ru = strategy.has("rollingUpdate") && strategy.get("rollingUpdate").isObject()
                    ? (ObjectNode) strategy.get("rollingUpdate") : strategy.putObject("rollingUpdate");
            if (!ru.hasNonNull("maxUnavailable")) {
                ru.put("maxUnavailable", "25%");
            }
            if (!ru.hasNonNull("maxSurge")) {
                ru.put("maxSurge", "25%");
            }
        }
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        putIfAbsent(spec, "progressDeadlineSeconds", 600);
        podTemplate(spec);
    }

    static void replicaSet(ObjectNode object) {
        ObjectNode spec = objectAt(object, "spec");
        if (spec == null) {
            return;
        }
        putIfAbsent(spec, "replicas", 1);
        podTemplate(spec);
    }

    static void pod(ObjectNode object) {
        ObjectNode spec = objectAt(object, "spec");
        if (spec != null) {
            podSpec(spec);
        }
    }

    /**
     * SetDefaults_Service: type ClusterIP, sessionAffinity None, port protocol TCP, targetPort the
     * port, internalTrafficPolicy Cluster (not for ExternalName), externalTrafficPolicy Cluster and
     * allocateLoadBalancerNodePorts for NodePort/LoadBalancer. IP families come with the cluster IP
     * (see the store's service allocation).
     */
    static void service(ObjectNode object) {
        ObjectNode spec = objectAt(object, "spec");
        if (spec == null) {
            return;
        }
        putIfAbsent(spec, "type", "ClusterIP");
        String type = spec.path("type").asText();
        putIfAbsent(spec, "sessionAffinity", "None");
        for (JsonNode p : spec.path("ports")) {
            if (p instanceof ObjectNode port) {
                putIfAbsent(port, "protocol", "TCP");
                JsonNode target = port.get("targetPort");
                if (target == null || target.isNull() || (target.isInt() && target.asInt() == 0)
                        || (target.isTextual() && target.asText().isEmpty())) {
                    port.set("targetPort", port.path("port").deepCopy());
                }
            }
        }
        if (!type.equals("ExternalName")) {
            putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
        }
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            putIfAbsent(spec, "externalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer") && !spec.hasNonNull("allocateLoadBalancerNodePorts")) {
            spec.put("allocateLoadBalancerNodePorts", true);
        }
    }

    /**
     * SetDefaults_Job: completions and parallelism 1 when neither is set (parallelism 1 when only
     * completions is), backoffLimit 6, completionMode NonIndexed, suspend false,
     * podReplacementPolicy TerminatingOrFailed without a podFailurePolicy; the pod template's defaults.
     */
    static void job(ObjectNode object) {
        ObjectNode spec = objectAt(object, "spec");
        if (spec == null) {
            return;
        }
        // As SetDefaults_Job: a Job without labels takes its pod template's.
        JsonNode templateLabels = spec.path("template").path("metadata").path("labels");
        ObjectNode meta = objectAt(object, "metadata");
        if (meta != null && templateLabels.isObject() && !templateLabels.isEmpty() && meta.path("labels").isEmpty()) {
            meta.set("labels", templateLabels.deepCopy());
        }
        jobSpec(spec);
    }

    private static void jobSpec(ObjectNode spec) {
        if (!spec.hasNonNull("completions") && !spec.hasNonNull("parallelism")) {
            spec.put("completions", 1);
            spec.put("parallelism", 1);
        }
        putIfAbsent(spec, "parallelism", 1);
        putIfAbsent(spec, "backoffLimit", 6);
        putIfAbsent(spec, "completionMode", "NonIndexed");
        if (!spec.hasNonNull("suspend")) {
            spec.put("suspend", false);
        }
        if (!spec.hasNonNull("podFailurePolicy")) {
            putIfAbsent(spec, "podReplacementPolicy", "TerminatingOrFailed");
        }
        podTemplate(spec);
    }

    /** SetDefaults_CronJob: concurrencyPolicy Allow, suspend false, history limits 3 and 1; the job template's defaults. */
    static void cronJob(ObjectNode object) {
        ObjectNode spec = objectAt(object, "spec");
        if (spec == null) {
            return;
        }
        putIfAbsent(spec, "concurrencyPolicy", "Allow");
        if (!spec.hasNonNull("suspend")) {
            spec.put("suspend", false);
        }
        putIfAbsent(spec, "successfulJobsHistoryLimit", 3);
        putIfAbsent(spec, "failedJobsHistoryLimit", 1);
        ObjectNode jobTemplate = objectAt(spec, "jobTemplate");
        ObjectNode jobSpec = jobTemplate == null ? null : objectAt(jobTemplate, "spec");
        if (jobSpec != null) {
            // As kube-apiserver: the nested pod template is defaulted, the job fields when the Job is made.
            podTemplate(jobSpec);
        }
    }

    /**
     * SetDefaults_StatefulSet: replicas 1, podManagementPolicy OrderedReady, updateStrategy
     * RollingUpdate with partition 0, revisionHistoryLimit 10, persistentVolumeClaimRetentionPolicy
     * Retain/Retain, volumeClaimTemplates in Filesystem mode and Pending (as kube-apiserver, which
     * defaults the nested claims too); the pod template's defaults.
     */
    static void statefulSet(ObjectNode object) {
        ObjectNode spec = objectAt(object, "spec");
        if (spec == null) {
            return;
        }
        putIfAbsent(spec, "replicas", 1);
        putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = objectOrNew(spec, "updateStrategy");
        putIfAbsent(strategy, "type", "RollingUpdate");
        if (strategy.path("type").asText().equals("RollingUpdate")) {
            putIfAbsent(objectOrNew(strategy, "rollingUpdate"), "partition", 0);
        }
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        ObjectNode retention = objectOrNew(spec, "persistentVolumeClaimRetentionPolicy");
        putIfAbsent(retention, "whenDeleted", "Retain");
        putIfAbsent(retention, "whenScaled", "Retain");
        for (JsonNode t : spec.path("volumeClaimTemplates")) {
            if (t instanceof ObjectNode claim) {
                persistentVolumeClaim(claim);
                putIfAbsent(objectOrNew(claim, "status"), "phase", "Pending");
            }
        }
        podTemplate(spec);
    }

    /** SetDefaults_DaemonSet: updateStrategy RollingUpdate with maxUnavailable 1 and maxSurge 0, revisionHistoryLimit 10. */
    static void daemonSet(ObjectNode object) {
        ObjectNode spec = objectAt(object, "spec");
        if (spec == null) {
            return;
        }
        ObjectNode strategy = objectOrNew(spec, "updateStrategy");
        putIfAbsent(strategy, "type", "RollingUpdate");
        if (strategy.path("type").asText().equals("RollingUpdate")) {
            ObjectNode ru = objectOrNew(strategy, "rollingUpdate");
            putIfAbsent(ru, "maxUnavailable", 1);
            putIfAbsent(ru, "maxSurge", 0);
        }
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        podTemplate(spec);
    }

    /** SetDefaults_PersistentVolumeClaim: volumeMode Filesystem; status phase Pending on create. */
    static void persistentVolumeClaim(ObjectNode object) {
        ObjectNode spec = objectAt(object, "spec");
        if (spec != null) {
            putIfAbsent(spec, "volumeMode", "Filesystem");
        }
    }

    private static ObjectNode objectOrNew(ObjectNode parent, String field) {
        ObjectNode o = objectAt(parent, field);
        return o != null ? o : parent.putObject(field);
    }

    private static void podTemplate(ObjectNode workloadSpec) {
        ObjectNode template = objectAt(workloadSpec, "template");
        ObjectNode podSpec = template == null ? null : objectAt(template, "spec");
        if (podSpec != null) {
            podSpec(podSpec);
        }
    }

    private static void podSpec(ObjectNode spec) {
        putIfAbsent(spec, "restartPolicy", "Always");
        putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        putIfAbsent(spec, "terminationGracePeriodSeconds", 30);
        putIfAbsent(spec, "schedulerName", "default-scheduler");
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : spec.path(list)) {
                if (c instanceof ObjectNode container) {
                    container(container);
                }
            }
        }
    }

    private static void container(ObjectNode c) {
        if (!c.hasNonNull("imagePullPolicy")) {
            c.put("imagePullPolicy", pullPolicyFor(c.path("image").asText("")));
        }
        putIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
        putIfAbsent(c, "terminationMessagePolicy", "File");
        for (JsonNode p : c.path("ports")) {
            if (p instanceof ObjectNode port) {
                putIfAbsent(port, "protocol", "TCP");
            }
        }
    }

    /** Always for ":latest" or no tag, IfNotPresent for any other tag or a digest. */
    static String pullPolicyFor(String image) {
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) {
            return "Always";
        }
        return image.substring(colon + 1).equals("latest") ? "Always" : "IfNotPresent";
    }

    private static ObjectNode objectAt(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        return n instanceof ObjectNode o ? o : null;
    }

    private static void putIfAbsent(ObjectNode node, String field, int value) {
        if (!node.hasNonNull(field)) {
            node.put(field, value);
        }
    }

    private static void putIfAbsent(ObjectNode node, String field, String value) {
        if (!node.hasNonNull(field)) {
            node.put(field, value);
        }
    }
}
