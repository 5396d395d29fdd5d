package io.kardia.kubeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in API of one pinned Kubernetes release ({@link #kubernetesVersion()}): its resources,
 * the structural schema of every type and its protobuf descriptors. Generated at build time from
 * the official Kubernetes Java client's published artifacts (see docs/kube-api.md), loaded lazily
 * from this jar's resources: the resources on first use, schemas and descriptors when first asked for.
 */
public final class KubeApiCatalog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String kubernetesVersion;
    private final List<ApiResource> resources;
    private final Map<String, ApiResource> byPath = new HashMap<>();
    private final Map<String, ApiResource> byKind = new HashMap<>();

    private KubeApiCatalog(JsonNode root) {
        this.kubernetesVersion = root.path("kubernetesVersion").asText();
        List<ApiResource> list = new ArrayList<>();
        for (JsonNode r : root.path("resources")) {
            ApiResource resource = resource(r);
            list.add(resource);
            byPath.put(resource.group() + "/" + resource.version() + "/" + resource.plural(), resource);
            byKind.putIfAbsent(resource.group() + "/" + resource.version() + "/" + resource.kind(), resource);
        }
        this.resources = List.copyOf(list);
    }

    /** The catalog of this jar's release. */
    public static KubeApiCatalog get() {
        return Holder.CATALOG;
    }

    /** {@code 1.35}. */
    public String kubernetesVersion() {
        return kubernetesVersion;
    }

    /** {@code 1} of {@code 1.35}. */
    public String kubernetesMajor() {
        return kubernetesVersion.substring(0, kubernetesVersion.indexOf('.'));
    }

    /** {@code 35} of {@code 1.35}. */
    public String kubernetesMinor() {
        return kubernetesVersion.substring(kubernetesVersion.indexOf('.') + 1);
    }

    /** Every resource of every group version (alpha and beta included), sorted by group, version, plural. */
    public List<ApiResource> resources() {
        return resources;
    }

    public Optional<ApiResource> resource(String group, String version, String plural) {
        return Optional.ofNullable(byPath.get(group + "/" + version + "/" + plural));
    }

    public Optional<ApiResource> resourceForKind(String group, String version, String kind) {
        return Optional.ofNullable(byKind.get(group + "/" + version + "/" + kind));
    }

    /** The schema of a type by full protobuf name ({@code k8s.io.api.apps.v1.StatefulSet}). */
    public Optional<TypeSchema> type(String protoName) {
        return Optional.ofNullable(Types.ALL.get(protoName));
    }

    /** Every type's schema by full protobuf name. */
    public Map<String, TypeSchema> types() {
        return Types.ALL;
    }

    /** The descriptions and required fields of a type by full protobuf name (loaded on first use, ~700 KB). */
    public Optional<TypeDocs> docs(String protoName) {
        return Optional.ofNullable(Docs.ALL.get(protoName));
    }

    /** The schema of a kind: {@code schemaFor("apps", "v1", "StatefulSet")}. */
    public Optional<TypeSchema> schemaFor(String group, String version, String kind) {
        return resourceForKind(group, version, kind).flatMap(r -> type(r.type()));
    }

    /** The release's {@code generated.proto} files, each after those it imports. */
    public static List<FileDescriptor> descriptors() {
        return Descriptors.FILES;
    }

    /** The protobuf message of a kind ({@code messageFor("apps", "v1", "StatefulSet")}), or of its list ({@code StatefulSetList}). */
    public static Optional<Descriptor> messageFor(String group, String version, String kind) {
        Optional<ApiResource> resource = get().resourceForKind(group, version, kind);
        if (resource.isEmpty() && kind.endsWith("List")) {
            resource = get().resourceForKind(group, version, kind.substring(0, kind.length() - 4))
                    .filter(r -> r.listType() != null);
            return resource.map(r -> Descriptors.MESSAGES.get(r.listType()));
        }
        return resource.map(r -> Descriptors.MESSAGES.get(r.type()));
    }

    /** A message by full protobuf name ({@code k8s.io.apimachinery.pkg.apis.meta.v1.Status}). */
    public static Optional<Descriptor> message(String protoName) {
        return Optional.ofNullable(Descriptors.MESSAGES.get(protoName));
    }

    private static ApiResource resource(JsonNode r) {
        Map<String, ApiResource.Subresource> subs = new LinkedHashMap<>();
        r.path("subresources").properties().forEach(e -> subs.put(e.getKey(), new ApiResource.Subresource(
                e.getValue().path("group").asText(), e.getValue().path("version").asText(),
                e.getValue().path("kind").asText(), strings(e.getValue().path("verbs")))));
        return new ApiResource(r.path("group").asText(), r.path("version").asText(), r.path("kind").asText(),
                r.path("plural").asText(), r.path("singular").asText(), r.path("namespaced").asBoolean(),
                strings(r.path("verbs")), strings(r.path("shortNames")), strings(r.path("categories")), subs,
                r.path("type").asText(), r.hasNonNull("listType") ? r.path("listType").asText() : null);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode read(String resource) {
        try (InputStream in = KubeApiCatalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from kardia-kube-api: the jar was built without its generator");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static final class Holder {
        static final KubeApiCatalog CATALOG = new KubeApiCatalog(read("resources.json"));
    }

    private static final class Types {
        static final Map<String, TypeSchema> ALL = load();

        private static Map<String, TypeSchema> load() {
            Map<String, TypeSchema> out = new HashMap<>();
            read("types.json").path("types").properties().forEach(t -> {
                Map<String, FieldSchema> fields = new LinkedHashMap<>();
                t.getValue().path("fields").properties().forEach(f -> {
                    JsonNode n = f.getValue();
                    fields.put(f.getKey(), new FieldSchema(f.getKey(), FieldType.ofId(n.path("type").asText()),
                            n.hasNonNull("format") ? n.path("format").asText() : null,
                            n.hasNonNull("ref") ? n.path("ref").asText() : null,
                            n.path("array").asBoolean(false), n.path("map").asBoolean(false), n.path("proto").asInt(),
                            n.hasNonNull("inline") ? n.path("inline").asText() : null, mergeMarkers(n),
                            n.has("default") ? n.get("default") : null));
                });
                out.put(t.getKey(), new TypeSchema(t.getKey(), Collections.unmodifiableMap(fields),
                        t.getValue().hasNonNull("structType") ? t.getValue().path("structType").asText() : null));
            });
            return Collections.unmodifiableMap(out);
        }
    }

    private static MergeMarkers mergeMarkers(JsonNode field) {
        if (!field.has("listType") && !field.has("mapType") && !field.has("patchStrategy")) {
            return MergeMarkers.NONE;
        }
        return new MergeMarkers(text(field, "listType"), strings(field.path("listMapKeys")), text(field, "mapType"),
                text(field, "patchStrategy"), text(field, "patchMergeKey"));
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.path(field).asText() : null;
    }

    private static final class Docs {
        static final Map<String, TypeDocs> ALL = load();

        private static Map<String, TypeDocs> load() {
            Map<String, TypeDocs> out = new HashMap<>();
            read("descriptions.json").path("types").properties().forEach(t -> {
                Map<String, String> fields = new HashMap<>();
                t.getValue().path("fields").properties().forEach(f -> fields.put(f.getKey(), f.getValue().asText()));
                out.put(t.getKey(), new TypeDocs(t.getValue().path("description").asText(""), fields,
                        strings(t.getValue().path("required"))));
            });
            return Collections.unmodifiableMap(out);
        }
    }

    private static final class Descriptors {
        static final List<FileDescriptor> FILES;
        static final Map<String, Descriptor> MESSAGES;

        static {
            FileDescriptorSet set;
            try (InputStream in = KubeApiCatalog.class.getResourceAsStream("kubernetes.desc")) {
                if (in == null) {
                    throw new IllegalStateException("kubernetes.desc is missing from kardia-kube-api");
                }
                set = FileDescriptorSet.parseFrom(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read kubernetes.desc", e);
            }
            Map<String, FileDescriptor> built = new LinkedHashMap<>();
            Map<String, Descriptor> messages = new HashMap<>();
            for (FileDescriptorProto proto : set.getFileList()) {
                FileDescriptor[] deps = proto.getDependencyList().stream().map(built::get).toArray(FileDescriptor[]::new);
                try {
                    FileDescriptor file = FileDescriptor.buildFrom(proto, deps);
                    built.put(proto.getName(), file);
                    file.getMessageTypes().forEach(m -> index(m, messages));
                } catch (DescriptorValidationException e) {
                    throw new IllegalStateException("kubernetes.desc: " + proto.getName() + " does not build", e);
                }
            }
            FILES = List.copyOf(built.values());
            MESSAGES = Collections.unmodifiableMap(messages);
        }

        private static void index(Descriptor message, Map<String, Descriptor> messages) {
            messages.put(message.getFullName(), message);
            message.getNestedTypes().forEach(n -> index(n, messages));
        }
    }
}
