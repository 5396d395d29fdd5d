package io.kardia.kubeapi;

import java.util.List;
import java.util.Map;

/**
 * One resource the Kubernetes release serves, as kube-apiserver's discovery describes it.
 *
 * @param group        API group, {@code ""} for the core group
 * @param version      e.g. {@code v1}
 * @param kind         e.g. {@code StatefulSet}
 * @param plural       the path segment, e.g. {@code statefulsets}
 * @param singular     e.g. {@code statefulset}
 * @param namespaced   whether objects live in a namespace
 * @param verbs        e.g. {@code create, delete, get, list...}; {@code create} only for review APIs
 * @param shortNames   e.g. {@code sts}
 * @param categories   e.g. {@code all}
 * @param subresources by name ({@code status}, {@code scale}...)
 * @param type         full protobuf name of the kind's message, e.g. {@code k8s.io.api.apps.v1.StatefulSet}
 * @param listType     full protobuf name of its list message, or null when it has none
 */
public record ApiResource(String group, String version, String kind, String plural, String singular,
                          boolean namespaced, List<String> verbs, List<String> shortNames, List<String> categories,
                          Map<String, Subresource> subresources, String type, String listType) {

    public ApiResource {
        verbs = List.copyOf(verbs);
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
        subresources = Map.copyOf(subresources);
    }

    /** A subresource: its kind (Scale for {@code scale}, the parent's for {@code status}) and verbs. */
    public record Subresource(String group, String version, String kind, List<String> verbs) {
        public Subresource {
            verbs = List.copyOf(verbs);
        }
    }

    /** {@code v1} for the core group, {@code group/version} otherwise. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code statefulsets.apps}. */
    public String groupResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    /** Whether objects of it are stored (get and list), as opposed to create-only review APIs. */
    public boolean isStored() {
        return verbs.contains("get") && verbs.contains("list");
    }

    /** Whether the version is generally available (v1, v2), the versions kube-apiserver serves by default. */
    public boolean isGenerallyAvailable() {
        return version.matches("v\\d+");
    }
}
