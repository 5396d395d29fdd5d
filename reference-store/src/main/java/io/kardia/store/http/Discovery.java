package io.kardia.store.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.model.ResourceType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The discovery documents kubectl and client libraries read to learn what the server serves:
 * {@code /version}, {@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/{group}} and
 * {@code /apis/{group}/{version}}, built from the store's currently served types (built-ins and
 * custom resources).
 */
public final class Discovery {
    /** The Kubernetes version whose REST dialect this server speaks. */
    public static final String KUBE_MAJOR = "1";
    public static final String KUBE_MINOR = "32";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    /** Kinds that {@code kubectl get all} shows. */
    private static final Set<String> CATEGORY_ALL = Set.of("pods", "replicasets", "deployments", "services",
            "daemonsets", "statefulsets", "jobs", "cronjobs", "replicationcontrollers");

    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    private final Supplier<Collection<ResourceType<?>>> served;

    public Discovery(Supplier<Collection<ResourceType<?>>> served) {
        this.served = served;
    }

    public ObjectNode version() {
        ObjectNode v = F.objectNode();
        v.put("major", KUBE_MAJOR);
        v.put("minor", KUBE_MINOR);
        v.put("gitVersion", "v" + KUBE_MAJOR + "." + KUBE_MINOR + ".0-kardia");
        v.put("gitCommit", "kardia");
        v.put("gitTreeState", "clean");
        v.put("buildDate", "2026-01-01T00:00:00Z");
        v.put("goVersion", "java" + Runtime.version().feature());
        v.put("compiler", "kardia");
        v.put("platform", "java/" + System.getProperty("os.arch"));
        return v;
    }

    /** {@code /api}: the core group's versions. */
    public ObjectNode coreVersions() {
        ObjectNode n = F.objectNode();
        n.put("kind", "APIVersions");
        n.putArray("versions").add("v1");
        ArrayNode addrs = n.putArray("serverAddressByClientCIDRs");
        ObjectNode a = addrs.addObject();
        a.put("clientCIDR", "0.0.0.0/0");
        a.put("serverAddress", "");
        return n;
    }

    /** {@code /apis}: every named group with its versions. */
    public ObjectNode groups() {
        ObjectNode n = F.objectNode();
        n.put("kind", "APIGroupList");
        n.put("apiVersion", "v1");
        ArrayNode groups = n.putArray("groups");
        groupVersions().forEach((group, versions) -> groups.add(group(group, versions)));
        return n;
    }

    /** {@code /apis/{group}}, or null if the group is not served. */
    public ObjectNode group(String group) {
        List<String> versions = groupVersions().get(group);
        if (versions == null) {
            return null;
        }
        ObjectNode g = group(group, versions);
        g.put("kind", "APIGroup");
        g.put("apiVersion", "v1");
        return g;
    }

    private ObjectNode group(String group, List<String> versions) {
        ObjectNode g = F.objectNode();
        g.put("name", group);
        ArrayNode vs = g.putArray("versions");
        for (String v : versions) {
            ObjectNode gv = vs.addObject();
            gv.put("groupVersion", group + "/" + v);
            gv.put("version", v);
        }
        ObjectNode pref = g.putObject("preferredVersion");
        pref.put("groupVersion", group + "/" + versions.get(0));
        pref.put("version", versions.get(0));
        return g;
    }

    private Map<String, List<String>> groupVersions() {
        Map<String, List<String>> byGroup = new TreeMap<>();
        for (ResourceType<?> t : served.get()) {
            if (t.group().isEmpty()) {
                continue;
            }
            List<String> vs = byGroup.computeIfAbsent(t.group(), g -> new ArrayList<>());
            if (!vs.contains(t.version())) {
                vs.add(t.version());
            }
        }
        byGroup.values().forEach(vs -> vs.sort(Comparator.comparing(Discovery::versionPriority).reversed()));
        return byGroup;
    }

    /** Kubernetes' version ordering: GA over beta over alpha, higher numbers first. */
    static int versionPriority(String v) {
        java.util.regex.Matcher m = VERSION.matcher(v);
        if (!m.matches()) {
            return -1;
        }
        int major = Integer.parseInt(m.group(1));
        int stage = m.group(2) == null ? 3 : m.group(2).equals("beta") ? 2 : 1;
        int minor = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return stage * 1_000_000 + major * 1000 + minor;
    }

    /** {@code /api/v1} or {@code /apis/{group}/{version}}, or null if nothing is served there. */
    public ObjectNode resources(String group, String version) {
        Map<String, ResourceType<?>> types = new LinkedHashMap<>();
        for (ResourceType<?> t : served.get()) {
            if (t.group().equals(group) && t.version().equals(version)) {
                types.put(t.plural(), t);
            }
        }
        if (types.isEmpty()) {
            return null;
        }
        ObjectNode n = F.objectNode();
        n.put("kind", "APIResourceList");
        n.put("apiVersion", "v1");
        n.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode list = n.putArray("resources");
        types.values().stream().sorted(Comparator.comparing(ResourceType::plural)).forEach(t -> {
            ObjectNode r = list.addObject();
            r.put("name", t.plural());
            r.put("singularName", t.singular());
            r.put("namespaced", t.namespaced());
            r.put("kind", t.kind());
            ArrayNode verbs = r.putArray("verbs");
            ALL_VERBS.forEach(verbs::add);
            if (!t.shortNames().isEmpty()) {
                ArrayNode sn = r.putArray("shortNames");
                t.shortNames().forEach(sn::add);
            }
            if (CATEGORY_ALL.contains(t.plural())) {
                r.putArray("categories").add("all");
            }
            r.put("storageVersionHash", Integer.toHexString(t.groupResource().hashCode()));
            for (String sub : t.subresources().stream().sorted().toList()) {
                list.add(subresource(t, sub));
            }
        });
        return n;
    }

    private static ObjectNode subresource(ResourceType<?> t, String sub) {
        ObjectNode r = F.objectNode();
        r.put("name", t.plural() + "/" + sub);
        r.put("singularName", "");
        r.put("namespaced", t.namespaced());
        ArrayNode verbs = r.putArray("verbs");
        switch (sub) {
            case "scale" -> {
                r.put("group", "autoscaling");
                r.put("version", "v1");
                r.put("kind", "Scale");
                List.of("get", "patch", "update").forEach(verbs::add);
            }
            case "binding" -> {
                r.put("kind", "Binding");
                verbs.add("create");
            }
            case "finalize" -> {
                r.put("kind", t.kind());
                verbs.add("update");
            }
            case "eviction" -> {
                r.put("group", "policy");
                r.put("version", "v1");
                r.put("kind", "Eviction");
                verbs.add("create");
            }
            default -> {
                r.put("kind", t.kind());
                List.of("get", "patch", "update").forEach(verbs::add);
            }
        }
        return r;
    }
}
