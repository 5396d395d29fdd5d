package io.kardia.store.conversion;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The version converters of the resources served in more than one version, by group resource
 * ({@code horizontalpodautoscalers.autoscaling}). Built-ins register theirs here; a resource without
 * a converter is served in its storage version only.
 */
public final class VersionConverters {
    private final Map<String, VersionConverter> byResource = new ConcurrentHashMap<>();

    /** The converters of the built-in resources kube-apiserver serves in two versions. */
    public static VersionConverters builtIns() {
        VersionConverters c = new VersionConverters();
        c.register("horizontalpodautoscalers.autoscaling", new HorizontalPodAutoscalerConversion());
        // v1beta1 and v1 of MutatingAdmissionPolicy have the same fields
        c.register("mutatingadmissionpolicies.admissionregistration.k8s.io", new NoneConversion("admissionregistration.k8s.io"));
        c.register("mutatingadmissionpolicybindings.admissionregistration.k8s.io", new NoneConversion("admissionregistration.k8s.io"));
        return c;
    }

    public void register(String groupResource, VersionConverter converter) {
        byResource.put(groupResource, converter);
    }

    public void remove(String groupResource) {
        byResource.remove(groupResource);
    }

    public Optional<VersionConverter> forResource(String groupResource) {
        return Optional.ofNullable(byResource.get(groupResource));
    }
}
