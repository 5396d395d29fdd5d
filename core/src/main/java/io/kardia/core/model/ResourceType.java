package io.kardia.core.model;

import java.util.List;
import java.util.Set;

/**
 * Everything the client and the store need to know about one kind: its group/version/kind, the
 * plural used in URLs, scope, short names, subresources, and the Java type it decodes to
 * ({@link GenericObject} for custom resources).
 *
 * @param group       API group, {@code ""} for the core group
 * @param version     API version within the group, e.g. {@code v1}
 * @param kind        the kind, e.g. {@code Deployment}
 * @param plural      lower-case plural used in paths, e.g. {@code deployments}
 * @param singular    lower-case singular, e.g. {@code deployment}
 * @param namespaced  whether objects live in a namespace
 * @param shortNames  kubectl short names, e.g. {@code deploy}
 * @param subresources names such as {@code status} and {@code scale}
 * @param javaType    the class objects decode to
 */
public record ResourceType<T extends KubeObject>(
        String group,
        String version,
        String kind,
        String plural,
        String singular,
        boolean namespaced,
        List<String> shortNames,
        Set<String> subresources,
        Class<T> javaType) {

    public ResourceType {
        group = group == null ? "" : group;
        shortNames = Frozen.list(shortNames);
        subresources = subresources == null ? Set.of() : Set.copyOf(subresources);
    }

    /** A custom kind decoded as {@link GenericObject}. */
    public static ResourceType<GenericObject> generic(String group, String version, String kind, String plural,
                                                      boolean namespaced) {
        return new ResourceType<>(group, version, kind, plural, kind.toLowerCase(java.util.Locale.ROOT), namespaced,
                List.of(), Set.of("status"), GenericObject.class);
    }

    /** {@code v1} for the core group, {@code group/version} otherwise. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code deployments.apps}: the name kube-apiserver uses in messages and CRD names. */
    public String groupResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    public String listKind() {
        return kind + "List";
    }

    public boolean hasStatus() {
        return subresources.contains("status");
    }

    public boolean hasScale() {
        return subresources.contains("scale");
    }

    /** Names an object of this type in an error {@link Status}. */
    public Status.ResourceName named(String name) {
        return new Status.ResourceName(group, plural, name);
    }
}
