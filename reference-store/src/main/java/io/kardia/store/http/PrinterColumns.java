package io.kardia.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The columns kube-apiserver's printers give the built-in kinds that have no typed model here
 * ({@code kubectl get svc,sts,job,pvc,events...}), after Kubernetes' {@code pkg/printers/internalversion}.
 * Printers are Go code in kube-apiserver, in no published artifact, so they are kept here by hand;
 * a kind with none prints NAME and AGE.
 */
final class PrinterColumns {
    private static final String NONE = "<none>";

    private PrinterColumns() {
    }

    /**
     * Every column of a kind ({@code group/plural}, {@code /services} for the core group), NAME
     * included, or null when it has no printer here. {@code age} prints a timestamp as an age.
     */
    static List<TableConverter.Column> of(String groupPlural, Function<String, String> age) {
        List<TableConverter.Column> c = new ArrayList<>();
        TableConverter.Column name = text("Name", 0, o -> o.path("metadata").path("name").asText());
        TableConverter.Column created = text("Age", 0, o -> age.apply(o.path("metadata").path("creationTimestamp").asText("")));
        switch (groupPlural) {
            case "/services" -> {
                c.add(name);
                c.add(text("Type", 0, o -> o.path("spec").path("type").asText("ClusterIP")));
                c.add(text("Cluster-IP", 0, o -> orNone(o.path("spec").path("clusterIP").asText())));
                c.add(text("External-IP", 0, PrinterColumns::serviceExternalIp));
                c.add(text("Port(s)", 0, PrinterColumns::servicePorts));
                c.add(created);
                c.add(text("Selector", 1, o -> orNone(labels(o.path("spec").path("selector")))));
            }
            case "apps/statefulsets" -> {
                c.add(name);
                c.add(text("Ready", 0, o -> o.path("status").path("readyReplicas").asInt(0) + "/" + o.path("spec").path("replicas").asInt(1)));
                c.add(created);
                templateWide(c, false);
            }
            case "apps/daemonsets" -> {
                c.add(name);
                for (String[] f : new String[][] {{"Desired", "desiredNumberScheduled"}, {"Current", "currentNumberScheduled"},
                        {"Ready", "numberReady"}, {"Up-to-date", "updatedNumberScheduled"}, {"Available", "numberAvailable"}}) {
                    c.add(integer(f[0], o -> o.path("status").path(f[1]).asInt(0)));
                }
                c.add(text("Node Selector", 0, o -> orNone(labels(o.path("spec").path("template").path("spec").path("nodeSelector")))));
                c.add(created);
                templateWide(c, true);
            }
            case "/replicationcontrollers" -> {
                c.add(name);
                c.add(integer("Desired", o -> o.path("spec").path("replicas").asInt(1)));
                c.add(integer("Current", o -> o.path("status").path("replicas").asInt(0)));
                c.add(integer("Ready", o -> o.path("status").path("readyReplicas").asInt(0)));
                c.add(created);
                c.add(text("Containers", 1, o -> containers(o, "name")));
                c.add(text("Images", 1, o -> containers(o, "image")));
                c.add(text("Selector", 1, o -> orNone(labels(o.path("spec").path("selector")))));
            }
            case "batch/jobs" -> {
                c.add(name);
                c.add(text("Status", 0, PrinterColumns::jobStatus));
                c.add(text("Completions", 0, PrinterColumns::jobCompletions));
                c.add(text("Duration", 0, o -> jobDuration(o)));
                c.add(created);
                templateWide(c, true);
            }
            case "batch/cronjobs" -> {
                c.add(name);
                c.add(text("Schedule", 0, o -> o.path("spec").path("schedule").asText()));
                c.add(text("Timezone", 0, o -> orNone(o.path("spec").path("timeZone").asText())));
                c.add(text("Suspend", 0, o -> o.path("spec").path("suspend").asBoolean(false) ? "True" : "False"));
                c.add(integer("Active", o -> o.path("status").path("active").size()));
                c.add(text("Last Schedule", 0, o -> o.path("status").hasNonNull("lastScheduleTime")
                        ? age.apply(o.path("status").path("lastScheduleTime").asText()) : NONE));
                c.add(created);
                c.add(text("Containers", 1, o -> names(o.path("spec").path("jobTemplate").path("spec").path("template")
                        .path("spec").path("containers"), "name")));
                c.add(text("Images", 1, o -> names(o.path("spec").path("jobTemplate").path("spec").path("template")
                        .path("spec").path("containers"), "image")));
                c.add(text("Selector", 1, o -> orNone(selector(o.path("spec").path("jobTemplate").path("spec").path("selector")))));
            }
            case "/configmaps" -> {
                c.add(name);
                c.add(integer("Data", o -> o.path("data").size() + o.path("binaryData").size()));
                c.add(created);
            }
            case "/secrets" -> {
                c.add(name);
                c.add(text("Type", 0, o -> o.path("type").asText("Opaque")));
                c.add(integer("Data", o -> o.path("data").size()));
                c.add(created);
            }
            case "/serviceaccounts" -> {
                c.add(name);
                c.add(integer("Secrets", o -> o.path("secrets").size()));
                c.add(created);
            }
            case "/endpoints" -> {
                c.add(name);
                c.add(text("Endpoints", 0, PrinterColumns::endpoints));
                c.add(created);
            }
            case "/persistentvolumeclaims" -> {
                c.add(name);
                c.add(text("Status", 0, o -> o.path("status").path("phase").asText("Pending")));
                c.add(text("Volume", 0, o -> o.path("spec").path("volumeName").asText("")));
                c.add(text("Capacity", 0, o -> o.path("status").path("capacity").path("storage").asText("")));
                c.add(text("Access Modes", 0, o -> accessModes(o.path("status").path("accessModes"))));
                c.add(text("StorageClass", 0, o -> o.path("spec").path("storageClassName").asText("")));
                c.add(text("VolumeAttributesClass", 0, o -> o.path("spec").has("volumeAttributesClassName")
                        ? o.path("spec").path("volumeAttributesClassName").asText() : "<unset>"));
                c.add(created);
                c.add(text("VolumeMode", 1, o -> o.path("spec").path("volumeMode").asText("Filesystem")));
            }
            case "/persistentvolumes" -> {
                c.add(name);
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
                c.add(created);
                c.add(text("VolumeMode", 1, o -> o.path("spec").path("volumeMode").asText("Filesystem")));
            }
            case "networking.k8s.io/ingresses" -> {
                c.add(name);
                c.add(text("Class", 0, o -> o.path("spec").hasNonNull("ingressClassName")
                        ? o.path("spec").path("ingressClassName").asText() : "<none>"));
                c.add(text("Hosts", 0, PrinterColumns::ingressHosts));
                c.add(text("Address", 0, PrinterColumns::ingressAddress));
                c.add(text("Ports", 0, o -> o.path("spec").path("tls").isEmpty() ? "80" : "80, 443"));
                c.add(created);
            }
            case "networking.k8s.io/networkpolicies" -> {
                c.add(name);
                c.add(text("Pod-Selector", 0, o -> selector(o.path("spec").path("podSelector"))));
                c.add(created);
            }
            case "policy/poddisruptionbudgets" -> {
                c.add(name);
                c.add(text("Min Available", 0, o -> o.path("spec").has("minAvailable") ? o.path("spec").path("minAvailable").asText() : "N/A"));
                c.add(text("Max Unavailable", 0, o -> o.path("spec").has("maxUnavailable") ? o.path("spec").path("maxUnavailable").asText() : "N/A"));
                c.add(integer("Allowed Disruptions", o -> o.path("status").path("disruptionsAllowed").asInt(0)));
                c.add(created);
            }
            case "rbac.authorization.k8s.io/roles", "rbac.authorization.k8s.io/clusterroles" -> {
                c.add(name);
                c.add(text("Created At", 0, o -> o.path("metadata").path("creationTimestamp").asText("")));
            }
            case "rbac.authorization.k8s.io/rolebindings", "rbac.authorization.k8s.io/clusterrolebindings" -> {
                c.add(name);
                c.add(text("Role", 0, o -> o.path("roleRef").path("kind").asText() + "/" + o.path("roleRef").path("name").asText()));
                c.add(created);
                c.add(text("Users", 1, o -> subjects(o, "User")));
                c.add(text("Groups", 1, o -> subjects(o, "Group")));
                c.add(text("ServiceAccounts", 1, o -> subjects(o, "ServiceAccount")));
            }
            case "/events" -> {
                c.add(text("Last Seen", 0, o -> lastSeen(o, age)));
                c.add(text("Type", 0, o -> o.path("type").asText("")));
                c.add(text("Reason", 0, o -> o.path("reason").asText("")));
                c.add(text("Object", 0, o -> o.path("involvedObject").path("kind").asText().toLowerCase(Locale.ROOT) + "/"
                        + o.path("involvedObject").path("name").asText()));
                c.add(text("Subobject", 1, o -> o.path("involvedObject").path("fieldPath").asText("")));
                c.add(text("Source", 1, o -> eventSource(o)));
                c.add(text("Message", 0, o -> o.path("message").asText("").strip()));
                c.add(text("First Seen", 1, o -> age.apply(o.path("firstTimestamp").asText(o.path("eventTime").asText("")))));
                c.add(new TableConverter.Column("Count", "integer", "", 1, "", o -> o.path("count").asInt(1)));
                c.add(new TableConverter.Column("Name", "string", "name", 1, "", o -> o.path("metadata").path("name").asText()));
            }
            case "autoscaling/horizontalpodautoscalers" -> {
                c.add(name);
                c.add(text("Reference", 0, o -> o.path("spec").path("scaleTargetRef").path("kind").asText() + "/"
                        + o.path("spec").path("scaleTargetRef").path("name").asText()));
                c.add(text("Targets", 0, o -> o.path("spec").path("metrics").isEmpty() ? NONE : "<unknown>"));
                c.add(text("MinPods", 0, o -> String.valueOf(o.path("spec").path("minReplicas").asInt(1))));
                c.add(integer("MaxPods", o -> o.path("spec").path("maxReplicas").asInt(0)));
                c.add(integer("Replicas", o -> o.path("status").path("currentReplicas").asInt(0)));
                c.add(created);
            }
            case "coordination.k8s.io/leases" -> {
                c.add(name);
                c.add(text("Holder", 0, o -> o.path("spec").path("holderIdentity").asText("")));
                c.add(created);
            }
            case "storage.k8s.io/storageclasses" -> {
                c.add(text("Name", 0, o -> o.path("metadata").path("name").asText()
                        + ("true".equals(o.path("metadata").path("annotations").path("storageclass.kubernetes.io/is-default-class").asText())
                        ? " (default)" : "")));
                c.add(text("Provisioner", 0, o -> o.path("provisioner").asText()));
                c.add(text("ReclaimPolicy", 0, o -> o.path("reclaimPolicy").asText("Delete")));
                c.add(text("VolumeBindingMode", 0, o -> o.path("volumeBindingMode").asText("Immediate")));
                c.add(text("AllowVolumeExpansion", 0, o -> o.path("allowVolumeExpansion").asBoolean(false) ? "true" : "false"));
                c.add(created);
            }
            case "scheduling.k8s.io/priorityclasses" -> {
                c.add(name);
                c.add(integer("Value", o -> o.path("value").asInt(0)));
                c.add(text("Global-Default", 0, o -> o.path("globalDefault").asBoolean(false) ? "true" : "false"));
                c.add(created);
                c.add(text("PreemptionPolicy", 0, o -> o.path("preemptionPolicy").asText("PreemptLowerPriority")));
            }
            case "discovery.k8s.io/endpointslices" -> {
                c.add(name);
                c.add(text("AddressType", 0, o -> o.path("addressType").asText()));
                c.add(text("Ports", 0, o -> orUnset(names(o.path("ports"), "port"))));
                c.add(text("Endpoints", 0, o -> orUnset(endpointSliceAddresses(o))));
                c.add(created);
            }
            case "apps/controllerrevisions" -> {
                c.add(name);
                c.add(text("Controller", 0, PrinterColumns::controller));
                c.add(integer("Revision", o -> o.path("revision").asLong(0)));
                c.add(created);
            }
            default -> {
                return null;
            }
        }
        return c;
    }

    private static TableConverter.Column text(String name, int priority, Function<JsonNode, Object> cell) {
        return new TableConverter.Column(name, "string", "", priority, "", cell);
    }

    private static TableConverter.Column integer(String name, Function<JsonNode, Object> cell) {
        return new TableConverter.Column(name, "integer", "", 0, "", cell);
    }

    private static void templateWide(List<TableConverter.Column> c, boolean selector) {
        c.add(text("Containers", 1, o -> containers(o, "name")));
        c.add(text("Images", 1, o -> containers(o, "image")));
        if (selector) {
            c.add(text("Selector", 1, o -> orNone(selector(o.path("spec").path("selector")))));
        }
    }

    private static String containers(JsonNode o, String field) {
        return names(o.path("spec").path("template").path("spec").path("containers"), field);
    }

    private static String names(JsonNode list, String field) {
        List<String> out = new ArrayList<>();
        list.forEach(e -> out.add(e.path(field).asText()));
        return String.join(",", out);
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }

    private static String orUnset(String s) {
        return s == null || s.isEmpty() ? "<unset>" : s;
    }

    /** A map of labels as {@code a=b,c=d}. */
    private static String labels(JsonNode map) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(e.getKey() + "=" + e.getValue().asText());
        }
        return String.join(",", out);
    }

    private static String selector(JsonNode labelSelector) {
        return ScaleSubresource.selectorString(labelSelector);
    }

    private static String serviceExternalIp(JsonNode svc) {
        JsonNode spec = svc.path("spec");
        String type = spec.path("type").asText("ClusterIP");
        List<String> ips = new ArrayList<>();
        spec.path("externalIPs").forEach(ip -> ips.add(ip.asText()));
        if (type.equals("ExternalName")) {
            return spec.path("externalName").asText();
        }
        if (type.equals("LoadBalancer")) {
            svc.path("status").path("loadBalancer").path("ingress").forEach(i -> ips.add(i.has("ip") ? i.path("ip").asText() : i.path("hostname").asText()));
            return ips.isEmpty() ? "<pending>" : String.join(",", ips);
        }
        return ips.isEmpty() ? NONE : String.join(",", ips);
    }

    private static String servicePorts(JsonNode svc) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : svc.path("spec").path("ports")) {
            String port = p.path("port").asText();
            if (p.path("nodePort").asInt(0) != 0) {
                port += ":" + p.path("nodePort").asInt();
            }
            out.add(port + "/" + p.path("protocol").asText("TCP"));
        }
        return out.isEmpty() ? NONE : String.join(",", out);
    }

    private static String jobStatus(JsonNode job) {
        String status = "Running";
        for (JsonNode c : job.path("status").path("conditions")) {
            if (!c.path("status").asText().equals("True")) {
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
                default -> { }
            }
        }
        return status;
    }

    private static String jobCompletions(JsonNode job) {
        JsonNode spec = job.path("spec");
        int succeeded = job.path("status").path("succeeded").asInt(0);
        if (spec.hasNonNull("completions")) {
            return succeeded + "/" + spec.path("completions").asInt();
        }
        int parallelism = spec.path("parallelism").asInt(1);
        return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }

    private static String jobDuration(JsonNode job) {
        JsonNode status = job.path("status");
        if (!status.hasNonNull("startTime")) {
            return "";
        }
        try {
            Instant start = Instant.parse(status.path("startTime").asText());
            Instant end = status.hasNonNull("completionTime") ? Instant.parse(status.path("completionTime").asText()) : Instant.now();
            return TableConverter.humanDuration(Duration.between(start, end));
        } catch (DateTimeParseException e) {
            return "";
        }
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

    private static String ingressHosts(JsonNode ing) {
        List<String> hosts = new ArrayList<>();
        for (JsonNode rule : ing.path("spec").path("rules")) {
            hosts.add(rule.path("host").asText("*").isEmpty() ? "*" : rule.path("host").asText("*"));
        }
        return hosts.isEmpty() ? "*" : String.join(",", hosts);
    }

    private static String ingressAddress(JsonNode ing) {
        List<String> out = new ArrayList<>();
        ing.path("status").path("loadBalancer").path("ingress")
                .forEach(i -> out.add(i.has("ip") ? i.path("ip").asText() : i.path("hostname").asText()));
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

    private static String lastSeen(JsonNode event, Function<String, String> age) {
        String last = event.path("lastTimestamp").asText("");
        if (last.isEmpty()) {
            last = event.path("eventTime").asText(event.path("metadata").path("creationTimestamp").asText(""));
        }
        int count = event.path("count").asInt(1);
        String first = event.path("firstTimestamp").asText("");
        return count > 1 && !first.isEmpty()
                ? age.apply(last) + " (x" + count + " over " + age.apply(first) + ")"
                : age.apply(last);
    }

    private static String eventSource(JsonNode event) {
        String component = event.path("source").path("component").asText(event.path("reportingComponent").asText(""));
        String host = event.path("source").path("host").asText("");
        return host.isEmpty() ? component : component + ", " + host;
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
}
