package io.kardia.store.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The built-in kinds' defaults, as kube-apiserver fills them in when it decodes a request
 * (SetDefaults_Deployment, SetDefaults_ReplicaSet, SetDefaults_PodSpec, SetDefaults_Container...).
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
