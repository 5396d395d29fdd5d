package io.kardia.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.store.http.TableConverter.Column;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * kube-apiserver's Table columns (its printers) for the kinds kubectl users look at most beyond
 * pods and deployments: services, statefulsets, daemonsets, jobs, cronjobs, serviceaccounts,
 * persistentvolumeclaims, ingresses, and events (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; no
 * NAME column, as kube-apiserver prints them).
 */
final class KindColumns {
    private static final String NONE = "<none>";
    private static final String NAME_DESCRIPTION = "Name must be unique within a namespace. Cannot be updated.";

    private KindColumns() {
    }

    /** The columns of the kind at {@code groupPlural} ("/services", "apps/statefulsets"), or null when it has no own ones here. */
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
                c.add(TableConverter.text("External-IP", 0, "The external IP of the service.", KindColumns::externalIp));
                c.add(TableConverter.text("Port(s)", 0, "The ports of the service.", KindColumns::servicePorts));
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
                c.add(TableConverter.text("Status", 0, "Status of the job.", KindColumns::jobStatus));
                c.add(TableConverter.text("Completions", 0, "The completed and desired completions.", KindColumns::completions));
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
                c.add(TableConverter.text("Access Modes", 0, "The access modes of the bound volume.", KindColumns::accessModes));
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
                c.add(TableConverter.text("Hosts", 0, "Hosts that incoming requests are matched against.", KindColumns::ingressHosts));
                c.add(TableConverter.text("Address", 0, "Address is a list of IPs for the load balancers.",
                        o -> String.join(",", loadBalancerAddresses(o))));
                c.add(TableConverter.text("Ports", 0, "Ports of the load balancers.",
                        o -> o.path("spec").path("tls").isEmpty() ? "80" : "80, 443"));
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
        c.add(TableConverter.text("Source", 1, "The component reporting this event.", KindColumns::eventSource));
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

    private static String accessModes(JsonNode pvc) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : pvc.path("status").path("accessModes")) {
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
}
