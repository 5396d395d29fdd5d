package io.kardia.store.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.Json;
import io.kardia.core.model.Status;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HorizontalPodAutoscaler between {@code autoscaling/v1} and {@code autoscaling/v2} (the storage
 * version), as kube-apiserver's {@code pkg/apis/autoscaling/v1} conversion does it. v1 has only a
 * CPU utilization target; what v2 has beyond it travels in annotations so that a v1 client that
 * reads an object and writes it back loses nothing:
 * <ul>
 *   <li>{@value #METRICS}: the spec's metrics other than the CPU utilization one, in v1's
 *       (v2beta1-shaped) MetricSpec form;</li>
 *   <li>{@value #CURRENT_METRICS}: the status's current metrics, in v1's MetricStatus form;</li>
 *   <li>{@value #CONDITIONS}: the status's conditions;</li>
 *   <li>{@value #BEHAVIOR}: the spec's behavior, with Go's field names ({@code ScaleUp},
 *       {@code StabilizationWindowSeconds}...), because kube marshals its internal type there.</li>
 * </ul>
 * A v1 object without a CPU target and without other metrics gets kube's implicit 80% CPU target.
 * The annotations never reach storage: a write in either version drops them, as kube does.
 */
final class HorizontalPodAutoscalerConversion implements VersionConverter {
    static final String METRICS = "autoscaling.alpha.kubernetes.io/metrics";
    static final String CURRENT_METRICS = "autoscaling.alpha.kubernetes.io/current-metrics";
    static final String CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";
    static final String BEHAVIOR = "autoscaling.alpha.kubernetes.io/behavior";
    /** Written by the v2beta2 conversion; dropped here like the others. */
    private static final List<String> ROUND_TRIP = List.of(METRICS, CURRENT_METRICS, CONDITIONS, BEHAVIOR,
            "autoscaling.alpha.kubernetes.io/scale-down-tolerance", "autoscaling.alpha.kubernetes.io/scale-up-tolerance");
    static final int DEFAULT_CPU_UTILIZATION = 80;
    private static final String GROUP = "autoscaling/";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Override
    public ObjectNode convert(ObjectNode object, String toVersion) {
        String apiVersion = object.path("apiVersion").asText("");
        String from = apiVersion.startsWith(GROUP) ? apiVersion.substring(GROUP.length()) : apiVersion;
        checkVersion(from);
        checkVersion(toVersion);
        ObjectNode v2 = from.equals("v1") ? v1ToV2(object) : withoutRoundTripAnnotations(object.deepCopy());
        v2.put("apiVersion", GROUP + "v2");
        return toVersion.equals("v2") ? v2 : v2ToV1(v2);
    }

    private static void checkVersion(String version) {
        if (!version.equals("v1") && !version.equals("v2")) {
            throw KubeApiException.of(Status.badRequest("no conversion of HorizontalPodAutoscaler from or to version \""
                    + version + "\"; served versions are autoscaling/v2 and autoscaling/v1"));
        }
    }

    // ------------------------------------------------------------------ v1 -> v2

    private static ObjectNode v1ToV2(ObjectNode in) {
        ObjectNode out = in.deepCopy();
        JsonNode annotations = in.path("metadata").path("annotations");
        JsonNode spec = in.path("spec");
        ObjectNode outSpec = F.objectNode();
        copy(spec, "scaleTargetRef", outSpec, "scaleTargetRef");
        copy(spec, "minReplicas", outSpec, "minReplicas");
        copy(spec, "maxReplicas", outSpec, "maxReplicas");
        ArrayNode metrics = outSpec.putArray("metrics");
        JsonNode others = annotationJson(annotations, METRICS);
        if (others != null && others.isArray()) {
            others.forEach(m -> metrics.add(metricSpecToV2(m)));
        }
        if (present(spec, "targetCPUUtilizationPercentage")) {
            metrics.add(cpuUtilization(spec.get("targetCPUUtilizationPercentage")));
        }
        if (metrics.isEmpty()) {
            // v1 had an implicit target the controller applied; v2 makes it explicit
            metrics.add(cpuUtilization(F.numberNode(DEFAULT_CPU_UTILIZATION)));
        }
        JsonNode behavior = annotationJson(annotations, BEHAVIOR);
        if (behavior != null && behavior.isObject()) {
            ObjectNode b = behaviorFromGo(behavior);
            if (!b.isEmpty()) {
                outSpec.set("behavior", b);
            }
        }
        out.set("spec", outSpec);
        if (in.has("status")) {
            out.set("status", statusToV2(in.path("status"), annotations));
        }
        return withoutRoundTripAnnotations(out);
    }

    private static ObjectNode statusToV2(JsonNode status, JsonNode annotations) {
        ObjectNode out = F.objectNode();
        for (String f : List.of("observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas")) {
            copy(status, f, out, f);
        }
        JsonNode current = annotationJson(annotations, CURRENT_METRICS);
        if (current != null && current.isArray()) {
            // the annotation has more than the CPU percentage (the raw value too): it wins
            ArrayNode cm = out.putArray("currentMetrics");
            current.forEach(m -> cm.add(metricStatusToV2(m)));
        } else if (present(status, "currentCPUUtilizationPercentage")) {
            ObjectNode m = out.putArray("currentMetrics").addObject();
            m.put("type", "Resource");
            ObjectNode r = m.putObject("resource");
            r.put("name", "cpu");
            r.putObject("current").set("averageUtilization", status.get("currentCPUUtilizationPercentage"));
        }
        JsonNode conditions = annotationJson(annotations, CONDITIONS);
        if (conditions != null && conditions.isArray()) {
            out.set("conditions", conditions);
        }
        return out;
    }

    private static ObjectNode cpuUtilization(JsonNode percentage) {
        ObjectNode m = F.objectNode();
        m.put("type", "Resource");
        ObjectNode r = m.putObject("resource");
        r.put("name", "cpu");
        ObjectNode target = r.putObject("target");
        target.put("type", "Utilization");
        target.set("averageUtilization", percentage);
        return m;
    }

    private static ObjectNode metricSpecToV2(JsonNode m) {
        ObjectNode out = F.objectNode();
        copy(m, "type", out, "type");
        if (present(m, "object")) {
            JsonNode o = m.get("object");
            ObjectNode v = out.putObject("object");
            v.set("describedObject", reference(o.path("target")));
            ObjectNode target = v.putObject("target");
            target.put("type", present(o, "averageValue") ? "AverageValue" : "Value");
            target.set("value", quantityOrZero(o, "targetValue"));
            copy(o, "averageValue", target, "averageValue");
            v.set("metric", identifier(o, "metricName", "selector"));
        }
        if (present(m, "pods")) {
            JsonNode p = m.get("pods");
            ObjectNode v = out.putObject("pods");
            v.set("metric", identifier(p, "metricName", "selector"));
            ObjectNode target = v.putObject("target");
            target.put("type", "AverageValue");
            target.set("averageValue", quantityOrZero(p, "targetAverageValue"));
        }
        for (String key : List.of("resource", "containerResource")) {
            if (present(m, key)) {
                JsonNode r = m.get(key);
                ObjectNode v = out.putObject(key);
                v.set("name", r.path("name").isMissingNode() ? F.textNode("") : r.get("name"));
                ObjectNode target = v.putObject("target");
                target.put("type", present(r, "targetAverageUtilization") ? "Utilization" : "AverageValue");
                copy(r, "targetAverageValue", target, "averageValue");
                copy(r, "targetAverageUtilization", target, "averageUtilization");
                if (key.equals("containerResource")) {
                    v.set("container", textOrEmpty(r, "container"));
                }
            }
        }
        if (present(m, "external")) {
            JsonNode e = m.get("external");
            ObjectNode v = out.putObject("external");
            v.set("metric", identifier(e, "metricName", "metricSelector"));
            ObjectNode target = v.putObject("target");
            target.put("type", present(e, "targetValue") ? "Value" : "AverageValue");
            copy(e, "targetValue", target, "value");
            copy(e, "targetAverageValue", target, "averageValue");
        }
        return out;
    }

    private static ObjectNode metricStatusToV2(JsonNode m) {
        ObjectNode out = F.objectNode();
        copy(m, "type", out, "type");
        if (present(m, "object")) {
            JsonNode o = m.get("object");
            ObjectNode v = out.putObject("object");
            v.set("metric", identifier(o, "metricName", "selector"));
            ObjectNode current = v.putObject("current");
            current.set("value", quantityOrZero(o, "currentValue"));
            copy(o, "averageValue", current, "averageValue");
            v.set("describedObject", reference(o.path("target")));
        }
        if (present(m, "pods")) {
            JsonNode p = m.get("pods");
            ObjectNode v = out.putObject("pods");
            v.set("metric", identifier(p, "metricName", "selector"));
            v.putObject("current").set("averageValue", quantityOrZero(p, "currentAverageValue"));
        }
        for (String key : List.of("resource", "containerResource")) {
            if (present(m, key)) {
                JsonNode r = m.get(key);
                ObjectNode v = out.putObject(key);
                v.set("name", textOrEmpty(r, "name"));
                ObjectNode current = v.putObject("current");
                current.set("averageValue", quantityOrZero(r, "currentAverageValue"));
                copy(r, "currentAverageUtilization", current, "averageUtilization");
                if (key.equals("containerResource")) {
                    v.set("container", textOrEmpty(r, "container"));
                }
            }
        }
        if (present(m, "external")) {
            JsonNode e = m.get("external");
            ObjectNode v = out.putObject("external");
            v.set("metric", identifier(e, "metricName", "metricSelector"));
            ObjectNode current = v.putObject("current");
            current.set("value", quantityOrZero(e, "currentValue"));
            copy(e, "currentAverageValue", current, "averageValue");
        }
        return out;
    }

    /** kube's internal behavior type has no JSON tags: its Go field names, read case-insensitively as Go does. */
    private static ObjectNode behaviorFromGo(JsonNode go) {
        ObjectNode out = F.objectNode();
        for (String rules : List.of("scaleUp", "scaleDown")) {
            JsonNode r = field(go, rules);
            if (r != null && r.isObject()) {
                ObjectNode v = out.putObject(rules);
                for (String f : List.of("stabilizationWindowSeconds", "selectPolicy", "tolerance")) {
                    JsonNode x = field(r, f);
                    if (x != null && !x.isNull()) {
                        v.set(f, x);
                    }
                }
                JsonNode policies = field(r, "policies");
                if (policies != null && policies.isArray()) {
                    ArrayNode ps = v.putArray("policies");
                    for (JsonNode p : policies) {
                        ObjectNode np = ps.addObject();
                        for (String f : List.of("type", "value", "periodSeconds")) {
                            JsonNode x = field(p, f);
                            if (x != null && !x.isNull()) {
                                np.set(f, x);
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ v2 -> v1

    private static ObjectNode v2ToV1(ObjectNode v2) {
        ObjectNode out = v2.deepCopy();
        out.put("apiVersion", GROUP + "v1");
        JsonNode spec = v2.path("spec");
        ObjectNode outSpec = F.objectNode();
        copy(spec, "scaleTargetRef", outSpec, "scaleTargetRef");
        copy(spec, "minReplicas", outSpec, "minReplicas");
        copy(spec, "maxReplicas", outSpec, "maxReplicas");
        ArrayNode others = F.arrayNode();
        boolean cpuSeen = false;
        for (JsonNode m : spec.path("metrics")) {
            boolean cpu = isCpu(m);
            JsonNode utilization = m.path("resource").path("target").path("averageUtilization");
            if (cpu && !cpuSeen) {
                cpuSeen = true; // kube takes the first CPU resource metric as v1's target
                if (!utilization.isMissingNode() && !utilization.isNull()) {
                    outSpec.set("targetCPUUtilizationPercentage", utilization);
                }
            }
            if (!(cpu && !utilization.isMissingNode() && !utilization.isNull())) {
                others.add(metricSpecToV1(m));
            }
        }
        out.set("spec", outSpec);
        ObjectNode annotations = F.objectNode();
        if (!others.isEmpty()) {
            annotations.put(METRICS, Json.toString(others));
        }
        JsonNode behavior = spec.get("behavior");
        if (behavior != null && behavior.isObject()) {
            annotations.put(BEHAVIOR, Json.toString(behaviorToGo(behavior)));
        }
        if (v2.has("status")) {
            JsonNode status = v2.path("status");
            ObjectNode outStatus = F.objectNode();
            for (String f : List.of("observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas")) {
                copy(status, f, outStatus, f);
            }
            ArrayNode current = F.arrayNode();
            for (JsonNode m : status.path("currentMetrics")) {
                JsonNode utilization = m.path("resource").path("current").path("averageUtilization");
                if (isCpu(m) && !utilization.isMissingNode() && !utilization.isNull()) {
                    outStatus.set("currentCPUUtilizationPercentage", utilization);
                }
                current.add(metricStatusToV1(m));
            }
            if (!current.isEmpty()) {
                // all of them, the CPU one too: the annotation keeps its raw value as well
                annotations.put(CURRENT_METRICS, Json.toString(current));
            }
            JsonNode conditions = status.path("conditions");
            if (conditions.isArray() && !conditions.isEmpty()) {
                annotations.put(CONDITIONS, Json.toString(conditions));
            }
            out.set("status", outStatus);
        }
        if (!annotations.isEmpty()) {
            JsonNode meta = out.get("metadata");
            ObjectNode m = meta instanceof ObjectNode o ? o : out.putObject("metadata");
            JsonNode existing = m.get("annotations");
            ObjectNode a = existing instanceof ObjectNode o ? o : m.putObject("annotations");
            a.setAll(annotations);
        }
        return out;
    }

    private static boolean isCpu(JsonNode m) {
        return m.path("type").asText("").equals("Resource") && m.path("resource").path("name").asText("").equals("cpu");
    }

    private static ObjectNode metricSpecToV1(JsonNode m) {
        ObjectNode out = F.objectNode();
        copy(m, "type", out, "type");
        if (present(m, "object")) {
            JsonNode o = m.get("object");
            ObjectNode v = out.putObject("object");
            v.set("target", reference(o.path("describedObject")));
            v.set("metricName", textOrEmpty(o.path("metric"), "name"));
            v.set("targetValue", quantityOrZero(o.path("target"), "value"));
            copy(o.path("metric"), "selector", v, "selector");
            copy(o.path("target"), "averageValue", v, "averageValue");
        }
        if (present(m, "pods")) {
            JsonNode p = m.get("pods");
            ObjectNode v = out.putObject("pods");
            v.set("metricName", textOrEmpty(p.path("metric"), "name"));
            v.set("targetAverageValue", quantityOrZero(p.path("target"), "averageValue"));
            copy(p.path("metric"), "selector", v, "selector");
        }
        for (String key : List.of("resource", "containerResource")) {
            if (present(m, key)) {
                JsonNode r = m.get(key);
                ObjectNode v = out.putObject(key);
                v.set("name", textOrEmpty(r, "name"));
                copy(r.path("target"), "averageUtilization", v, "targetAverageUtilization");
                copy(r.path("target"), "averageValue", v, "targetAverageValue");
                if (key.equals("containerResource")) {
                    v.set("container", textOrEmpty(r, "container"));
                }
            }
        }
        if (present(m, "external")) {
            JsonNode e = m.get("external");
            ObjectNode v = out.putObject("external");
            v.set("metricName", textOrEmpty(e.path("metric"), "name"));
            copy(e.path("metric"), "selector", v, "metricSelector");
            copy(e.path("target"), "value", v, "targetValue");
            copy(e.path("target"), "averageValue", v, "targetAverageValue");
        }
        return out;
    }

    private static ObjectNode metricStatusToV1(JsonNode m) {
        ObjectNode out = F.objectNode();
        copy(m, "type", out, "type");
        if (present(m, "object")) {
            JsonNode o = m.get("object");
            ObjectNode v = out.putObject("object");
            v.set("target", reference(o.path("describedObject")));
            v.set("metricName", textOrEmpty(o.path("metric"), "name"));
            v.set("currentValue", quantityOrZero(o.path("current"), "value"));
            copy(o.path("metric"), "selector", v, "selector");
            copy(o.path("current"), "averageValue", v, "averageValue");
        }
        if (present(m, "pods")) {
            JsonNode p = m.get("pods");
            ObjectNode v = out.putObject("pods");
            v.set("metricName", textOrEmpty(p.path("metric"), "name"));
            v.set("currentAverageValue", quantityOrZero(p.path("current"), "averageValue"));
            copy(p.path("metric"), "selector", v, "selector");
        }
        for (String key : List.of("resource", "containerResource")) {
            if (present(m, key)) {
                JsonNode r = m.get(key);
                ObjectNode v = out.putObject(key);
                v.set("name", textOrEmpty(r, "name"));
                copy(r.path("current"), "averageUtilization", v, "currentAverageUtilization");
                v.set("currentAverageValue", quantityOrZero(r.path("current"), "averageValue"));
                if (key.equals("containerResource")) {
                    v.set("container", textOrEmpty(r, "container"));
                }
            }
        }
        if (present(m, "external")) {
            JsonNode e = m.get("external");
            ObjectNode v = out.putObject("external");
            v.set("metricName", textOrEmpty(e.path("metric"), "name"));
            copy(e.path("metric"), "selector", v, "metricSelector");
            v.set("currentValue", quantityOrZero(e.path("current"), "value"));
            copy(e.path("current"), "averageValue", v, "currentAverageValue");
        }
        return out;
    }

    /** As Go marshals kube's internal behavior type: every field, in declaration order, nil as null. */
    private static ObjectNode behaviorToGo(JsonNode behavior) {
        ObjectNode out = F.objectNode();
        for (String rules : List.of("scaleUp", "scaleDown")) {
            JsonNode r = behavior.get(rules);
            String goName = goName(rules);
            if (r == null || !r.isObject()) {
                out.putNull(goName);
                continue;
            }
            ObjectNode v = out.putObject(goName);
            for (String f : List.of("stabilizationWindowSeconds", "selectPolicy")) {
                v.set(goName(f), r.hasNonNull(f) ? r.get(f) : F.nullNode());
            }
            JsonNode policies = r.get("policies");
            if (policies != null && policies.isArray()) {
                ArrayNode ps = v.putArray("Policies");
                for (JsonNode p : policies) {
                    ObjectNode np = ps.addObject();
                    np.set("Type", p.hasNonNull("type") ? p.get("type") : F.textNode(""));
                    np.set("Value", p.hasNonNull("value") ? p.get("value") : F.numberNode(0));
                    np.set("PeriodSeconds", p.hasNonNull("periodSeconds") ? p.get("periodSeconds") : F.numberNode(0));
                }
            } else {
                v.putNull("Policies");
            }
            v.set("Tolerance", r.hasNonNull("tolerance") ? r.get("tolerance") : F.nullNode());
        }
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private static ObjectNode withoutRoundTripAnnotations(ObjectNode obj) {
        if (obj.path("metadata").get("annotations") instanceof ObjectNode a) {
            ROUND_TRIP.forEach(a::remove);
            if (a.isEmpty()) {
                ((ObjectNode) obj.get("metadata")).remove("annotations");
            }
        }
        return obj;
    }

    /** An annotation's value parsed as JSON; null when absent or not JSON (kube moves only well-formed data). */
    private static JsonNode annotationJson(JsonNode annotations, String key) {
        JsonNode v = annotations.get(key);
        if (v == null || !v.isTextual()) {
            return null;
        }
        try {
            return Json.tree(v.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static ObjectNode reference(JsonNode ref) {
        ObjectNode out = F.objectNode();
        out.set("kind", textOrEmpty(ref, "kind"));
        out.set("name", textOrEmpty(ref, "name"));
        copy(ref, "apiVersion", out, "apiVersion");
        return out;
    }

    private static ObjectNode identifier(JsonNode source, String nameField, String selectorField) {
        ObjectNode out = F.objectNode();
        out.set("name", textOrEmpty(source, nameField));
        copy(source, selectorField, out, "selector");
        return out;
    }

    private static boolean present(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        return v != null && !v.isNull();
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode v = from.get(field);
        if (v != null && !v.isNull()) {
            to.set(as, v.deepCopy());
        }
    }

    private static JsonNode textOrEmpty(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        return v == null || v.isNull() ? F.textNode("") : v.deepCopy();
    }

    /** A Go quantity that is not a pointer: its zero value marshals as "0". */
    private static JsonNode quantityOrZero(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        return v == null || v.isNull() ? F.textNode("0") : v.deepCopy();
    }

    private static JsonNode field(JsonNode obj, String jsonName) {
        if (!obj.isObject()) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(jsonName)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String goName(String jsonName) {
        return jsonName.substring(0, 1).toUpperCase(Locale.ROOT) + jsonName.substring(1);
    }
}
