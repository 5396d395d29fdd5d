package io.kardia.core.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in kinds and their {@link ResourceType}s. Custom kinds are not registered here: the
 * store learns them from CustomResourceDefinitions ({@link CustomResourceDefinition#resourceType}),
 * clients describe them with {@link ResourceType#generic}.
 */
public final class ResourceTypes {
    private static final Map<Class<?>, ResourceType<?>> BY_CLASS = new ConcurrentHashMap<>();
    /** Custom kinds with their own Java class; kept apart so byKind/byResource stay built-in only. */
    private static final Map<Class<?>, ResourceType<?>> CUSTOM_BY_CLASS = new ConcurrentHashMap<>();

    public static final ResourceType<Namespace> NAMESPACE = register(new ResourceType<>(
            "", "v1", "Namespace", "namespaces", "namespace", false, List.of("ns"), Set.of("status", "finalize"), Namespace.class));

    public static final ResourceType<Pod> POD = register(new ResourceType<>(
            "", "v1", "Pod", "pods", "pod", true, List.of("po"), Set.of("status", "binding", "eviction"), Pod.class));

    public static final ResourceType<Node> NODE = register(new ResourceType<>(
            "", "v1", "Node", "nodes", "node", false, List.of("no"), Set.of("status"), Node.class));

    public static final ResourceType<Event> EVENT = register(new ResourceType<>(
            "", "v1", "Event", "events", "event", true, List.of("ev"), Set.of(), Event.class));

    public static final ResourceType<ConfigMap> CONFIG_MAP = register(new ResourceType<>(
            "", "v1", "ConfigMap", "configmaps", "configmap", true, List.of("cm"), Set.of(), ConfigMap.class));

    public static final ResourceType<Secret> SECRET = register(new ResourceType<>(
            "", "v1", "Secret", "secrets", "secret", true, List.of(), Set.of(), Secret.class));

    public static final ResourceType<ReplicaSet> REPLICA_SET = register(new ResourceType<>(
            "apps", "v1", "ReplicaSet", "replicasets", "replicaset", true, List.of("rs"), Set.of("status", "scale"),
            ReplicaSet.class));

    public static final ResourceType<Deployment> DEPLOYMENT = register(new ResourceType<>(
            "apps", "v1", "Deployment", "deployments", "deployment", true, List.of("deploy"),
            Set.of("status", "scale"), Deployment.class));

    public static final ResourceType<Lease> LEASE = register(new ResourceType<>(
            "coordination.k8s.io", "v1", "Lease", "leases", "lease", true, List.of(), Set.of(), Lease.class));

    public static final ResourceType<CustomResourceDefinition> CUSTOM_RESOURCE_DEFINITION = register(
            new ResourceType<>("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
                    "customresourcedefinition", false, List.of("crd", "crds"), Set.of("status"),
                    CustomResourceDefinition.class));

    private ResourceTypes() {
    }

    private static <T extends KubeObject> ResourceType<T> register(ResourceType<T> type) {
        BY_CLASS.put(type.javaType(), type);
        return type;
    }

    /**
     * The type of a built-in model class, or of a custom kind's class registered with
     * {@link #registerCustom} (usually from that class's static initializer, which this method runs).
     */
    @SuppressWarnings("unchecked")
    public static <T extends KubeObject> ResourceType<T> of(Class<T> javaType) {
        ResourceType<?> t = BY_CLASS.get(javaType);
        if (t == null) {
            t = CUSTOM_BY_CLASS.get(javaType);
        }
        if (t == null && initialize(javaType)) {
            t = CUSTOM_BY_CLASS.get(javaType);
        }
        if (t == null) {
            throw new IllegalArgumentException(javaType.getName() + " is not a built-in kind; describe custom kinds with "
                    + "ResourceType.generic(group, version, kind, plural, namespaced), or register their class with "
                    + "ResourceTypes.registerCustom(type)");
        }
        return (ResourceType<T>) t;
    }

    /**
     * Makes a custom kind's own class known to {@link #of(Class)}, hence to
     * {@code client.resources(Class)} and controllers declared by class. Idempotent for an equal
     * type; returns {@code type}, so a class can write
     * {@code static final ResourceType<Foo> TYPE = ResourceTypes.registerCustom(new ResourceType<>(...))}.
     *
     * @throws IllegalArgumentException if the class is a built-in kind, decodes as
     *         {@link GenericObject}, or is already registered with a different type
     */
    public static <T extends KubeObject> ResourceType<T> registerCustom(ResourceType<T> type) {
        Class<T> javaType = type.javaType();
        if (javaType == GenericObject.class || BY_CLASS.containsKey(javaType)) {
            throw new IllegalArgumentException(javaType.getName() + " cannot be registered as a custom kind: it is "
                    + (javaType == GenericObject.class ? "the generic object class" : "a built-in kind"));
        }
        ResourceType<?> previous = CUSTOM_BY_CLASS.putIfAbsent(javaType, type);
        if (previous != null && !previous.equals(type)) {
            throw new IllegalArgumentException(javaType.getName() + " is already registered as " + previous.apiVersion()
                    + " " + previous.kind() + "; cannot register it again as " + type.apiVersion() + " " + type.kind());
        }
        return type;
    }

    /** Runs the class's static initializer (where custom kinds register); false if it cannot be run. */
    private static boolean initialize(Class<?> javaType) {
        try {
            Class.forName(javaType.getName(), true, javaType.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    public static Collection<ResourceType<?>> builtIns() {
        return List.copyOf(BY_CLASS.values());
    }

    /** The built-in type with this apiVersion and kind, if any. */
    public static Optional<ResourceType<?>> byKind(String apiVersion, String kind) {
        return BY_CLASS.values().stream()
                .filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind))
                .findFirst();
    }

    /**
     * The built-in type a group and a resource name designate: the plural, the singular or a short
     * name ({@code ("apps", "deploy")}); the group is {@code ""} for the core group.
     */
    public static Optional<ResourceType<?>> byResource(String group, String resource) {
        String g = group == null ? "" : group;
        return BY_CLASS.values().stream()
                .filter(t -> t.group().equals(g))
                .filter(t -> t.plural().equals(resource) || t.singular().equals(resource)
                        || t.shortNames().contains(resource))
                .findFirst();
    }
}
