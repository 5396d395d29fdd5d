package io.kardia.core.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in kinds and their {@link ResourceType}s: those with a typed model class
 * ({@link #POD}, {@link #DEPLOYMENT}...), and the ones operators most often own that are read and
 * written as {@link GenericObject}s ({@link #STATEFUL_SET}, {@link #SERVICE}, {@link #ROLE}...,
 * listed by {@link #genericBuiltIns()}). Custom kinds are not listed here: the store learns
 * them from CustomResourceDefinitions ({@link CustomResourceDefinition#resourceType}), clients
 * describe them with a {@link io.kardia.core.crd.Kind} record or {@link ResourceType#generic}.
 */
public final class ResourceTypes {
    private static final Map<Class<?>, ResourceType<?>> BY_CLASS = new ConcurrentHashMap<>();
    /** Custom kinds with their own Java class; kept apart so byKind/byResource stay built-in only. */
    private static final Map<Class<?>, ResourceType<?>> CUSTOM_BY_CLASS = new ConcurrentHashMap<>();
    private static final List<ResourceType<GenericObject>> GENERIC = new ArrayList<>();

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

    // Built-in kinds without a typed model: GenericObject types with kube-apiserver's names, scope,
    // short names and the status/scale subresources (a test checks them against the Kubernetes catalog).

    public static final ResourceType<GenericObject> SERVICE = generic(
            "", "v1", "Service", "services", true, List.of("svc"), Set.of("status"));

    public static final ResourceType<GenericObject> SERVICE_ACCOUNT = generic(
            "", "v1", "ServiceAccount", "serviceaccounts", true, List.of("sa"), Set.of());

    public static final ResourceType<GenericObject> PERSISTENT_VOLUME_CLAIM = generic(
            "", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, List.of("pvc"), Set.of("status"));

    public static final ResourceType<GenericObject> STATEFUL_SET = generic(
            "apps", "v1", "StatefulSet", "statefulsets", true, List.of("sts"), Set.of("status", "scale"));

    public static final ResourceType<GenericObject> DAEMON_SET = generic(
            "apps", "v1", "DaemonSet", "daemonsets", true, List.of("ds"), Set.of("status"));

    public static final ResourceType<GenericObject> JOB = generic(
            "batch", "v1", "Job", "jobs", true, List.of(), Set.of("status"));

    public static final ResourceType<GenericObject> CRON_JOB = generic(
            "batch", "v1", "CronJob", "cronjobs", true, List.of("cj"), Set.of("status"));

    public static final ResourceType<GenericObject> ROLE = generic(
            "rbac.authorization.k8s.io", "v1", "Role", "roles", true, List.of(), Set.of());

    public static final ResourceType<GenericObject> ROLE_BINDING = generic(
            "rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, List.of(), Set.of());

    public static final ResourceType<GenericObject> CLUSTER_ROLE = generic(
            "rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, List.of(), Set.of());

    public static final ResourceType<GenericObject> CLUSTER_ROLE_BINDING = generic(
            "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, List.of(), Set.of());

    public static final ResourceType<GenericObject> INGRESS = generic(
            "networking.k8s.io", "v1", "Ingress", "ingresses", true, List.of("ing"), Set.of("status"));

    public static final ResourceType<GenericObject> NETWORK_POLICY = generic(
            "networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, List.of("netpol"), Set.of());

    public static final ResourceType<GenericObject> POD_DISRUPTION_BUDGET = generic(
            "policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, List.of("pdb"), Set.of("status"));

    public static final ResourceType<GenericObject> HORIZONTAL_POD_AUTOSCALER = generic(
            "autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, List.of("hpa"),
            Set.of("status"));

    private ResourceTypes() {
    }

    private static ResourceType<GenericObject> generic(String group, String version, String kind, String plural,
                                                       boolean namespaced, List<String> shortNames, Set<String> sub) {
        ResourceType<GenericObject> type = new ResourceType<>(group, version, kind, plural,
                kind.toLowerCase(Locale.ROOT), namespaced, shortNames, sub, GenericObject.class);
        GENERIC.add(type);
        return type;
    }

    /**
     * The built-in kinds above that have no typed model and decode as {@link GenericObject}
     * ({@link #STATEFUL_SET}, {@link #SERVICE}, {@link #ROLE}...). The store serves every other
     * built-in kind of its Kubernetes release too; describe those with {@link ResourceType#generic}
     * or a {@code new ResourceType<>(...)} of {@code GenericObject.class}.
     */
    public static List<ResourceType<GenericObject>> genericBuiltIns() {
        return List.copyOf(GENERIC);
    }

    /**
     * {@code type} read as {@link PartialObjectMetadata}: the same group, version, resource and
     * kind (so paths and messages name the real kind), decoding to metadata only. A client of this
     * type lists, gets and watches with {@code as=PartialObjectMetadata}.
     */
    public static ResourceType<PartialObjectMetadata> metadataOf(ResourceType<?> type) {
        return new ResourceType<>(type.group(), type.version(), type.kind(), type.plural(), type.singular(),
                type.namespaced(), type.shortNames(), type.subresources(), PartialObjectMetadata.class);
    }

    /** The {@link #genericBuiltIns() generic built-in type} with this apiVersion and kind, if any. */
    public static Optional<ResourceType<GenericObject>> genericByKind(String apiVersion, String kind) {
        return GENERIC.stream().filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind)).findFirst();
    }

    private static <T extends KubeObject> ResourceType<T> register(ResourceType<T> type) {
        BY_CLASS.put(type.javaType(), type);
        return type;
    }

    /**
     * The type of a built-in model class, of a custom kind's record annotated with
     * {@link io.kardia.core.crd.Kind} (derived from the annotation on first use and cached), or of a
     * class registered with {@link #registerCustom} (from its static initializer, which this method runs).
     *
     * @throws IllegalArgumentException naming the fix, for any other class
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
        if (t == null && (javaType.isAnnotationPresent(io.kardia.core.crd.Kind.class)
                || io.kardia.core.crd.CustomResource.class.isAssignableFrom(javaType))) {
            // Derived from the @Kind annotation on first use and cached: no registration needed.
            t = registerCustom(io.kardia.core.crd.CustomResources.typeOf(javaType));
            io.kardia.core.json.UnknownFields.retainIn(javaType);
        }
        if (t == null) {
            throw new IllegalArgumentException(javaType.getName() + " is not a built-in kind; annotate a custom kind's "
                    + "record with @Kind(group = ..., version = ...) and implement CustomResource<Spec, Status>, describe "
                    + "it with ResourceType.generic(group, version, kind, plural, namespaced), or register its class with "
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
