package io.kardia.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.store.http.TableConverter.Column;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * kube-apiserver's Table columns (its printers, Kubernetes' {@code pkg/printers/internalversion})
 * for the built-in kinds {@link TableConverter} does not print itself: services, statefulsets,
 * daemonsets, jobs, cronjobs, serviceaccounts, persistentvolumeclaims, ingresses, events (LAST SEEN,
 * TYPE, REASON, OBJECT, MESSAGE; no NAME column, as kube-apiserver prints them), configmaps,
 * secrets, endpoints, persistentvolumes, resourcequotas, networkpolicies, poddisruptionbudgets, RBAC
 * roles and bindings, horizontalpodautoscalers, leases, storageclasses, priorityclasses,
 * endpointslices, controllerrevisions, replicationcontrollers. Printers are Go code in
 * kube-apiserver, in no published artifact, so they are kept here by hand, in one table; a kind
 * with none prints NAME and AGE.
 */
final class PrinterColumns {
    private static final String NONE = "<none>";
    private static final String NAME_DESCRIPTION = "Name must be unique within a namespace. Cannot be updated.";

    private PrinterColumns() {
    }

    /**
     * Every column of the kind at {@code groupPlural} ({@code /services}, {@code apps/statefulsets}),
     * NAME included, or null when it has no printer here.
     */
    static List<Column> of(String groupPlural, TableConverter tables) {
        List<Column> c = new ArrayList<>();
        switch (groupPlural) {
            case "/events" -> {
                return events(tables);
            }
            case "/services" -> {
                c.add(name());
                c.add(TableConverter.text("Type", 0, "The type of service.", o -> o.path("spec").path("type").asText("ClusterIP")));
                c.add(TableConverter.text("Cluster-IP", 0, "The cluster IP of the service.",
                        o -> orNone(o.path("spec").path("clusterIP").asText(""))));
                c.add(TableConverter.text("External-IP", 0, "The external IP of the service.", PrinterColumns::externalIp));
                c.add(TableConverter.text("Port(s)", 0, "The ports of the service.", PrinterColumns::servicePorts));
                c.add(tables.age());
                c.add(TableConverter.text("Selector", 1, "The label selector of the service.",
                        o -> labels(o.path("spec").path("selector"))));
            }
            case "apps/statefulsets" -> {
                c.add(name());
                c.add(TableConverter.text("Ready", 0, "Number of the pod with ready state.",
                        o -> o.path("status").path("readyReplicas").asInt(0) + "/" + o.path("spec").path("replicas").asInt(1)));
                c.add(tables.age());
                c.add(TableConverter.text("Containers", 1, "Names of each container in the template.", o -> TableConverter.containers(o, "name")));
                c.add(TableConverter.text("Images", 1, "Images referenced by each container in the template.",
                        o -> TableConverter.containers(o, "image")));
            }
            case "apps/daemonsets" -> {
                c.add(name());
                c.add(TableConverter.integer("Desired", "The desired number of pods.", o -> o.path("status").path("desiredNumberScheduled").asInt(0)));
                c.add(TableConverter.integer("Current", "The current number of pods.", o -> o.path("status").path("currentNumberScheduled").asInt(0)));
                c.add(TableConverter.integer("Ready", "The number of pods ready.", o -> o.path("status").path("numberReady").asInt(0)));
                c.add(TableConverter.integer("Up-to-date", "The number of pods updated.", o -> o.path("status").path("updatedNumberScheduled").asInt(0)));
                c.add(TableConverter.integer("Available", "The number of pods available.", o -> o.path("status").path("numberAvailable").asInt(0)));
                c.add(TableConverter.text("Node Selector", 0, "Which nodes should be selected.",
                        o -> labels(o.path("spec").path("template").path("spec").path("nodeSelector"))));
                c.add(tables.age());
                TableConverter.workloadWide(c);
            }
            case "batch/jobs" -> {
                c.add(name());
                c.add(TableConverter.text("Status", 0, "Status of the job.", PrinterColumns::jobStatus));
                c.add(TableConverter.text("Completions", 0, "The completed and desired completions.", PrinterColumns::completions));
                c.add(TableConverter.text("Duration", 0, "Time required to complete the job.", o -> jobDuration(o, tables)));
                c.add(tables.age());
                TableConverter.workloadWide(c);
            }
            case "batch/cronjobs" -> {
                c.add(name());
                c.add(TableConverter.text("Schedule", 0, "The schedule for running the job.", o -> o.path("spec").path("schedule").asText("")));
                c.add(TableConverter.text("Timezone", 0, "The time zone for the schedule.", o -> orNone(o.path("spec").path("timeZone").asText(""))));
                c.add(TableConverter.text("Suspend", 0, "If suspend subsequent executions.",
                        o -> o.path("spec").path("suspend").asBoolean(false) ? "True" : "False"));
                c.add(TableConverter.integer("Active", "Number of currently running jobs.", o -> o.path("status").path("active").size()));
                c.add(TableConverter.text("Last Schedule", 0, "When the last job was scheduled.", o -> {
                    String last = o.path("status").path("lastScheduleTime").asText("");
                    return last.isEmpty() ? NONE : tables.age(last);
                }));
                c.add(tables.age());
                c.add(TableConverter.text("Containers", 1, "Names of each container in the template.",
                        o -> TableConverter.containers(o.path("spec").path("jobTemplate"), "name")));
                c.add(TableConverter.text("Images", 1, "Images referenced by each container in the template.",
                        o -> TableConverter.containers(o.path("spec").path("jobTemplate"), "image")));
                c.add(TableConverter.text("Selector", 1, "Label selector for pods.",
                        o -> orNone(ScaleSubresource.selectorString(o.path("spec").path("jobTemplate").path("spec").path("selector")))));
            }
            case "/serviceaccounts" -> {
                c.add(name());
                c.add(TableConverter.integer("Secrets", "Secrets is a list of the secrets in the same namespace.",
                        o -> o.path("secrets").size()));
                c.add(tables.age());
            }
            case "/persistentvolumeclaims" -> {
                c.add(name());
                c.add(TableConverter.text("Status", 0, "The phase of the claim.", o -> o.path("metadata").hasNonNull("deletionTimestamp")
                        ? "Terminating" : o.path("status").path("phase").asText("")));
                c.add(TableConverter.text("Volume", 0, "The volume bound to the claim.", o -> o.path("spec").path("volumeName").asText("")));
                c.add(TableConverter.text("Capacity", 0, "The storage the bound volume holds.",
                        o -> o.path("status").path("capacity").path("storage").asText("")));
                c.add(TableConverter.text("Access Modes", 0, "The access modes of the bound volume.", o -> accessModes(o.path("status").path("accessModes"))));
                c.add(TableConverter.text("StorageClass", 0, "The storage class of the claim.",
                        o -> orUnset(o.path("spec").path("storageClassName").asText(""))));
                c.add(TableConverter.text("VolumeAttributesClass", 0, "The volume attributes class of the claim.",
                        o -> orUnset(o.path("spec").path("volumeAttributesClassName").asText(""))));
                c.add(tables.age());
                c.add(TableConverter.text("VolumeMode", 1, "The volume mode of the claim.",
                        o -> o.path("spec").path("volumeMode").asText("Filesystem")));
            }
            case "networking.k8s.io/ingresses" -> {
                c.add(name());
                c.add(TableConverter.text("Class", 0, "The name of the IngressClass resource.",
                        o -> orNone(o.path("spec").path("ingressClassName").asText(""))));
                c.add(TableConverter.text("Hosts", 0, "Hosts that incoming requests are matched against.", PrinterColumns::ingressHosts));
                c.add(TableConverter.text("Address", 0, "Address is a list of IPs for the load balancers.",
                        o -> String.join(",", loadBalancerAddresses(o))));
                c.add(TableConverter.text("Ports", 0, "Ports of the load balancers.",
                        o -> o.path("spec").path("tls").isEmpty() ? "80" : "80, 443"));
                c.add(tables.age());
            }

            case "/replicationcontrollers" -> {
                c.add(name());
                c.add(integer("Desired", o -> o.path("spec").path("replicas").asInt(1)));
                c.add(integer("Current", o -> o.path("status").path("replicas").asInt(0)));
                c.add(integer("Ready", o -> o.path("status").path("readyReplicas").asInt(0)));
                c.add(tables.age());
                c.add(text("Containers", 1, o -> containers(o, "name")));
                c.add(text("Images", 1, o -> containers(o, "image")));
                c.add(text("Selector", 1, o -> labels(o.path("spec").path("selector"))));
            }
            case "/configmaps" -> {
                c.add(name());
                c.add(integer("Data", o -> o.path("data").size() + o.path("binaryData").size()));
                c.add(tables.age());
            }
            case "/secrets" -> {
                c.add(name());
                c.add(text("Type", 0, o -> o.path("type").asText("Opaque")));
                c.add(integer("Data", o -> o.path("data").size()));
                c.add(tables.age());
            }
            case "/endpoints" -> {
                c.add(name());
                c.add(text("Endpoints", 0, PrinterColumns::endpoints));
                c.add(tables.age());
            }
            case "/persistentvolumes" -> {
                c.add(name());
                c.add(text("Capacity", 0, o -> o.path("spec").path("capacity").path("storage").asText("")));
                c.add(text("Access Modes", 0, o -> accessModes(o.path("spec").path("accessModes"))));
                c.add(text("Reclaim Policy", 0, o -> o.path("spec").path("persistentVolumeReclaimPolicy").asText("Retain")));
                c.add(text("Status", 0, o -> o.path("status").path("phase").asText("Pending")));
                c.add(text("Claim", 0, o -> o.path("spec").has("claimRef")
                        ? o.path("spec").path("claimRef").path("namespace").asText() + "/" + o.path("spec").path("claimRef").path("name").asText() : ""));
                c.add(text("StorageClass", 0, o -> o.path("spec").path("storageClassName").asText("")));
                c.add(text("VolumeAttributesClass", 0, o -> o.path("spec").has("volumeAttributesClassName")
                        ? o.path("spec").path("volumeAttributesClassName").asText() : "<unset>"));
                c.add(text("Reason", 0, o -> o.path("status").path("reason").asText("")));
                c.add(tables.age());
                c.add(text("VolumeMode", 1, o -> o.path("spec").path("volumeMode").asText("Filesystem")));
            }
            case "networking.k8s.io/networkpolicies" -> {
                c.add(name());
                c.add(text("Pod-Selector", 0, o -> selector(o.path("spec").path("podSelector"))));
                c.add(tables.age());
            }
            case "policy/poddisruptionbudgets" -> {
                c.add(name());
                c.add(text("Min Available", 0, o -> o.path("spec").has("minAvailable") ? o.path("spec").path("minAvailable").asText() : "N/A"));
                c.add(text("Max Unavailable", 0, o -> o.path("spec").has("maxUnavailable") ? o.path("spec").path("maxUnavailable").asText() : "N/A"));
                c.add(integer("Allowed Disruptions", o -> o.path("status").path("disruptionsAllowed").asInt(0)));
                c.add(tables.age());
            }
            case "rbac.authorization.k8s.io/roles", "rbac.authorization.k8s.io/clusterroles" -> {
                c.add(name());
                c.add(text("Created At", 0, o -> o.path("metadata").path("creationTimestamp").asText("")));
            }
            case "rbac.authorization.k8s.io/rolebindings", "rbac.authorization.k8s.io/clusterrolebindings" -> {
                c.add(name());
                c.add(text("Role", 0, o -> o.path("roleRef").path("kind").asText() + "/" + o.path("roleRef").path("name").asText()));
                c.add(tables.age());
                c.add(text("Users", 1, o -> subjects(o, "User")));
                c.add(text("Groups", 1, o -> subjects(o, "Group")));
                c.add(text("ServiceAccounts", 1, o -> subjects(o, "ServiceAccount")));
            }
            case "autoscaling/horizontalpodautoscalers" -> {
                c.add(name());
                c.add(text("Reference", 0, o -> o.path("spec").path("scaleTargetRef").path("kind").asText() + "/"
                        + o.path("spec").path("scaleTargetRef").path("name").asText()));
                c.add(text("Targets", 0, o -> o.path("spec").path("metrics").isEmpty() ? NONE : "<unknown>"));
                c.add(text("MinPods", 0, o -> String.valueOf(o.path("spec").path("minReplicas").asInt(1))));
                c.add(integer("MaxPods", o -> o.path("spec").path("maxReplicas").asInt(0)));
                c.add(integer("Replicas", o -> o.path("status").path("currentReplicas").asInt(0)));
                c.add(tables.age());
            }
            case "coordination.k8s.io/leases" -> {
                c.add(name());
                c.add(text("Holder", 0, o -> o.path("spec").path("holderIdentity").asText("")));
                c.add(tables.age());
            }
            case "storage.k8s.io/storageclasses" -> {
                c.add(text("Name", 0, o -> o.path("metadata").path("name").asText()
                        + ("true".equals(o.path("metadata").path("annotations").path("storageclass.kubernetes.io/is-default-class").asText())
                        ? " (default)" : "")));
                c.add(text("Provisioner", 0, o -> o.path("provisioner").asText()));
                c.add(text("ReclaimPolicy", 0, o -> o.path("reclaimPolicy").asText("Delete")));
                c.add(text("VolumeBindingMode", 0, o -> o.path("volumeBindingMode").asText("Immediate")));
                c.add(text("AllowVolumeExpansion", 0, o -> o.path("allowVolumeExpansion").asBoolean(false) ? "true" : "false"));
                c.add(tables.age());
            }
            case "scheduling.k8s.io/priorityclasses" -> {
                c.add(name());
                c.add(integer("Value", o -> o.path("value").asInt(0)));
                c.add(text("Global-Default", 0, o -> o.path("globalDefault").asBoolean(false) ? "true" : "false"));
                c.add(tables.age());
                c.add(text("PreemptionPolicy", 0, o -> o.path("preemptionPolicy").asText("PreemptLowerPriority")));
            }
            case "discovery.k8s.io/endpointslices" -> {
                c.add(name());
                c.add(text("AddressType", 0, o -> o.path("addressType").asText()));
                c.add(text("Ports", 0, o -> orUnset(names(o.path("ports"), "port"))));
                c.add(text("Endpoints", 0, o -> orUnset(endpointSliceAddresses(o))));
                c.add(tables.age());
            }
            case "apps/controllerrevisions" -> {
                c.add(name());
                c.add(text("Controller", 0, PrinterColumns::controller));
                c.add(integer("Revision", o -> o.path("revision").asLong(0)));
                c.add(tables.age());
            }
            case "/resourcequotas" -> {
                c.add(name());
                c.add(TableConverter.text("Request", 0, "Request represents a minimum amount of cpu/memory that a container may consume.",
                        o -> quota(o, false)));
                c.add(TableConverter.text("Limit", 0, "Limits control the maximum amount of cpu/memory that a container may use "
                        + "independent of contention on the node.", o -> quota(o, true)));
                c.add(tables.age());
            }
            default -> {
                return null;
            }
        }
        return c;
    }

    private static Column name() {
        return TableConverter.nameColumn(0, NAME_DESCRIPTION);
    }

    /** kube-apiserver's event columns; the priority ones are what {@code -o wide} adds. */
    private static List<Column> events(TableConverter tables) {
        List<Column> c = new ArrayList<>();
        c.add(TableConverter.text("Last Seen", 0, "The time at which the most recent occurrence of this event was recorded.",
                o -> lastSeen(o, tables)));
        c.add(TableConverter.text("Type", 0, "Type of this event (Normal, Warning).", o -> o.path("type").asText("")));
        c.add(TableConverter.text("Reason", 0, "This should be a short, machine understandable string.", o -> o.path("reason").asText("")));
        c.add(TableConverter.text("Object", 0, "The object that this event is about.", o -> {
            JsonNode io = o.path("involvedObject");
            String kind = io.path("kind").asText("").toLowerCase(java.util.Locale.ROOT);
            String name = io.path("name").asText("");
            return name.isEmpty() ? kind : kind + "/" + name;
        }));
        c.add(TableConverter.text("Subobject", 1, "The field path of the object this event is about.",
                o -> o.path("involvedObject").path("fieldPath").asText("")));
        c.add(TableConverter.text("Source", 1, "The component reporting this event.", PrinterColumns::eventSource));
        c.add(TableConverter.text("Message", 0, "A human-readable description of the status of this operation.",
                o -> o.path("message").asText("").strip()));
        c.add(TableConverter.text("First Seen", 1, "The time at which the event was first recorded.", o -> firstSeen(o, tables)));
        c.add(new Column("Count", "integer", "", 1, "The number of times this event has occurred.", o -> {
            JsonNode series = o.path("series");
            long n = series.isObject() ? series.path("count").asLong(1) : o.path("count").asLong(0);
            return n == 0 ? 1L : n;
        }));
        c.add(TableConverter.nameColumn(1, NAME_DESCRIPTION));
        return c;
    }

    private static String firstSeen(JsonNode e, TableConverter tables) {
        String first = e.path("firstTimestamp").asText("");
        if (first.isEmpty()) {
            first = e.path("eventTime").asText("");
        }
        return first.isEmpty() ? "<unknown>" : tables.age(first);
    }

    private static String lastSeen(JsonNode e, TableConverter tables) {
        String series = e.path("series").path("lastObservedTime").asText("");
        if (!series.isEmpty()) {
            return tables.age(series);
        }
        String last = e.path("lastTimestamp").asText("");
        return last.isEmpty() ? firstSeen(e, tables) : tables.age(last);
    }

    private static String eventSource(JsonNode e) {
        String component = e.path("source").path("component").asText("");
        if (component.isEmpty()) {
            component = e.path("reportingComponent").asText("");
        }
        String host = e.path("source").path("host").asText("");
        return host.isEmpty() ? component : component + ", " + host;
    }

    private static String externalIp(JsonNode svc) {
        JsonNode spec = svc.path("spec");
        List<String> ips = new ArrayList<>();
        spec.path("externalIPs").forEach(ip -> ips.add(ip.asText()));
        switch (spec.path("type").asText("ClusterIP")) {
            case "LoadBalancer" -> {
                List<String> lb = loadBalancerAddresses(svc);
                lb.addAll(ips);
                return lb.isEmpty() ? "<pending>" : String.join(",", lb);
            }
            case "ExternalName" -> {
                return spec.path("externalName").asText("");
            }
            default -> {
                return ips.isEmpty() ? NONE : String.join(",", ips);
            }
        }
    }

    private static List<String> loadBalancerAddresses(JsonNode o) {
        List<String> out = new ArrayList<>();
        for (JsonNode i : o.path("status").path("loadBalancer").path("ingress")) {
            String a = i.path("ip").asText("");
            out.add(a.isEmpty() ? i.path("hostname").asText("") : a);
        }
        return out;
    }

    private static String servicePorts(JsonNode svc) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : svc.path("spec").path("ports")) {
            String protocol = p.path("protocol").asText("TCP");
            int node = p.path("nodePort").asInt(0);
            out.add(node == 0 ? p.path("port").asInt() + "/" + protocol : p.path("port").asInt() + ":" + node + "/" + protocol);
        }
        return out.isEmpty() ? NONE : String.join(",", out);
    }

    private static String labels(JsonNode map) {
        Map<String, String> sorted = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            var e = it.next();
            sorted.put(e.getKey(), e.getValue().asText());
        }
        List<String> out = new ArrayList<>();
        sorted.forEach((k, v) -> out.add(k + "=" + v));
        return out.isEmpty() ? NONE : String.join(",", out);
    }

    private static String jobStatus(JsonNode job) {
        String status = "Running";
        for (JsonNode c : job.path("status").path("conditions")) {
            if (!"True".equals(c.path("status").asText())) {
                continue;
            }
            switch (c.path("type").asText()) {
                case "Complete" -> {
                    return "Complete";
                }
                case "Failed" -> {
                    return "Failed";
                }
                case "Suspended" -> status = "Suspended";
                case "FailureTarget" -> status = "FailureTarget";
                case "SuccessCriteriaMet" -> status = "SuccessCriteriaMet";
                default -> {
                    // other conditions do not change the printed status
                }
            }
        }
        return job.path("metadata").hasNonNull("deletionTimestamp") ? "Terminating" : status;
    }

    private static String completions(JsonNode job) {
        JsonNode spec = job.path("spec");
        int succeeded = job.path("status").path("succeeded").asInt(0);
        if (spec.path("completions").isNumber()) {
            return succeeded + "/" + spec.path("completions").asInt();
        }
        int parallelism = spec.path("parallelism").asInt(0);
        return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }

    private static String jobDuration(JsonNode job, TableConverter tables) {
        String start = job.path("status").path("startTime").asText("");
        if (start.isEmpty()) {
            return "";
        }
        String end = job.path("status").path("completionTime").asText("");
        try {
            if (end.isEmpty()) {
                return tables.age(start);
            }
            return TableConverter.humanDuration(Duration.between(Instant.parse(start), Instant.parse(end)));
        } catch (DateTimeParseException e) {
            return "<unknown>";
        }
    }

    private static String ingressHosts(JsonNode ing) {
        List<String> hosts = new ArrayList<>();
        for (JsonNode r : ing.path("spec").path("rules")) {
            String h = r.path("host").asText("");
            hosts.add(h.isEmpty() ? "*" : h);
        }
        if (hosts.isEmpty()) {
            return "*";
        }
        if (hosts.size() > 3) {
            return String.join(",", hosts.subList(0, 3)) + " + " + (hosts.size() - 3) + " more...";
        }
        return String.join(",", hosts);
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }

    private static String orUnset(String s) {
        return s == null || s.isEmpty() ? "<unset>" : s;
    }

    private static TableConverter.Column text(String name, int priority, Function<JsonNode, Object> cell) {
        return new TableConverter.Column(name, "string", "", priority, "", cell);
    }

    private static TableConverter.Column integer(String name, Function<JsonNode, Object> cell) {
        return new TableConverter.Column(name, "integer", "", 0, "", cell);
    }

    private static String containers(JsonNode o, String field) {
        return names(o.path("spec").path("template").path("spec").path("containers"), field);
    }

    private static String names(JsonNode list, String field) {
        List<String> out = new ArrayList<>();
        list.forEach(e -> out.add(e.path(field).asText()));
        return String.join(",", out);
    }

    private static String selector(JsonNode labelSelector) {
        return ScaleSubresource.selectorString(labelSelector);
    }

    private static String endpoints(JsonNode ep) {
        List<String> out = new ArrayList<>();
        for (JsonNode subset : ep.path("subsets")) {
            for (JsonNode address : subset.path("addresses")) {
                if (subset.path("ports").isEmpty()) {
                    out.add(address.path("ip").asText());
                }
                for (JsonNode port : subset.path("ports")) {
                    out.add(address.path("ip").asText() + ":" + port.path("port").asText());
                }
            }
        }
        return out.isEmpty() ? NONE : String.join(",", out);
    }

    private static String endpointSliceAddresses(JsonNode slice) {
        List<String> out = new ArrayList<>();
        slice.path("endpoints").forEach(e -> e.path("addresses").forEach(a -> out.add(a.asText())));
        return String.join(",", out);
    }

    private static String accessModes(JsonNode modes) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : modes) {
            out.add(switch (m.asText()) {
                case "ReadWriteOnce" -> "RWO";
                case "ReadOnlyMany" -> "ROX";
                case "ReadWriteMany" -> "RWX";
                case "ReadWriteOncePod" -> "RWOP";
                default -> m.asText();
            });
        }
        return String.join(",", out);
    }

    private static String subjects(JsonNode binding, String kind) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : binding.path("subjects")) {
            if (s.path("kind").asText().equals(kind)) {
                out.add(kind.equals("ServiceAccount") ? s.path("namespace").asText() + "/" + s.path("name").asText() : s.path("name").asText());
            }
        }
        return String.join(", ", out);
    }

    private static String controller(JsonNode o) {
        for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                String group = ref.path("apiVersion").asText();
                group = group.contains("/") ? group.substring(0, group.indexOf('/')) : "";
                return ref.path("kind").asText().toLowerCase(Locale.ROOT) + (group.isEmpty() ? "" : "." + group) + "/" + ref.path("name").asText();
            }
        }
        return NONE;
    }

    /**
     * A ResourceQuota's REQUEST or LIMIT cell: {@code name: used/hard} for each resource of
     * {@code status.hard}, sorted by name; {@code limits.*} resources go to LIMIT, the others to
     * REQUEST. Quantities are printed as stored (kube prints them in canonical form).
     */
    private static String quota(JsonNode quota, boolean limits) {
        JsonNode hard = quota.path("status").path("hard");
        JsonNode used = quota.path("status").path("used");
        Map<String, String> sorted = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = hard.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String[] pieces = e.getKey().split("\\.");
            if ((pieces.length > 1 && pieces[0].equals("limits")) == limits) {
                sorted.put(e.getKey(), used.path(e.getKey()).asText("0") + "/" + e.getValue().asText());
            }
        }
        List<String> out = new ArrayList<>();
        sorted.forEach((resource, usage) -> out.add(resource + ": " + usage));
        return String.join(", ", out);
    }
}
