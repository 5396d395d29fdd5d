package io.kardia.store.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kardia.kubeapi.FieldSchema;
import io.kardia.kubeapi.FieldType;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kardia.kubeapi.TypeSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Schemas of the built-in kinds: fields and types from the catalog's {@code types.json}; list
 * types, map keys and atomic structs and maps from the release's {@code +listType},
 * {@code +listMapKey}, {@code +patchMergeKey}, {@code +structType} and {@code +mapType} markers,
 * which no published artifact carries, so they are kept here (hand-kept, for the kinds' commonly
 * written lists; any other list is atomic, as a list without markers is in kube-apiserver).
 */
public final class BuiltInSchemas {
    private static final String CORE = "k8s.io.api.core.v1.";
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";

    /** {@code Type.field} to {@code map:key1,key2} or {@code set}. */
    private static final Map<String, String> LISTS = new HashMap<>();
    private static final Set<String> ATOMIC_STRUCTS = Set.of(
            META + "LabelSelector", META + "OwnerReference", CORE + "NodeSelector", CORE + "NodeSelectorTerm",
            CORE + "ObjectReference", CORE + "LocalObjectReference", CORE + "TypedLocalObjectReference",
            CORE + "TopologySelectorTerm");
    private static final Set<String> ATOMIC_MAPS = Set.of(CORE + "ServiceSpec.selector", CORE + "ReplicationControllerSpec.selector");
    /** Conditions lists that are atomic although their items have a {@code type}. */
    private static final Set<String> ATOMIC_CONDITIONS = Set.of("k8s.io.api.batch.v1.JobStatus.conditions");
    private static final Map<String, JsonNode> KEY_DEFAULTS = Map.of(
            CORE + "ContainerPort.protocol", TextNode.valueOf("TCP"),
            CORE + "ServicePort.protocol", TextNode.valueOf("TCP"));

    static {
        for (String pod : new String[] {CORE + "PodSpec."}) {
            for (String c : new String[] {"containers", "initContainers", "ephemeralContainers", "volumes", "imagePullSecrets",
                    "schedulingGates", "resourceClaims"}) {
                LISTS.put(pod + c, "map:name");
            }
            LISTS.put(pod + "hostAliases", "map:ip");
            LISTS.put(pod + "topologySpreadConstraints", "map:topologyKey,whenUnsatisfiable");
        }
        for (String c : new String[] {CORE + "Container.", CORE + "EphemeralContainer."}) {
            LISTS.put(c + "ports", "map:containerPort,protocol");
            LISTS.put(c + "env", "map:name");
            LISTS.put(c + "volumeMounts", "map:mountPath");
            LISTS.put(c + "volumeDevices", "map:devicePath");
        }
        LISTS.put(CORE + "PodStatus.podIPs", "map:ip");
        LISTS.put(CORE + "PodStatus.hostIPs", "map:ip");
        LISTS.put(CORE + "PodStatus.resourceClaimStatuses", "map:name");
        LISTS.put(CORE + "ServiceSpec.ports", "map:port,protocol");
        LISTS.put(CORE + "NodeSpec.podCIDRs", "set");
        LISTS.put(CORE + "NodeStatus.addresses", "map:type");
        LISTS.put(CORE + "ResourceRequirements.claims", "map:name");
        LISTS.put(META + "ObjectMeta.finalizers", "set");
        LISTS.put(META + "ObjectMeta.ownerReferences", "map:uid");
    }

    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

    private BuiltInSchemas() {
    }

    /** The schema of a kind's object (its full protobuf type name, e.g. {@code k8s.io.api.apps.v1.Deployment}). */
    public static Optional<Schema> forType(String protoName) {
        if (KubeApiCatalog.get().type(protoName).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(struct(protoName));
    }

    /** ObjectMeta's schema (custom resources use it for their metadata). */
    public static Schema objectMeta() {
        return struct(META + "ObjectMeta");
    }

    static Schema struct(String protoName) {
        return CACHE.computeIfAbsent(protoName, StructSchema::new);
    }

    private record StructSchema(String name) implements Schema {
        private TypeSchema type() {
            return KubeApiCatalog.get().type(name).orElseThrow();
        }

        @Override
        public Kind kind() {
            return Kind.STRUCT;
        }

        @Override
        public boolean atomic() {
            return ATOMIC_STRUCTS.contains(name);
        }

        @Override
        public boolean declares(String field) {
            return type().fields().containsKey(field);
        }

        @Override
        public Schema field(String fieldName) {
            FieldSchema f = type().fields().get(fieldName);
            if (f == null) {
                return null;
            }
            Schema value = valueSchema(f);
            String id = name + "." + fieldName;
            if (f.array()) {
                return list(id, value, f);
            }
            if (f.map()) {
                return new MapSchema(value, ATOMIC_MAPS.contains(id));
            }
            return value;
        }

        private Schema list(String id, Schema element, FieldSchema f) {
            String spec = LISTS.get(id);
            if (spec == null && f.name().equals("conditions") && name.endsWith("Status") && !ATOMIC_CONDITIONS.contains(id)
                    && f.ref() != null && KubeApiCatalog.get().type(f.ref()).map(t -> t.fields().containsKey("type")).orElse(false)) {
                spec = "map:type";
            }
            if (spec == null) {
                return new ListSchema(element, ListType.ATOMIC, List.of(), null);
            }
            if (spec.equals("set")) {
                return new ListSchema(element, ListType.SET, List.of(), null);
            }
            return new ListSchema(element, ListType.MAP, List.of(spec.substring(4).split(",")), f.ref());
        }

        private static Schema valueSchema(FieldSchema f) {
            if (f.type() == FieldType.OBJECT && f.ref() != null) {
                return struct(f.ref());
            }
            if (f.type() == FieldType.STRING_LIST) {
                return new ListSchema(SCALAR, ListType.ATOMIC, List.of(), null);
            }
            if (f.type() == FieldType.OBJECT || f.type() == FieldType.FREE_OBJECT || f.type() == FieldType.ANY) {
                return UNTYPED;
            }
            return SCALAR;
        }
    }

    record MapSchema(Schema values, boolean atomic) implements Schema {
        @Override
        public Kind kind() {
            return Kind.MAP;
        }

        @Override
        public Schema field(String name) {
            return values;
        }
    }

    record ListSchema(Schema element, ListType listType, List<String> keys, String itemType) implements Schema {
        @Override
        public Kind kind() {
            return Kind.LIST;
        }

        @Override
        public boolean atomic() {
            return listType == ListType.ATOMIC;
        }

        @Override
        public JsonNode keyDefault(String key) {
            return itemType == null ? null : KEY_DEFAULTS.get(itemType + "." + key);
        }
    }
}
