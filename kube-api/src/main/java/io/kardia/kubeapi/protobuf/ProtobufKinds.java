package io.kardia.kubeapi.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kardia.kubeapi.KubeApiCatalog;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The protobuf message of each Kubernetes kind, found from the descriptors of Kubernetes'
 * {@code generated.proto} files (the kube-api catalog's for the pinned release, or any others,
 * such as generated classes' in tests). A kind's message lives in the proto package of its group and version
 * ({@code apps/v1} → {@code k8s.io.api.apps.v1}) under the kind's name; the kinds of
 * {@code meta.k8s.io/v1} (Status, DeleteOptions, WatchEvent) are found under any apiVersion, as
 * kube-apiserver registers them in every group.
 */
public final class ProtobufKinds {
    public static final String META_PACKAGE = "k8s.io.apimachinery.pkg.apis.meta.v1";
    private static final String API_PACKAGE_PREFIX = "k8s.io.api.";
    /** Go package names whose API group is not "{name}.k8s.io". */
    private static final Map<String, String> GROUP_OF_PACKAGE = Map.of(
            "core", "",
            "apps", "apps",
            "batch", "batch",
            "autoscaling", "autoscaling",
            "policy", "policy",
            "extensions", "extensions",
            "rbac", "rbac.authorization.k8s.io",
            "flowcontrol", "flowcontrol.apiserver.k8s.io",
            "apiserverinternal", "internal.apiserver.k8s.io");
    /** Packages outside k8s.io/api that serve API kinds: package prefix → group. */
    private static final Map<String, String> OTHER_PACKAGES = Map.of(
            "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.", "apiextensions.k8s.io",
            "k8s.io.kube_aggregator.pkg.apis.apiregistration.", "apiregistration.k8s.io",
            "k8s.io.apimachinery.pkg.apis.meta.", "meta.k8s.io");

    /** apiVersion → kind → message. */
    private final Map<String, Map<String, Descriptor>> byApiVersion;

    private ProtobufKinds(Map<String, Map<String, Descriptor>> byApiVersion) {
        this.byApiVersion = byApiVersion;
    }

    /** Indexes every message of these files and of the files they import. */
    public static ProtobufKinds of(Collection<FileDescriptor> files) {
        Map<String, FileDescriptor> all = new LinkedHashMap<>();
        files.forEach(f -> collect(f, all));
        Map<String, Map<String, Descriptor>> index = new HashMap<>();
        for (FileDescriptor f : all.values()) {
            String apiVersion = apiVersionOfPackage(f.getPackage());
            if (apiVersion == null) {
                continue;
            }
            Map<String, Descriptor> kinds = index.computeIfAbsent(apiVersion, k -> new HashMap<>());
            for (Descriptor d : f.getMessageTypes()) {
                kinds.put(d.getName(), d);
            }
        }
        return new ProtobufKinds(index);
    }

    /** The kinds of the pinned Kubernetes release ({@link KubeApiCatalog#descriptors()}), indexed once. */
    public static ProtobufKinds builtIn() {
        return BuiltIn.KINDS;
    }

    private static final class BuiltIn {
        static final ProtobufKinds KINDS = of(KubeApiCatalog.descriptors());
    }

    private static void collect(FileDescriptor f, Map<String, FileDescriptor> into) {
        if (into.putIfAbsent(f.getFullName(), f) == null) {
            f.getDependencies().forEach(d -> collect(d, into));
        }
    }

    /** The message of a kind ({@code Pod}, {@code PodList}, {@code Status}...), if the descriptors have one. */
    public Optional<Descriptor> message(String apiVersion, String kind) {
        Map<String, Descriptor> kinds = byApiVersion.get(apiVersion);
        Descriptor d = kinds == null ? null : kinds.get(kind);
        if (d == null) {
            Map<String, Descriptor> meta = byApiVersion.get("meta.k8s.io/v1");
            d = meta == null || !isMetaKind(kind) ? null : meta.get(kind);
        }
        return Optional.ofNullable(d);
    }

    /** The meta.k8s.io kinds kube-apiserver registers in every group version. */
    private static boolean isMetaKind(String kind) {
        return switch (kind) {
            case "Status", "DeleteOptions", "WatchEvent", "ListOptions", "GetOptions", "CreateOptions",
                 "UpdateOptions", "PatchOptions", "APIResourceList", "APIGroup", "APIGroupList", "APIVersions" -> true;
            default -> false;
        };
    }

    /** The apiVersion the kinds of a proto package belong to, null when it is no API package. */
    public static String apiVersionOfPackage(String pkg) {
        int lastDot = pkg.lastIndexOf('.');
        if (lastDot < 0) {
            return null;
        }
        String version = pkg.substring(lastDot + 1);
        if (!version.matches("v[0-9]+((alpha|beta)[0-9]+)?")) {
            return null;
        }
        String group;
        String prefix = pkg.substring(0, lastDot + 1);
        if (prefix.startsWith(API_PACKAGE_PREFIX) && prefix.indexOf('.', API_PACKAGE_PREFIX.length()) == prefix.length() - 1) {
            String name = prefix.substring(API_PACKAGE_PREFIX.length(), prefix.length() - 1);
            group = GROUP_OF_PACKAGE.getOrDefault(name, name + ".k8s.io");
        } else {
            group = OTHER_PACKAGES.get(prefix);
            if (group == null) {
                return null;
            }
        }
        return group.isEmpty() ? version : group + "/" + version;
    }
}
