package io.kardia.core.selector;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.Event;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Node;
import io.kardia.core.model.ObjectReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodStatus;
import io.kardia.core.model.ReplicaSet;
import io.kardia.core.model.Secret;
import io.kardia.core.model.ResourceType;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The field selectors kube-apiserver supports per kind, and how each field's value is read from an
 * object (the {@code ToSelectableFields} functions of the Kubernetes registry). Values are
 * strings, "" when the field is absent, except where Kubernetes formats a zero value
 * ({@code spec.hostNetwork}, {@code spec.unschedulable}: "false"; a ReplicaSet's
 * {@code status.replicas}: "0").
 */
public final class FieldSelectors {
    private static final Set<String> COMMON = Set.of("metadata.name", "metadata.namespace");

    /** Supported fields beyond {@link #COMMON}, by group-resource ({@code pods}, {@code replicasets.apps}). */
    private static final Map<String, Set<String>> BY_RESOURCE = Map.of(
            "pods", Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                    "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
            "nodes", Set.of("spec.unschedulable"),
            "events", Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                    "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                    "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"),
            "namespaces", Set.of("status.phase"),
            "replicasets.apps", Set.of("status.replicas"),
            "secrets", Set.of("type"));

    private FieldSelectors() {
    }

    /** The field paths kube-apiserver accepts in a field selector for this kind (custom kinds: name and namespace). */
    public static Set<String> supported(ResourceType<?> type) {
        Set<String> extra = BY_RESOURCE.get(type.groupResource());
        if (extra == null) {
            return COMMON;
        }
        Set<String> all = new TreeSet<>(COMMON);
        all.addAll(extra);
        return Set.copyOf(all);
    }

    /**
     * Rejects a selector that uses a field the kind does not support, with kube-apiserver's message
     * ({@code field label not supported: spec.foo}); the store answers it with 400 BadRequest.
     */
    public static void checkSupported(ResourceType<?> type, FieldSelector selector) {
        Set<String> ok = supported(type);
        for (String f : new TreeSet<>(selector.fields())) {
            if (!ok.contains(f)) {
                throw new SelectorParseException("field label not supported: " + f);
            }
        }
    }

    public static boolean matches(FieldSelector selector, JsonNode object) {
        return selector.isEmpty() || selector.matches(field -> valueOf(object, field));
    }

    public static boolean matches(FieldSelector selector, KubeObject object) {
        return selector.isEmpty() || selector.matches(field -> valueOf(object, field));
    }

    /**
     * A typed object's value for a selectable field; the same as {@link #valueOf(JsonNode, String)}
     * on its JSON form, read directly from the model for the built-in kinds (no tree conversion).
     */
    public static String valueOf(KubeObject object, String fieldPath) {
        switch (fieldPath) {
            case "metadata.name" -> {
                return orEmpty(object.metadata().name());
            }
            case "metadata.namespace" -> {
                return orEmpty(object.metadata().namespace());
            }
            default -> {
            }
        }
        String typed = switch (object) {
            case Pod p -> podField(p, fieldPath);
            case Node n -> fieldPath.equals("spec.unschedulable") ? Boolean.toString(n.unschedulable()) : null;
            case Event e -> eventField(e, fieldPath);
            case ReplicaSet rs -> fieldPath.equals("status.replicas")
                    ? Integer.toString(rs.status() == null || rs.status().replicas() == null ? 0 : rs.status().replicas())
                    : null;
            case Secret sec -> fieldPath.equals("type") ? orEmpty(sec.type()) : null;
            default -> null;
        };
        return typed != null ? typed : valueOf(Json.toTree(object), fieldPath);
    }

    private static String podField(Pod p, String fieldPath) {
        PodSpec spec = p.spec();
        PodStatus st = p.status();
        return switch (fieldPath) {
            case "spec.nodeName" -> spec == null ? "" : orEmpty(spec.nodeName());
            case "spec.restartPolicy" -> spec == null ? "" : orEmpty(spec.restartPolicy());
            case "spec.schedulerName" -> spec == null ? "" : orEmpty(spec.schedulerName());
            case "spec.serviceAccountName" -> spec == null ? "" : orEmpty(spec.serviceAccountName());
            case "spec.hostNetwork" -> Boolean.toString(spec != null && Boolean.TRUE.equals(spec.hostNetwork()));
            case "status.phase" -> st == null ? "" : orEmpty(st.phase());
            case "status.nominatedNodeName" -> st == null ? "" : orEmpty(st.nominatedNodeName());
            default -> null; // status.podIP may come from podIPs: read from the tree
        };
    }

    private static String eventField(Event e, String fieldPath) {
        ObjectReference ref = e.involvedObject();
        if (fieldPath.startsWith("involvedObject.")) {
            if (ref == null) {
                return "";
            }
            return switch (fieldPath) {
                case "involvedObject.kind" -> orEmpty(ref.kind());
                case "involvedObject.namespace" -> orEmpty(ref.namespace());
                case "involvedObject.name" -> orEmpty(ref.name());
                case "involvedObject.uid" -> orEmpty(ref.uid());
                case "involvedObject.apiVersion" -> orEmpty(ref.apiVersion());
                case "involvedObject.resourceVersion" -> orEmpty(ref.resourceVersion());
                case "involvedObject.fieldPath" -> orEmpty(ref.fieldPath());
                default -> null;
            };
        }
        return switch (fieldPath) {
            case "reason" -> orEmpty(e.reason());
            case "reportingComponent" -> orEmpty(e.reportingComponent());
            case "source" -> e.source() == null ? "" : orEmpty(e.source().component());
            case "type" -> orEmpty(e.type());
            default -> null;
        };
    }

    /**
     * An object's value for a selectable field, read from its JSON tree (the kind is taken from the
     * tree's {@code kind}): "" when absent, numbers and booleans in their JSON text.
     */
    public static String valueOf(JsonNode object, String fieldPath) {
        if (object == null || fieldPath == null) {
            return "";
        }
        String kind = object.path("kind").asText("");
        String group = groupOf(object.path("apiVersion").asText(""));
        if (group.isEmpty()) {
            switch (kind) {
                case "Pod" -> {
                    if (fieldPath.equals("spec.hostNetwork")) {
                        return Boolean.toString(object.path("spec").path("hostNetwork").asBoolean(false));
                    }
                    if (fieldPath.equals("status.podIP")) {
                        String ip = text(object, "status.podIP");
                        return ip.isEmpty() ? object.path("status").path("podIPs").path(0).path("ip").asText("") : ip;
                    }
                }
                case "Node" -> {
                    if (fieldPath.equals("spec.unschedulable")) {
                        return Boolean.toString(object.path("spec").path("unschedulable").asBoolean(false));
                    }
                }
                case "Event" -> {
                    if (fieldPath.equals("source")) {
                        return text(object, "source.component");
                    }
                }
                default -> {
                }
            }
        } else if (group.equals("apps") && kind.equals("ReplicaSet") && fieldPath.equals("status.replicas")) {
            return Long.toString(object.path("status").path("replicas").asLong(0));
        }
        return text(object, fieldPath);
    }

    private static String text(JsonNode object, String dottedPath) {
        JsonNode cur = object;
        int start = 0;
        while (start <= dottedPath.length()) {
            int dot = dottedPath.indexOf('.', start);
            String step = dot < 0 ? dottedPath.substring(start) : dottedPath.substring(start, dot);
            cur = cur.path(step);
            if (cur.isMissingNode() || cur.isNull()) {
                return "";
            }
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        return cur.isValueNode() ? cur.asText() : "";
    }

    private static String groupOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
