package io.kardia.core.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in kinds and their {@link ResourceType}s. Custom kinds are not registered here: the
 * store learns them from CustomResourceDefinitions, clients describe them with
 * {@link ResourceType#generic}.
 */
public final class ResourceTypes {
    private static final Map<Class<?>, ResourceType<?>> BY_CLASS = new ConcurrentHashMap<>();

    public static final ResourceType<Namespace> NAMESPACE = register(new ResourceType<>(
            "", "v1", "Namespace", "namespaces", "namespace", false, List.of("ns"), Set.of("status"), Namespace.class));

    private ResourceTypes() {
    }

    private static <T extends KubeObject> ResourceType<T> register(ResourceType<T> type) {
        BY_CLASS.put(type.javaType(), type);
        return type;
    }

    /** The type of a built-in model class. */
    @SuppressWarnings("unchecked")
    public static <T extends KubeObject> ResourceType<T> of(Class<T> javaType) {
        ResourceType<?> t = BY_CLASS.get(javaType);
        if (t == null) {
            throw new IllegalArgumentException(javaType.getName() + " is not a built-in kind; describe custom kinds with "
                    + "ResourceType.generic(group, version, kind, plural, namespaced)");
        }
        return (ResourceType<T>) t;
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
}
