package io.kardia.kubeapi.generator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the release's REST operations into its resources (group, version, plural, scope, verbs,
 * subresources) and pairs each plural with its kind: the message of that group's protobuf package
 * that has an {@code ObjectMeta} and whose name pluralises, as kube-apiserver does, to the plural.
 */
final class ResourceList {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /**
     * Not in any published artifact (kube-apiserver's REST storage declares them in Go code), so
     * kept here: kubectl's short names of Kubernetes' built-in resources.
     */
    static final Map<String, List<String>> SHORT_NAMES = Map.ofEntries(
            Map.entry("configmaps", List.of("cm")),
            Map.entry("endpoints", List.of("ep")),
            Map.entry("events", List.of("ev")),
            Map.entry("events.events.k8s.io", List.of("ev")),
            Map.entry("limitranges", List.of("limits")),
            Map.entry("namespaces", List.of("ns")),
            Map.entry("nodes", List.of("no")),
            Map.entry("persistentvolumeclaims", List.of("pvc")),
            Map.entry("persistentvolumes", List.of("pv")),
            Map.entry("pods", List.of("po")),
            Map.entry("replicationcontrollers", List.of("rc")),
            Map.entry("resourcequotas", List.of("quota")),
            Map.entry("serviceaccounts", List.of("sa")),
            Map.entry("services", List.of("svc")),
            Map.entry("componentstatuses", List.of("cs")),
            Map.entry("daemonsets.apps", List.of("ds")),
            Map.entry("deployments.apps", List.of("deploy")),
            Map.entry("replicasets.apps", List.of("rs")),
            Map.entry("statefulsets.apps", List.of("sts")),
            Map.entry("horizontalpodautoscalers.autoscaling", List.of("hpa")),
            Map.entry("cronjobs.batch", List.of("cj")),
            Map.entry("certificatesigningrequests.certificates.k8s.io", List.of("csr")),
            Map.entry("ingresses.networking.k8s.io", List.of("ing")),
            Map.entry("networkpolicies.networking.k8s.io", List.of("netpol")),
            Map.entry("ipaddresses.networking.k8s.io", List.of("ip")),
            Map.entry("poddisruptionbudgets.policy", List.of("pdb")),
            Map.entry("priorityclasses.scheduling.k8s.io", List.of("pc")),
            Map.entry("storageclasses.storage.k8s.io", List.of("sc")),
            Map.entry("volumeattributesclasses.storage.k8s.io", List.of("vac")),
            Map.entry("customresourcedefinitions.apiextensions.k8s.io", List.of("crd", "crds")));
    /** Likewise: the categories ({@code kubectl get all}) of built-in resources. */
    static final Map<String, List<String>> CATEGORIES = Map.ofEntries(
            Map.entry("pods", List.of("all")),
            Map.entry("replicationcontrollers", List.of("all")),
            Map.entry("services", List.of("all")),
            Map.entry("daemonsets.apps", List.of("all")),
            Map.entry("deployments.apps", List.of("all")),
            Map.entry("replicasets.apps", List.of("all")),
            Map.entry("statefulsets.apps", List.of("all")),
            Map.entry("horizontalpodautoscalers.autoscaling", List.of("all")),
            Map.entry("jobs.batch", List.of("all")),
            Map.entry("cronjobs.batch", List.of("all")),
            Map.entry("customresourcedefinitions.apiextensions.k8s.io", List.of("api-extensions")),
            Map.entry("mutatingwebhookconfigurations.admissionregistration.k8s.io", List.of("api-extensions")),
            Map.entry("validatingwebhookconfigurations.admissionregistration.k8s.io", List.of("api-extensions")),
            Map.entry("validatingadmissionpolicies.admissionregistration.k8s.io", List.of("api-extensions")),
            Map.entry("validatingadmissionpolicybindings.admissionregistration.k8s.io", List.of("api-extensions")),
            Map.entry("mutatingadmissionpolicies.admissionregistration.k8s.io", List.of("api-extensions")),
            Map.entry("mutatingadmissionpolicybindings.admissionregistration.k8s.io", List.of("api-extensions")));
    /** Subresources whose kind is not the parent's: {@code group/version/Kind}, or "" when they have none. */
    private static final Map<String, String> SUBRESOURCE_KINDS = Map.of(
            "scale", "autoscaling/v1/Scale",
            "binding", "/v1/Binding",
            "eviction", "policy/v1/Eviction",
            "token", "authentication.k8s.io/v1/TokenRequest",
            "exec", "/v1/PodExecOptions",
            "attach", "/v1/PodAttachOptions",
            "portforward", "/v1/PodPortForwardOptions");

    private ResourceList() {
    }

    /** Mutable while the operations are read. */
    private static final class Resource {
        String group;
        String version;
        String plural;
        boolean namespaced;
        final Set<String> verbs = new TreeSet<>();
        final Map<String, Set<String>> subresources = new TreeMap<>();
    }

    static ArrayNode build(List<RestPaths.Operation> operations, List<FileDescriptor> files) {
        Map<String, Descriptor> messages = new HashMap<>();
        for (FileDescriptor f : files) {
            for (Descriptor d : f.getMessageTypes()) {
                messages.put(d.getFullName(), d);
            }
        }
        Map<String, Resource> resources = new TreeMap<>();
        for (RestPaths.Operation op : operations) {
            apply(op, resources);
        }
        ArrayNode out = F.arrayNode();
        List<Resource> sorted = new ArrayList<>(resources.values());
        sorted.sort(Comparator.comparing((Resource r) -> r.group).thenComparing(r -> r.version).thenComparing(r -> r.plural));
        for (Resource r : sorted) {
            String protoPackage = protoPackage(r.group, r.version);
            Descriptor kind = kindFor(r.plural, protoPackage, messages);
            if (kind == null) {
                continue; // not an object kind (e.g. no protobuf package for the group): nothing to serve
            }
            String groupResource = r.group.isEmpty() ? r.plural : r.plural + "." + r.group;
            ObjectNode n = out.addObject();
            n.put("group", r.group);
            n.put("version", r.version);
            n.put("kind", kind.getName());
            n.put("plural", r.plural);
            n.put("singular", kind.getName().toLowerCase(Locale.ROOT));
            n.put("namespaced", r.namespaced);
            n.put("type", kind.getFullName());
            String listType = kind.getFullName() + "List";
            if (messages.containsKey(listType)) {
                n.put("listType", listType);
            }
            r.verbs.forEach(n.putArray("verbs")::add);
            SHORT_NAMES.getOrDefault(groupResource, List.of()).forEach(n.putArray("shortNames")::add);
            CATEGORIES.getOrDefault(groupResource, List.of()).forEach(n.putArray("categories")::add);
            ObjectNode subs = n.putObject("subresources");
            r.subresources.forEach((name, verbs) -> {
                ObjectNode s = subs.putObject(name);
                String gvk = SUBRESOURCE_KINDS.get(name);
                if (gvk == null) {
                    s.put("group", r.group).put("version", r.version).put("kind", kind.getName());
                } else {
                    String[] parts = gvk.split("/");
                    s.put("group", parts[0]).put("version", parts[1]).put("kind", parts[2]);
                }
                verbs.forEach(s.putArray("verbs")::add);
            });
        }
        return out;
    }

    private static void apply(RestPaths.Operation op, Map<String, Resource> resources) {
        String[] all = op.path().substring(1).split("/");
        int at;
        String group;
        String version;
        if (all[0].equals("api")) {
            if (all.length < 3) {
                return;
            }
            group = "";
            version = all[1];
            at = 2;
        } else {
            if (all.length < 4) {
                return;
            }
            group = all[1];
            version = all[2];
            at = 3;
        }
        List<String> rest = List.of(all).subList(at, all.length);
        boolean namespaced = false;
        if (rest.size() >= 3 && rest.get(0).equals("namespaces") && rest.get(1).equals("{namespace}")) {
            namespaced = true;
            rest = rest.subList(2, rest.size());
        }
        if (rest.isEmpty() || rest.get(0).equals("watch") || rest.get(0).startsWith("{")) {
            return;
        }
        String plural = rest.get(0);
        Resource r = resources.computeIfAbsent(group + "/" + version + "/" + plural, k -> {
            Resource n = new Resource();
            n.group = group;
            n.version = version;
            n.plural = plural;
            return n;
        });
        r.namespaced |= namespaced;
        switch (rest.size()) {
            case 1 -> {
                switch (op.httpMethod()) {
                    case "GET" -> {
                        r.verbs.add("list");
                        if (op.watchParameter()) {
                            r.verbs.add("watch");
                        }
                    }
                    case "POST" -> r.verbs.add("create");
                    case "DELETE" -> r.verbs.add("deletecollection");
                    default -> { }
                }
            }
            case 2 -> r.verbs.add(itemVerb(op.httpMethod()));
            default -> r.subresources.computeIfAbsent(rest.get(2), s -> new TreeSet<>()).add(itemVerb(op.httpMethod()));
        }
    }

    private static String itemVerb(String httpMethod) {
        return switch (httpMethod) {
            case "GET" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "create";
        };
    }

    /** The protobuf package of a group version: mostly {@code k8s.io.api.<first label of group>.<version>}. */
    static String protoPackage(String group, String version) {
        return switch (group) {
            case "" -> "k8s.io.api.core." + version;
            case "apiextensions.k8s.io" -> "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions." + version;
            case "apiregistration.k8s.io" -> "k8s.io.kube_aggregator.pkg.apis.apiregistration." + version;
            case "internal.apiserver.k8s.io" -> "k8s.io.api.apiserverinternal." + version;
            default -> "k8s.io.api." + group.substring(0, group.contains(".") ? group.indexOf('.') : group.length())
                    + "." + version;
        };
    }

    private static Descriptor kindFor(String plural, String protoPackage, Map<String, Descriptor> messages) {
        Descriptor found = null;
        for (Descriptor d : messages.values()) {
            if (!d.getFile().getPackage().equals(protoPackage) || d.findFieldByName("metadata") == null
                    || d.getName().endsWith("List")) {
                continue;
            }
            String lower = d.getName().toLowerCase(Locale.ROOT);
            if (lower.equals(plural) || guessPlural(lower).equals(plural)) {
                found = d;
            }
        }
        return found;
    }

    /** kube-apiserver's guess of a resource's plural from its kind. */
    static String guessPlural(String singular) {
        if (singular.endsWith("s")) {
            return singular + "es";
        }
        if (singular.endsWith("y")) {
            return singular.substring(0, singular.length() - 1) + "ies";
        }
        return singular + "s";
    }
}
