package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.kubeapi.ApiResource;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kardia.store.conversion.VersionConverter;
import io.kardia.store.conversion.VersionConverters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kinds the store serves: the built-ins, plus one per established CustomResourceDefinition.
 * Discovery (the HTTP server) reads {@link #served()}; requests resolve their type here.
 *
 * <p>Each resource has one storage version (the type {@link #byGroupResource} answers). A resource
 * with a {@link VersionConverter} is served in its other versions too ({@code autoscaling/v1}
 * HorizontalPodAutoscalers beside {@code autoscaling/v2}): the store converts on the way in and out.
 */
public final class TypeRegistry {
    public static final String CRDS = "customresourcedefinitions.apiextensions.k8s.io";

    private final Map<String, ResourceType<?>> builtIn = new LinkedHashMap<>();
    /** groupResource → version → type: the versions served beside the storage version, each through a converter. */
    private final Map<String, Map<String, ResourceType<?>>> otherVersions = new ConcurrentHashMap<>();
    private final VersionConverters converters = VersionConverters.builtIns();
    private final Map<String, ResourceType<?>> custom = new ConcurrentHashMap<>();
    private final Map<String, List<String>> customCategories = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> customSchemas = new ConcurrentHashMap<>();
    /** The schemas of custom kinds' served versions other than the storage version: group resource, then version. */
    private final Map<String, Map<String, JsonNode>> customVersionSchemas = new ConcurrentHashMap<>();
    private static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    TypeRegistry() {
        // Every stored resource of the pinned release's generally available versions, as generic objects...
        // (the storage version is the preferred one: GA over beta, the highest number first)
        Map<String, List<ApiResource>> versions = new LinkedHashMap<>();
        for (ApiResource r : KubeApiCatalog.get().resources()) {
            if (servedByDefault(r)) {
                versions.computeIfAbsent(r.groupResource(), k -> new ArrayList<>()).add(r);
            }
        }
        versions.forEach((gr, rs) -> {
            rs.sort(java.util.Comparator.comparingInt((ApiResource r) -> versionPriority(r.version())).reversed());
            builtIn.put(gr, generic(rs.get(0)));
            if (converters.forResource(gr).isPresent()) {
                for (ApiResource other : rs.subList(1, rs.size())) {
                    otherVersions.computeIfAbsent(gr, k -> new LinkedHashMap<>()).put(other.version(), generic(other));
                }
            }
        });
        // ...with the subresources the store implements for the kinds it always served...
        for (ResourceType<?> t : fallbacks()) {
            builtIn.put(t.groupResource(), t);
        }
        // Typed model classes, where core has them, take precedence over the generic fallbacks.
        for (ResourceType<?> t : ResourceTypes.builtIns()) {
            builtIn.put(t.groupResource(), t);
        }
    }

    /**
     * Whether a catalog resource is served: stored kinds (not the create-only review APIs) of the
     * generally available versions, except componentstatuses, which kube-apiserver computes rather
     * than stores. Where a resource has two such versions (autoscaling/v2 and v1) the other one is
     * served only with a converter. MutatingAdmissionPolicy is served in v1beta1 too, the version
     * manifests for kube 1.34 and 1.35 are written in (a beta kube-apiserver serves behind a flag).
     */
    static boolean servedByDefault(ApiResource r) {
        boolean betaPolicy = r.version().equals("v1beta1") && BETA_SERVED.contains(r.groupResource());
        return r.isStored() && (r.isGenerallyAvailable() || betaPolicy) && !r.plural().equals("componentstatuses");
    }

    private static final Set<String> BETA_SERVED = Set.of("mutatingadmissionpolicies.admissionregistration.k8s.io",
            "mutatingadmissionpolicybindings.admissionregistration.k8s.io");

    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    /** Kubernetes' version ordering: GA over beta over alpha, higher numbers first (greater is preferred). */
    public static int versionPriority(String v) {
        java.util.regex.Matcher m = VERSION.matcher(v);
        if (!m.matches()) {
            return -1;
        }
        int major = Integer.parseInt(m.group(1));
        int stage = m.group(2) == null ? 3 : m.group(2).equals("beta") ? 2 : 1;
        int minor = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return stage * 1_000_000 + major * 1000 + minor;
    }

    private static ResourceType<GenericObject> generic(ApiResource r) {
        Set<String> sub = new HashSet<>();
        // The subresources the store implements generically; others (pods/exec...) are specific to a kind.
        for (String s : List.of("status", "scale")) {
            if (r.subresources().containsKey(s)) {
                sub.add(s);
            }
        }
        return new ResourceType<>(r.group(), r.version(), r.kind(), r.plural(), r.singular(), r.namespaced(),
                r.shortNames(), sub, GenericObject.class);
    }

    /** The categories of a served type ({@code all} for {@code kubectl get all}): the catalog's, or its CRD's. */
    public List<String> categories(ResourceType<?> type) {
        List<String> own = customCategories.get(type.groupResource());
        if (own != null) {
            return own;
        }
        return isBuiltIn(type.groupResource())
                ? KubeApiCatalog.get().resource(type.group(), type.version(), type.plural()).map(ApiResource::categories).orElse(List.of())
                : List.of();
    }

    /** The verbs of a served type: the catalog's for built-ins, all for custom resources. */
    public List<String> verbs(ResourceType<?> type) {
        return KubeApiCatalog.get().resource(type.group(), type.version(), type.plural())
                .filter(r -> isBuiltIn(type.groupResource()))
                .map(ApiResource::verbs)
                .orElse(ALL_VERBS);
    }

    /** Every served type in every served version (what discovery lists), built-ins first. */
    public List<ResourceType<?>> served() {
        List<ResourceType<?>> out = new ArrayList<>(builtIn.values());
        otherVersions.values().forEach(vs -> out.addAll(vs.values()));
        out.addAll(custom.values());
        return out;
    }

    /** Every served resource once, in its storage (preferred) version. */
    public List<ResourceType<?>> preferred() {
        List<ResourceType<?>> out = new ArrayList<>(builtIn.values());
        out.addAll(custom.values());
        return out;
    }

    /** The resource's type in its storage version. */
    public Optional<ResourceType<?>> byGroupResource(String groupResource) {
        ResourceType<?> t = builtIn.get(groupResource);
        return Optional.ofNullable(t != null ? t : custom.get(groupResource));
    }

    /** The type behind a REST path's group, version and plural. */
    public Optional<ResourceType<?>> find(String group, String version, String plural) {
        String gr = group == null || group.isEmpty() ? plural : plural + "." + group;
        Optional<ResourceType<?>> storage = byGroupResource(gr).filter(t -> t.version().equals(version));
        if (storage.isPresent()) {
            return storage;
        }
        return Optional.ofNullable(otherVersions.getOrDefault(gr, Map.of()).get(version));
    }

    /** The converter between the served versions of a resource, when it is served in more than one. */
    public Optional<VersionConverter> converter(String groupResource) {
        return otherVersions.containsKey(groupResource) ? converters.forResource(groupResource) : Optional.empty();
    }

    public Optional<ResourceType<?>> byKind(String apiVersion, String kind) {
        return served().stream().filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind)).findFirst();
    }

    public boolean isBuiltIn(String groupResource) {
        return builtIn.containsKey(groupResource);
    }

    void addCustom(ResourceType<?> type, JsonNode crd, VersionConverter converter) {
        Map<String, ResourceType<?>> others = new LinkedHashMap<>();
        for (JsonNode v : crd.path("spec").path("versions")) {
            String version = v.path("name").asText();
            if (v.path("served").asBoolean(false) && !version.equals(type.version())) {
                others.put(version, new ResourceType<>(type.group(), version, type.kind(), type.plural(), type.singular(),
                        type.namespaced(), type.shortNames(), type.subresources(), GenericObject.class));
            }
        }
        if (others.isEmpty()) {
            otherVersions.remove(type.groupResource());
            converters.remove(type.groupResource());
        } else {
            converters.register(type.groupResource(), converter);
            otherVersions.put(type.groupResource(), others);
        }
        customCategories.put(type.groupResource(), categoriesOf(crd));
        JsonNode schema = schemaOf(crd);
        if (schema != null) {
            customSchemas.put(type.groupResource(), schema.deepCopy());
        } else {
            customSchemas.remove(type.groupResource());
        }
        Map<String, JsonNode> versionSchemas = new HashMap<>();
        for (JsonNode v : crd.path("spec").path("versions")) {
            JsonNode vs = v.path("schema").get("openAPIV3Schema");
            if (others.containsKey(v.path("name").asText()) && vs != null && vs.isObject()) {
                versionSchemas.put(v.path("name").asText(), vs.deepCopy());
            }
        }
        customVersionSchemas.put(type.groupResource(), Map.copyOf(versionSchemas));
        custom.put(type.groupResource(), type);
    }

    void removeCustom(String groupResource) {
        otherVersions.remove(groupResource);
        converters.remove(groupResource);
        custom.remove(groupResource);
        customCategories.remove(groupResource);
        customSchemas.remove(groupResource);
        customVersionSchemas.remove(groupResource);
    }

    /**
     * The {@code openAPIV3Schema} of a served custom resource's version ({@code type}'s version; the
     * storage version's when that one has none of its own), if its CRD has one (never modify it).
     */
    public Optional<JsonNode> customSchema(ResourceType<?> type) {
        if (isBuiltIn(type.groupResource())) {
            return Optional.empty();
        }
        JsonNode own = customVersionSchemas.getOrDefault(type.groupResource(), Map.of()).get(type.version());
        return Optional.ofNullable(own != null ? own : customSchemas.get(type.groupResource()));
    }

    /** The {@code spec.names.categories} of a CustomResourceDefinition. */
    static List<String> categoriesOf(JsonNode crd) {
        List<String> out = new ArrayList<>();
        crd.path("spec").path("names").path("categories").forEach(c -> out.add(c.asText()));
        return out;
    }

    Collection<ResourceType<?>> customTypes() {
        return custom.values();
    }

    /** The type a CustomResourceDefinition defines: its storage version (else the first served one). */
    static ResourceType<GenericObject> fromCrd(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        JsonNode chosen = servedVersion(crd);
        Set<String> sub = new HashSet<>();
        if (chosen != null && chosen.path("subresources").has("status")) {
            sub.add("status");
        }
        if (chosen != null && chosen.path("subresources").has("scale")) {
            sub.add("scale");
        }
        List<String> shortNames = new ArrayList<>();
        names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
        String kind = names.path("kind").asText();
        String singular = names.path("singular").asText(kind.toLowerCase(java.util.Locale.ROOT));
        return new ResourceType<>(spec.path("group").asText(), chosen == null ? "" : chosen.path("name").asText(),
                kind, names.path("plural").asText(), singular.isEmpty() ? kind.toLowerCase(java.util.Locale.ROOT) : singular,
                "Namespaced".equals(spec.path("scope").asText()), shortNames, sub, GenericObject.class);
    }

    /** The {@code schema.openAPIV3Schema} of the version {@link #fromCrd} serves; null when it has none. */
    static JsonNode schemaOf(JsonNode crd) {
        JsonNode version = servedVersion(crd);
        JsonNode schema = version == null ? null : version.path("schema").get("openAPIV3Schema");
        return schema != null && schema.isObject() ? schema : null;
    }

    private static JsonNode servedVersion(JsonNode crd) {
        JsonNode chosen = null;
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("storage").asBoolean(false)) {
                chosen = v;
            }
        }
        if (chosen == null) {
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("served").asBoolean(false) && chosen == null) {
                    chosen = v;
                }
            }
        }
        return chosen;
    }

    private static List<ResourceType<?>> fallbacks() {
        return List.of(
                generic("", "v1", "Namespace", "namespaces", false, List.of("ns"), Set.of("status")),
                generic("", "v1", "Pod", "pods", true, List.of("po"), Set.of("status", "binding")),
                generic("", "v1", "Node", "nodes", false, List.of("no"), Set.of("status")),
                generic("", "v1", "Event", "events", true, List.of("ev"), Set.of()),
                generic("", "v1", "ConfigMap", "configmaps", true, List.of("cm"), Set.of()),
                generic("apps", "v1", "ReplicaSet", "replicasets", true, List.of("rs"), Set.of("status", "scale")),
                generic("apps", "v1", "Deployment", "deployments", true, List.of("deploy"), Set.of("status", "scale")),
                generic("coordination.k8s.io", "v1", "Lease", "leases", true, List.of(), Set.of()),
                generic("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false,
                        List.of("crd", "crds"), Set.of("status")));
    }

    private static ResourceType<GenericObject> generic(String group, String version, String kind, String plural,
                                                       boolean namespaced, List<String> shortNames, Set<String> sub) {
        return new ResourceType<>(group, version, kind, plural, kind.toLowerCase(java.util.Locale.ROOT), namespaced,
                shortNames, sub, GenericObject.class);
    }
}
