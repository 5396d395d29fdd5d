package io.kardia.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.store.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Server-side printing: the {@code meta.k8s.io} Table that kubectl asks for on {@code get}
 * ({@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}), with the columns kube-apiserver
 * prints for pods, deployments, replicasets, nodes and namespaces (and, in {@link PrinterColumns},
 * for the other built-in kinds kubectl users look at), and NAME/AGE for every other
 * kind, or a custom resource's {@code additionalPrinterColumns}. Columns with priority 1 are what
 * {@code -o wide} adds.
 */
final class TableConverter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String NONE = "<none>";

    /** What the client asked for: the Table's API version and how much of each object to embed. */
    record TableRequest(String apiVersion, IncludeObject include) {
        String contentType() {
            String v = apiVersion.substring(apiVersion.indexOf('/') + 1);
            return "application/json;as=Table;v=" + v + ";g=meta.k8s.io";
        }
    }

    enum IncludeObject { None, Metadata, Object }

    record Column(String name, String type, String format, int priority, String description,
                          Function<JsonNode, Object> cell) {
    }

    private final Clock clock;
    /** A custom kind's {@code additionalPrinterColumns} for its served version, or null. */
    private final Function<ResourceType<?>, JsonNode> printerColumns;

    TableConverter(Clock clock, Function<ResourceType<?>, JsonNode> printerColumns) {
        this.clock = clock;
        this.printerColumns = printerColumns;
    }

    /**
     * The Table request in an Accept header, or null when the client accepts plain JSON first.
     * Clients list their preferences in order; a Table alternative counts only if it comes before
     * plain JSON.
     */
    static TableRequest requested(String accept, Map<String, String> query) {
        if (accept == null || !accept.contains("as=Table")) {
            return null;
        }
        for (AcceptAlternatives a : AcceptAlternatives.parse(accept)) {
            if (a.json() && a.as() == null) {
                return null; // plain JSON preferred
            }
            if (a.json() && a.asMeta("Table")) {
                return new TableRequest("meta.k8s.io/" + a.version(), includeObject(query.get("includeObject")));
            }
        }
        return null;
    }

    private static IncludeObject includeObject(String v) {
        if (v == null || v.isEmpty()) {
            return IncludeObject.Metadata;
        }
        try {
            return IncludeObject.valueOf(v);
        } catch (IllegalArgumentException e) {
            throw KubeApiException.of(Status.badRequest("includeObject: Unsupported value: \"" + v
                    + "\": supported values: \"None\", \"Metadata\", \"Object\""));
        }
    }

    /** A Table of {@code items}, with list metadata ({@code resourceVersion}, {@code continue}). */
    ObjectNode table(ResourceType<?> type, TableRequest request, List<StoredObject> items, ObjectNode listMeta) {
        List<Column> columns = columns(type);
        ObjectNode t = F.objectNode();
        t.put("kind", "Table");
        t.put("apiVersion", request.apiVersion());
        t.set("metadata", listMeta == null ? F.objectNode() : listMeta);
        ArrayNode defs = t.putArray("columnDefinitions");
        for (Column c : columns) {
            ObjectNode d = defs.addObject();
            d.put("name", c.name());
            d.put("type", c.type());
            d.put("format", c.format());
            d.put("description", c.description());
            d.put("priority", c.priority());
        }
        ArrayNode rows = t.putArray("rows");
        for (StoredObject o : items) {
            rows.add(row(columns, o, request.include()));
        }
        return t;
    }

    private ObjectNode row(List<Column> columns, StoredObject stored, IncludeObject include) {
        ObjectNode obj = stored.json();
        ObjectNode row = F.objectNode();
        ArrayNode cells = row.putArray("cells");
        for (Column c : columns) {
            Object v = c.cell().apply(obj);
            switch (v) {
                case null -> cells.addNull();
                case Integer i -> cells.add(i);
                case Long l -> cells.add(l);
                case Boolean b -> cells.add(b);
                case Number n -> cells.add(n.doubleValue());
                default -> cells.add(String.valueOf(v));
            }
        }
        switch (include) {
            case Object -> row.set("object", obj);
            case Metadata -> {
                ObjectNode partial = row.putObject("object");
                partial.put("kind", "PartialObjectMetadata");
                partial.put("apiVersion", "meta.k8s.io/v1");
                partial.set("metadata", obj.path("metadata"));
            }
            case None -> {
                // cells only
            }
        }
        return row;
    }

    // ------------------------------------------------------------------ columns per kind

    private List<Column> columns(ResourceType<?> type) {
        // The other built-in kinds' printers (a custom resource cannot be served under a built-in group and plural).
        List<Column> builtIn = PrinterColumns.of(type.group() + "/" + type.plural(), this);
        if (builtIn != null) {
            return builtIn;
        }
        List<Column> c = new ArrayList<>();
        c.add(new Column("Name", "string", "name", 0,
                "Name must be unique within a namespace. Cannot be updated.", o -> o.path("metadata").path("name").asText()));
        String group = type.group();
        switch (group + "/" + type.plural()) {
            case "/pods" -> {
                c.add(text("Ready", 0, "The aggregate readiness state of this pod for accepting traffic.", TableConverter::podReady));
                c.add(text("Status", 0, "The aggregate status of the containers in this pod.", TableConverter::podStatus));
                c.add(text("Restarts", 0, "The number of times the containers in this pod have been restarted.",
                        TableConverter::podRestarts));
                c.add(age());
                c.add(text("IP", 1, "IP address allocated to the pod.", o -> orNone(o.path("status").path("podIP").asText())));
                c.add(text("Node", 1, "Name of the node the pod is assigned to.", o -> orNone(o.path("spec").path("nodeName").asText())));
                c.add(text("Nominated Node", 1, "Name of the node the pod is nominated to.",
                        o -> orNone(o.path("status").path("nominatedNodeName").asText())));
                c.add(text("Readiness Gates", 1, "Pod readiness gates.", TableConverter::readinessGates));
            }
            case "apps/deployments" -> {
                c.add(text("Ready", 0, "Number of the pod with ready state.", o -> o.path("status").path("readyReplicas").asInt(0)
                        + "/" + o.path("spec").path("replicas").asInt(1)));
                c.add(integer("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
                        o -> o.path("status").path("updatedReplicas").asInt(0)));
                c.add(integer("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
                        o -> o.path("status").path("availableReplicas").asInt(0)));
                c.add(age());
                workloadWide(c);
            }
            case "apps/replicasets" -> {
                c.add(integer("Desired", "Number of desired pods.", o -> o.path("spec").path("replicas").asInt(1)));
                c.add(integer("Current", "Number of actual pods.", o -> o.path("status").path("replicas").asInt(0)));
                c.add(integer("Ready", "Number of pods ready.", o -> o.path("status").path("readyReplicas").asInt(0)));
                c.add(age());
                workloadWide(c);
            }
            case "/nodes" -> {
                c.add(text("Status", 0, "The status of the node", TableConverter::nodeStatus));
                c.add(text("Roles", 0, "The roles of the node", TableConverter::nodeRoles));
                c.add(age());
                c.add(text("Version", 0, "Kubelet Version reported by the node.",
                        o -> o.path("status").path("nodeInfo").path("kubeletVersion").asText("")));
                c.add(text("Internal-IP", 1, "List of internal IPs for the node.", o -> nodeAddress(o, "InternalIP")));
                c.add(text("External-IP", 1, "List of external IPs for the node.", o -> nodeAddress(o, "ExternalIP")));
                c.add(text("OS-Image", 1, "OS image reported by the node.",
                        o -> orUnknown(o.path("status").path("nodeInfo").path("osImage").asText())));
                c.add(text("Kernel-Version", 1, "Kernel version reported by the node.",
                        o -> orUnknown(o.path("status").path("nodeInfo").path("kernelVersion").asText())));
                c.add(text("Container-Runtime", 1, "Container runtime and version reported by the node.",
                        o -> orUnknown(o.path("status").path("nodeInfo").path("containerRuntimeVersion").asText())));
            }
            case "/namespaces" -> {
                c.add(text("Status", 0, "The status of the namespace", o -> o.path("status").path("phase").asText("Active")));
                c.add(age());
            }
            default -> {
                JsonNode custom = printerColumns.apply(type);
                if (custom == null || custom.isEmpty()) {
                    c.add(age());
                } else {
                    custom.forEach(col -> c.add(customColumn(col)));
                }
            }
        }
        return c;
    }

    /**
     * A CRD's additional printer column: the value at its JSONPath, typed as the column says
     * (dates print as ages), as apiextensions-apiserver's table convertor does.
     */
    private Column customColumn(JsonNode col) {
        String type = col.path("type").asText("string");
        List<String> path = JsonPathLite.parse(col.path("jsonPath").asText(""));
        return new Column(col.path("name").asText(), type, col.path("format").asText(""), col.path("priority").asInt(0),
                col.path("description").asText(""), o -> {
                    JsonNode v = JsonPathLite.find(o, path);
                    if (v == null || v.isMissingNode() || v.isNull()) {
                        return null;
                    }
                    return switch (type) {
                        case "integer" -> v.canConvertToLong() ? (Object) v.asLong() : null;
                        case "number" -> v.isNumber() ? v.numberValue() : null;
                        case "boolean" -> v.isBoolean() ? v.booleanValue() : null;
                        case "date" -> v.isTextual() ? age(v.asText()) : null;
                        default -> v.isValueNode() ? v.asText() : v.toString();
                    };
                });
    }

    /** The object's name, in the {@code name} format kubectl prefixes with the kind ({@code service/web}) when it prints several kinds. */
    static Column nameColumn(int priority, String description) {
        return new Column("Name", "string", "name", priority, description, o -> o.path("metadata").path("name").asText());
    }

    static Column text(String name, int priority, String description, Function<JsonNode, Object> cell) {
        return new Column(name, "string", "", priority, description, cell);
    }

    static Column integer(String name, String description, Function<JsonNode, Object> cell) {
        return new Column(name, "integer", "", 0, description, cell);
    }

    Column age() {
        return new Column("Age", "string", "", 0,
                "CreationTimestamp is a timestamp representing the server time when this object was created.",
                o -> age(o.path("metadata").path("creationTimestamp").asText("")));
    }

    static void workloadWide(List<Column> c) {
        c.add(text("Containers", 1, "Names of each container in the template.",
                o -> containers(o, "name")));
        c.add(text("Images", 1, "Images referenced by each container in the template.",
                o -> containers(o, "image")));
        c.add(text("Selector", 1, "Label selector for pods.",
                o -> orNone(ScaleSubresource.selectorString(o.path("spec").path("selector")))));
    }

    static String containers(JsonNode o, String field) {
        List<String> out = new ArrayList<>();
        o.path("spec").path("template").path("spec").path("containers").forEach(c -> out.add(c.path(field).asText()));
        return String.join(",", out);
    }

    // ------------------------------------------------------------------ cells

    private static String podReady(JsonNode pod) {
        int total = pod.path("spec").path("containers").size();
        int ready = 0;
        for (JsonNode cs : pod.path("status").path("containerStatuses")) {
            if (cs.path("ready").asBoolean(false)) {
                ready++;
            }
        }
        return ready + "/" + total;
    }

    /** A simplified form of kubectl's pod status: reason, then a waiting/terminated container's reason, Terminating. */
    private static String podStatus(JsonNode pod) {
        JsonNode status = pod.path("status");
        String reason = status.path("phase").asText("");
        if (!status.path("reason").asText("").isEmpty()) {
            reason = status.path("reason").asText();
        }
        for (JsonNode cs : status.path("containerStatuses")) {
            String waiting = cs.path("state").path("waiting").path("reason").asText("");
            String terminated = cs.path("state").path("terminated").path("reason").asText("");
            if (!waiting.isEmpty()) {
                reason = waiting;
            } else if (!terminated.isEmpty()) {
                reason = terminated;
            }
        }
        if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
            reason = "NodeLost".equals(status.path("reason").asText()) ? "Unknown" : "Terminating";
        }
        return reason.isEmpty() ? "Unknown" : reason;
    }

    private static String podRestarts(JsonNode pod) {
        long restarts = 0;
        for (JsonNode cs : pod.path("status").path("containerStatuses")) {
            restarts += cs.path("restartCount").asLong(0);
        }
        return Long.toString(restarts);
    }

    private static String readinessGates(JsonNode pod) {
        JsonNode gates = pod.path("spec").path("readinessGates");
        if (gates.isEmpty()) {
            return NONE;
        }
        int ready = 0;
        for (JsonNode g : gates) {
            for (JsonNode cond : pod.path("status").path("conditions")) {
                if (cond.path("type").asText().equals(g.path("conditionType").asText())
                        && cond.path("status").asText().equals("True")) {
                    ready++;
                }
            }
        }
        return ready + "/" + gates.size();
    }

    static String nodeStatus(JsonNode node) {
        String status = "Unknown";
        for (JsonNode cond : node.path("status").path("conditions")) {
            if (cond.path("type").asText().equals("Ready")) {
                // As kubectl's printer: anything but True (False or Unknown) reads NotReady.
                status = cond.path("status").asText().equals("True") ? "Ready" : "NotReady";
            }
        }
        if (node.path("spec").path("unschedulable").asBoolean(false)) {
            status += ",SchedulingDisabled";
        }
        return status;
    }

    private static String nodeRoles(JsonNode node) {
        List<String> roles = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("metadata").path("labels").fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().startsWith("node-role.kubernetes.io/")) {
                String role = e.getKey().substring("node-role.kubernetes.io/".length());
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            } else if (e.getKey().equals("kubernetes.io/role") && !e.getValue().asText().isEmpty()) {
                roles.add(e.getValue().asText());
            }
        }
        roles.sort(null);
        return roles.isEmpty() ? NONE : String.join(",", roles);
    }

    private static String nodeAddress(JsonNode node, String type) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : node.path("status").path("addresses")) {
            if (a.path("type").asText().equals(type)) {
                out.add(a.path("address").asText());
            }
        }
        return out.isEmpty() ? NONE : String.join(",", out);
    }

    static String orNone(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }

    private static String orUnknown(String s) {
        return s == null || s.isEmpty() ? "<unknown>" : s;
    }

    String age(String creationTimestamp) {
        if (creationTimestamp == null || creationTimestamp.isEmpty()) {
            return "<unknown>";
        }
        try {
            return humanDuration(Duration.between(Instant.parse(creationTimestamp), clock.instant()));
        } catch (DateTimeParseException e) {
            return "<unknown>";
        }
    }

    /** The age format of Kubernetes' duration.HumanDuration ("45s", "3m20s", "5h", "12d"). */
    static String humanDuration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = d.toMinutes();
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 180) {
            return minutes + "m";
        }
        long hours = d.toHours();
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long dy = (hours / 24) % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
