package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ListOptions;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.store.validation.LabelSelectorJson;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * POST pods/{name}/eviction (policy/v1 Eviction): deletes a pod unless its PodDisruptionBudget
 * forbids it, then answers 429 in kube-apiserver's words. kube-apiserver reads the budget's
 * {@code status.disruptionsAllowed}, kept by the disruption controller; the reference store has
 * no such controller and works the budget out at eviction time as that controller does: healthy
 * pods are the selected ones Running and Ready and not being deleted; the expected count is the
 * scale of their controllers (Deployment, ReplicaSet, StatefulSet; a pod without one counts
 * itself). Evictions are decided one at a time, so two cannot both spend the last allowed disruption.
 */
final class PodEviction {
    private static final Pattern PERCENT = Pattern.compile("^([0-9]+)%$");

    private final ReferenceStore store;

    PodEviction(ReferenceStore store) {
        this.store = store;
    }

    synchronized void evict(String namespace, String name, ObjectNode eviction, DeleteOptions options) {
        String named = eviction.path("metadata").path("name").asText("");
        if (!named.isEmpty() && !named.equals(name)) {
            throw KubeApiException.of(Status.badRequest("name in URL does not match name in Eviction object"));
        }
        ResourceType<?> pods = store.types().byGroupResource("pods").orElseThrow();
        JsonNode pod = store.get(pods, namespace, name, null).tree();
        if (!exemptFromBudgets(pod)) {
            checkBudget(namespace, pod);
        }
        store.delete(pods, namespace, name, options);
    }

    /** As kube-apiserver: pods not running, or already being deleted, are evicted whatever the budget says. */
    private static boolean exemptFromBudgets(JsonNode pod) {
        String phase = pod.path("status").path("phase").asText("");
        return phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending")
                || pod.path("metadata").hasNonNull("deletionTimestamp");
    }

    private void checkBudget(String namespace, JsonNode pod) {
        ResourceType<?> budgets = store.types().byGroupResource("poddisruptionbudgets.policy").orElse(null);
        if (budgets == null) {
            return;
        }
        List<JsonNode> matching = new ArrayList<>();
        for (StoredObject b : store.list(budgets, namespace, ListOptions.all()).items()) {
            JsonNode selector = b.tree().path("spec").path("selector");
            // policy/v1: a missing selector selects nothing, an empty one every pod.
            if (selector.isObject() && LabelSelectorJson.matches(selector, pod.path("metadata").path("labels"))) {
                matching.add(b.tree());
            }
        }
        if (matching.isEmpty()) {
            return;
        }
        if (matching.size() > 1) {
            throw KubeApiException.of(Status.internalError(
                    "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."));
        }
        JsonNode budget = matching.get(0);
        int healthy = 0;
        List<JsonNode> selected = new ArrayList<>();
        ResourceType<?> pods = store.types().byGroupResource("pods").orElseThrow();
        for (StoredObject p : store.list(pods, namespace, ListOptions.all()).items()) {
            JsonNode t = p.tree();
            if (LabelSelectorJson.matches(budget.path("spec").path("selector"), t.path("metadata").path("labels"))) {
                selected.add(t);
                if (!t.path("metadata").hasNonNull("deletionTimestamp") && isReady(t)) {
                    healthy++;
                }
            }
        }
        int expected = expectedCount(namespace, selected);
        int desired = desiredHealthy(budget.path("spec"), expected);
        boolean podHealthy = isReady(pod);
        boolean allowed = podHealthy
                ? healthy - desired > 0
                : "AlwaysAllow".equals(budget.path("spec").path("unhealthyPodEvictionPolicy").asText()) || healthy >= desired;
        if (!allowed) {
            String budgetName = budget.path("metadata").path("name").asText();
            Status s = Status.failure(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
                    new Status.Details(null, null, null, null, List.of(new Status.Cause("DisruptionBudget",
                            "The disruption budget " + budgetName + " needs " + desired + " healthy pods and has "
                                    + healthy + " currently", null)), null, null));
            throw KubeApiException.of(s);
        }
    }

    /** The disruption controller's expected count: the scale of the selected pods' controllers. */
    private int expectedCount(String namespace, List<JsonNode> selected) {
        java.util.Map<String, Integer> scales = new java.util.HashMap<>();
        int uncontrolled = 0;
        for (JsonNode pod : selected) {
            JsonNode owner = controllerOf(pod);
            if (owner == null) {
                uncontrolled++;
                continue;
            }
            String kind = owner.path("kind").asText();
            String name = owner.path("name").asText();
            if (kind.equals("ReplicaSet")) {
                JsonNode rs = find("replicasets.apps", namespace, name);
                JsonNode deployment = rs == null ? null : controllerOf(rs);
                if (deployment != null && deployment.path("kind").asText().equals("Deployment")) {
                    kind = "Deployment";
                    name = deployment.path("name").asText();
                }
            }
            String resource = switch (kind) {
                case "Deployment" -> "deployments.apps";
                case "ReplicaSet" -> "replicasets.apps";
                case "StatefulSet" -> "statefulsets.apps";
                default -> null;
            };
            JsonNode controller = resource == null ? null : find(resource, namespace, name);
            if (controller == null) {
                uncontrolled++;
            } else {
                scales.put(kind + "/" + name, controller.path("spec").path("replicas").asInt(1));
            }
        }
        return uncontrolled + scales.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static JsonNode controllerOf(JsonNode object) {
        for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return ref;
            }
        }
        return null;
    }

    private JsonNode find(String groupResource, String namespace, String name) {
        ResourceType<?> t = store.types().byGroupResource(groupResource).orElse(null);
        if (t == null) {
            return null;
        }
        try {
            return store.get(t, namespace, name, null).tree();
        } catch (KubeApiException.NotFoundException e) {
            return null;
        }
    }

    /** The disruption controller's desiredHealthy: minAvailable, or expected minus maxUnavailable; percentages round up. */
    private static int desiredHealthy(JsonNode spec, int expected) {
        if (spec.hasNonNull("maxUnavailable")) {
            return Math.max(0, expected - scaled(spec.get("maxUnavailable"), expected));
        }
        if (spec.hasNonNull("minAvailable")) {
            return scaled(spec.get("minAvailable"), expected);
        }
        return 0;
    }

    private static int scaled(JsonNode v, int total) {
        if (v.isNumber()) {
            return v.asInt();
        }
        Matcher m = PERCENT.matcher(v.asText(""));
        if (m.matches()) {
            return (int) Math.ceil(Integer.parseInt(m.group(1)) * total / 100.0);
        }
        return 0;
    }

    private static boolean isReady(JsonNode pod) {
        if (!"Running".equals(pod.path("status").path("phase").asText())) {
            return false;
        }
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }
}
