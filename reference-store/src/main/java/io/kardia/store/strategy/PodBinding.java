package io.kardia.store.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.Status;
import java.util.List;

/**
 * kube-apiserver's rules for {@code pods/binding}: a node must be named, a pod being deleted or
 * already bound refuses a binding (so two schedulers can never double-book a pod), and a binding
 * sets {@code spec.nodeName} and {@code PodScheduled=True}.
 */
public final class PodBinding {
    private PodBinding() {
    }

    /** @throws KubeApiException.InvalidException if {@code nodeName} is empty */
    public static void checkTarget(String podName, String nodeName) {
        if (nodeName == null || nodeName.isEmpty()) {
            throw KubeApiException.of(Status.invalid(resource(podName), "Binding",
                    List.of(Status.Cause.required("target.name"))));
        }
    }

    /**
     * The pod bound to {@code nodeName}: a copy of {@code pod} with the node and the condition set.
     *
     * @throws KubeApiException.ConflictException if the pod is being deleted or already bound
     */
    public static ObjectNode bound(ObjectNode pod, String podName, String nodeName, String now) {
        if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
            throw KubeApiException.of(Status.conflict(resource(podName),
                    "pod " + podName + " is being deleted, cannot be assigned to a host"));
        }
        String bound = pod.path("spec").path("nodeName").asText("");
        if (!bound.isEmpty()) {
            throw KubeApiException.of(Status.conflict(resource(podName),
                    "pod " + podName + " is already assigned to node \"" + bound + "\""));
        }
        ObjectNode next = pod.deepCopy();
        next.with("spec").put("nodeName", nodeName);
        ArrayNode conditions = next.with("status").withArray("conditions");
        for (int i = conditions.size() - 1; i >= 0; i--) {
            JsonNode c = conditions.get(i);
            if ("PodScheduled".equals(c.path("type").asText())) {
                conditions.remove(i);
            }
        }
        conditions.addObject().put("type", "PodScheduled").put("status", "True").put("lastTransitionTime", now);
        return next;
    }

    private static Status.ResourceName resource(String podName) {
        return new Status.ResourceName("", "pods/binding", podName);
    }
}
