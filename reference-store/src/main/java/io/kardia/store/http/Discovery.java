package io.kardia.store.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.model.ResourceType;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kardia.store.TypeRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    public static final String KUBE_MAJOR = KubeApiCatalog.get().kubernetesMajor();
    public static final String KUBE_MINOR = KubeApiCatalog.get().kubernetesMinor();
    /** The media type of aggregated discovery ({@code kubectl} 1.30+ asks for it first). */
    static final String AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Supplier<Collection<ResourceType<?>>> served;
    private final TypeRegistry registry;

    public Discovery(TypeRegistry registry) {
        this.registry = registry;
        this.served = () -> {
            List<ResourceType<?>> all = new ArrayList<>(registry.served());
            all.addAll(AUTH_APIS);
            return all;
        };
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
        return TypeRegistry.versionPriority(v);
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
            verbs(t).forEach(verbs::add);
            if (!t.shortNames().isEmpty()) {
                ArrayNode sn = r.putArray("shortNames");
                t.shortNames().forEach(sn::add);
            }
            List<String> categories = registry.categories(t);
            if (!categories.isEmpty()) {
                categories.forEach(r.putArray("categories")::add);
            }
            r.put("storageVersionHash", Integer.toHexString(t.groupResource().hashCode()));
            for (String sub : subresources(t).stream().sorted().toList()) {
                list.add(subresource(t, sub));
            }
        });
        return n;
    }

    /**
     * Aggregated discovery ({@code apidiscovery.k8s.io/v2}): every group's versions and resources in
     * one document, {@code /api} for the core group, {@code /apis} for the others.
     */
    public ObjectNode aggregated(boolean core) {
        ObjectNode n = F.objectNode();
        n.put("kind", "APIGroupDiscoveryList");
        n.put("apiVersion", "apidiscovery.k8s.io/v2");
        n.putObject("metadata");
        ArrayNode items = n.putArray("items");
        Map<String, List<String>> groups = core ? Map.of("", List.of("v1")) : groupVersions();
        groups.forEach((group, versions) -> {
            ObjectNode g = items.addObject();
            g.putObject("metadata").put("name", group);
            ArrayNode vs = g.putArray("versions");
            for (String v : versions) {
                ObjectNode gv = vs.addObject();
                gv.put("version", v);
                ArrayNode resources = gv.putArray("resources");
                served.get().stream()
                        .filter(t -> t.group().equals(group) && t.version().equals(v))
                        .sorted(Comparator.comparing(ResourceType::plural))
                        .forEach(t -> resources.add(aggregatedResource(t)));
                gv.put("freshness", "Current");
            }
        });
        return n;
    }

    private ObjectNode aggregatedResource(ResourceType<?> t) {
        ObjectNode r = F.objectNode();
        r.put("resource", t.plural());
        ObjectNode kind = r.putObject("responseKind");
        kind.put("group", t.group());
        kind.put("version", t.version());
        kind.put("kind", t.kind());
        r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
        r.put("singularResource", t.singular());
        verbs(t).forEach(r.putArray("verbs")::add);
        if (!t.shortNames().isEmpty()) {
            t.shortNames().forEach(r.putArray("shortNames")::add);
        }
        List<String> categories = registry.categories(t);
        if (!categories.isEmpty()) {
            categories.forEach(r.putArray("categories")::add);
        }
        if (!subresources(t).isEmpty()) {
            ArrayNode subs = r.putArray("subresources");
            for (String sub : subresources(t).stream().sorted().toList()) {
                ObjectNode legacy = subresource(t, sub);
                ObjectNode s = subs.addObject();
                s.put("subresource", sub);
                ObjectNode k = s.putObject("responseKind");
                k.put("group", legacy.path("group").asText(t.group()));
                k.put("version", legacy.path("version").asText(t.version()));
                k.put("kind", legacy.path("kind").asText());
                s.set("verbs", legacy.path("verbs"));
            }
        }
        return r;
    }

    /**
     * The create-only authentication and authorization APIs (answered by the API server, never
     * stored, so not in the type registry): listed as kube-apiserver lists them, with the verb create.
     */
    private static final List<ResourceType<?>> AUTH_APIS = List.of(
            authApi("authentication.k8s.io", "SelfSubjectReview", false),
            authApi("authentication.k8s.io", "TokenReview", false),
            authApi("authorization.k8s.io", "LocalSubjectAccessReview", true),
            authApi("authorization.k8s.io", "SelfSubjectAccessReview", false),
            authApi("authorization.k8s.io", "SelfSubjectRulesReview", false),
            authApi("authorization.k8s.io", "SubjectAccessReview", false));

    private static ResourceType<?> authApi(String group, String kind, boolean namespaced) {
        String singular = kind.toLowerCase(java.util.Locale.ROOT);
        return new ResourceType<>(group, "v1", kind, singular + "s", singular, namespaced, List.of(), java.util.Set.of(),
                io.kardia.core.model.GenericObject.class);
    }

    private List<String> verbs(ResourceType<?> t) {
        return AUTH_APIS.contains(t) ? List.of("create") : registry.verbs(t);
    }

    /** A type's subresources, with the ServiceAccount TokenRequest the API server answers itself. */
    private static java.util.Set<String> subresources(ResourceType<?> t) {
        if (t.group().isEmpty() && t.plural().equals("serviceaccounts")) {
            java.util.Set<String> subs = new java.util.HashSet<>(t.subresources());
            subs.add("token");
            return subs;
        }
        return t.subresources();
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
            case "token" -> {
                r.put("group", "authentication.k8s.io");
                r.put("version", "v1");
                r.put("kind", "TokenRequest");
                verbs.add("create");
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
