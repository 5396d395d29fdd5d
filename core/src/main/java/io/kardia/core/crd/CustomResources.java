package io.kardia.core.crd;

import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Derives a custom kind's {@link ResourceType} and names from its {@link Kind} annotation. The
 * CRD generator and the runtime share these rules, so the generated CRD and the client agree.
 */
public final class CustomResources {
    /** Where the CRD generator writes, and {@code Crds.ensureInstalled} reads, a kind's CRD on the class path. */
    public static final String CRD_RESOURCE_DIR = "META-INF/kardia/crds/";

    private CustomResources() {
    }

    /**
     * The {@link ResourceType} of an annotated custom resource class.
     *
     * @throws IllegalArgumentException naming the fix when the class is not a record
     *         implementing {@link CustomResource} annotated with {@link Kind}
     */
    public static <T extends KubeObject> ResourceType<T> typeOf(Class<T> javaType) {
        Kind kind = javaType.getAnnotation(Kind.class);
        if (kind == null || !CustomResource.class.isAssignableFrom(javaType) || !javaType.isRecord()) {
            throw new IllegalArgumentException(javaType.getName() + " is not a known kind: declare it as "
                    + "@Kind(group = \"example.com\", version = \"v1\") record " + javaType.getSimpleName()
                    + "(ObjectMeta metadata, Spec spec, Status status) implements CustomResource<Spec, Status>"
                    + missing(javaType, kind) + ", or describe it with ResourceType.generic(group, version, kind, "
                    + "plural, namespaced)");
        }
        if (javaType == GenericObject.class) {
            throw new IllegalArgumentException("GenericObject cannot be a @Kind");
        }
        String kindName = kindName(kind, javaType.getSimpleName());
        Set<String> subresources = new HashSet<>();
        if (kind.statusSubresource()) {
            subresources.add("status");
        }
        if (javaType.isAnnotationPresent(Scale.class)) {
            subresources.add("scale");
        }
        return new ResourceType<>(kind.group(), kind.version(), kindName, plural(kind, kindName),
                singular(kind, kindName), kind.scope() == Kind.Scope.NAMESPACED, List.of(kind.shortNames()),
                subresources, javaType);
    }

    private static String missing(Class<?> javaType, Kind kind) {
        List<String> missing = new java.util.ArrayList<>();
        if (!javaType.isRecord()) {
            missing.add("it is not a record");
        }
        if (kind == null) {
            missing.add("it has no @Kind annotation");
        }
        if (!CustomResource.class.isAssignableFrom(javaType)) {
            missing.add("it does not implement CustomResource");
        }
        return " (" + String.join(", ", missing) + ")";
    }

    /** The CRD's name, {@code <plural>.<group>}, of an annotated class. */
    public static String crdName(Class<? extends KubeObject> javaType) {
        ResourceType<?> type = typeOf(javaType);
        return type.plural() + "." + type.group();
    }

    /** The class-path resource holding the generated CRD of a kind. */
    public static String crdResource(String plural, String group) {
        return CRD_RESOURCE_DIR + plural + "." + group + ".yaml";
    }

    public static String kindName(Kind kind, String simpleName) {
        return kind.kind().isEmpty() ? simpleName : kind.kind();
    }

    public static String plural(Kind kind, String kindName) {
        return kind.plural().isEmpty() ? pluralOf(kindName) : kind.plural();
    }

    public static String singular(Kind kind, String kindName) {
        return kind.singular().isEmpty() ? kindName.toLowerCase(Locale.ROOT) : kind.singular();
    }

    /**
     * The lower-case English plural of a kind, by the rules kubebuilder's pluralizer applies to
     * regular nouns: {@code Backup → backups}, {@code Policy → policies}, {@code Ingress → ingresses},
     * {@code Patch → patches}, {@code Gateway → gateways}. Irregular nouns: set {@link Kind#plural()}.
     */
    public static String pluralOf(String kind) {
        String k = kind.toLowerCase(Locale.ROOT);
        if (k.endsWith("s") || k.endsWith("x") || k.endsWith("z") || k.endsWith("ch") || k.endsWith("sh")) {
            return k + "es";
        }
        if (k.endsWith("y") && k.length() > 1 && "aeiou".indexOf(k.charAt(k.length() - 2)) < 0) {
            return k.substring(0, k.length() - 1) + "ies";
        }
        return k + "s";
    }
}
