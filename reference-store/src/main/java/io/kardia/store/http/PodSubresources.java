package io.kardia.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pod subresources that reach into a node in Kubernetes: {@code log}, {@code exec},
 * {@code attach}, {@code portforward}, and {@code eviction}. Pods in the reference store are
 * simulated, so there is no container to read from or run in: {@code log} answers a short
 * simulated log (container, image, node, start time), {@code exec}, {@code attach} and
 * {@code portforward} a 400 that says why, and {@code eviction} deletes the pod unless its
 * PodDisruptionBudget forbids it.
 */
final class PodSubresources {
    /** The pod subresources this class answers (beyond status and binding). */
    static final Set<String> NAMES = Set.of("log", "exec", "attach", "portforward", "eviction");

    private final ReferenceStore store;

    PodSubresources(ReferenceStore store) {
        this.store = store;
    }

    static boolean handles(ResourceType<?> type, String subresource) {
        return type.group().isEmpty() && type.plural().equals("pods") && NAMES.contains(subresource);
    }

    void log(HttpExchange ex, ResourceType<?> pods, String namespace, String name, Map<String, String> q) throws IOException {
        JsonNode pod = store.get(pods, namespace, name, null).json();
        String container = container(pod, name, q.get("container"));
        if (isTrue(q.get("previous"))) {
            throw KubeApiException.of(Status.badRequest("previous terminated container \"" + container + "\" in pod \""
                    + name + "\" not found"));
        }
        String node = pod.path("spec").path("nodeName").asText("");
        if (node.isEmpty()) {
            throw KubeApiException.of(Status.badRequest("container \"" + container + "\" in pod \"" + name
                    + "\" is waiting to start: ContainerCreating"));
        }
        String image = "";
        for (JsonNode c : containers(pod)) {
            if (c.path("name").asText().equals(container)) {
                image = c.path("image").asText("");
            }
        }
        String started = startedAt(pod, container);
        List<String> lines = List.of(
                "kardia: simulated container \"" + container + "\" of pod " + namespace + "/" + name + " started at " + started,
                "kardia: image " + image + " on node " + node,
                "kardia: pods are simulated by the reference store; no process runs, so there is no other output");
        List<String> shown = new ArrayList<>(lines);
        if (q.containsKey("tailLines")) {
            long tail = ResourceHandler.parseLong(q.get("tailLines"), "tailLines");
            shown = shown.subList((int) Math.max(0, shown.size() - tail), shown.size());
        }
        StringBuilder out = new StringBuilder();
        for (String line : shown) {
            if (isTrue(q.get("timestamps"))) {
                out.append(started).append(' ');
            }
            out.append(line).append('\n');
        }
        byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
        if (q.containsKey("limitBytes")) {
            long limit = ResourceHandler.parseLong(q.get("limitBytes"), "limitBytes");
            if (limit < body.length) {
                body = java.util.Arrays.copyOf(body, (int) limit);
            }
        }
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        HttpIo.sendHeaders(ex, 200, body.length == 0 ? -1 : body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    /** exec, attach, portforward: the pod must exist; then a 400 naming why there is nothing to connect to. */
    void refuseStreaming(ResourceType<?> pods, String namespace, String name, String subresource) {
        store.get(pods, namespace, name, null);
        String what = switch (subresource) {
            case "exec" -> "run commands in its containers (exec)";
            case "attach" -> "attach to its containers";
            default -> "forward ports to it (port-forward)";
        };
        throw KubeApiException.of(Status.badRequest("pod " + namespace + "/" + name + " is simulated by the Kardia "
                + "reference store: it has no container runtime, so there is no way to " + what));
    }

    void evict(HttpExchange ex, String namespace, String name, ObjectNode eviction, Map<String, String> q) throws IOException {
        JsonNode options = eviction.path("deleteOptions");
        DeleteOptions delete = ResourceHandler.deleteOptions(options.isObject() ? options : Json.mapper().createObjectNode(), q);
        store.evict(namespace, name, eviction, delete);
        ResourceHandler.sendSuccess(ex);
    }

    private static String container(JsonNode pod, String podName, String requested) {
        List<String> names = new ArrayList<>();
        for (JsonNode c : containers(pod)) {
            names.add(c.path("name").asText());
        }
        if (requested != null && !requested.isEmpty()) {
            if (!names.contains(requested)) {
                throw KubeApiException.of(Status.badRequest("container " + requested + " is not valid for pod " + podName));
            }
            return requested;
        }
        String annotated = pod.path("metadata").path("annotations").path("kubectl.kubernetes.io/default-container").asText("");
        if (names.contains(annotated)) {
            return annotated;
        }
        if (names.size() != 1) {
            throw KubeApiException.of(Status.badRequest("a container name must be specified for pod " + podName
                    + ", choose one of: [" + String.join(" ", names) + "]"));
        }
        return names.get(0);
    }

    private static JsonNode containers(JsonNode pod) {
        return pod.path("spec").path("containers");
    }

    private static String startedAt(JsonNode pod, String container) {
        for (JsonNode s : pod.path("status").path("containerStatuses")) {
            String at = s.path("state").path("running").path("startedAt").asText("");
            if (s.path("name").asText().equals(container) && !at.isEmpty()) {
                return at;
            }
        }
        String start = pod.path("status").path("startTime").asText("");
        return start.isEmpty() ? pod.path("metadata").path("creationTimestamp").asText("") : start;
    }

    private static boolean isTrue(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }
}
