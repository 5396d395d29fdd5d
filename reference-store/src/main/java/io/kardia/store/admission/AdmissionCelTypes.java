package io.kardia.store.admission;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The hand-made CEL types kube-apiserver declares for admission expressions: {@code request}
 * ({@code kubernetes.AdmissionRequest}) and {@code namespaceObject} ({@code kubernetes.Namespace},
 * a Namespace without its managed fields, owner references and the like), and the
 * {@code kubernetes.variables} struct a policy's variables compose, each typed as its expression.
 */
final class AdmissionCelTypes implements CelTypeProvider {
    static final String VARIABLES = "kubernetes.variables";

    private static final Map<String, StructType> FIXED = new LinkedHashMap<>();

    static final StructType REQUEST;
    static final StructType NAMESPACE;

    static {
        StructType gvk = struct("kubernetes.GroupVersionKind", fields("group", SimpleType.STRING, "version", SimpleType.STRING,
                "kind", SimpleType.STRING));
        StructType gvr = struct("kubernetes.GroupVersionResource", fields("group", SimpleType.STRING, "version", SimpleType.STRING,
                "resource", SimpleType.STRING));
        ListType strings = ListType.create(SimpleType.STRING);
        StructType user = struct("kubernetes.UserInfo", fields("username", SimpleType.STRING, "uid", SimpleType.STRING,
                "groups", strings, "extra", MapType.create(SimpleType.STRING, strings)));
        Map<String, CelType> request = fields("kind", gvk, "resource", gvr, "subResource", SimpleType.STRING,
                "requestKind", gvk, "requestResource", gvr, "requestSubResource", SimpleType.STRING, "name", SimpleType.STRING,
                "namespace", SimpleType.STRING, "operation", SimpleType.STRING, "userInfo", user);
        request.put("dryRun", SimpleType.BOOL);
        request.put("options", SimpleType.DYN);
        REQUEST = struct("kubernetes.AdmissionRequest", request);

        StructType spec = struct("kubernetes.NamespaceSpec", fields("finalizers", strings));
        StructType condition = struct("kubernetes.NamespaceCondition", fields("status", SimpleType.STRING, "type", SimpleType.STRING,
                "lastTransitionTime", SimpleType.TIMESTAMP, "message", SimpleType.STRING, "reason", SimpleType.STRING));
        StructType status = struct("kubernetes.NamespaceStatus", fields("conditions", ListType.create(condition),
                "phase", SimpleType.STRING));
        MapType labels = MapType.create(SimpleType.STRING, SimpleType.STRING);
        Map<String, CelType> meta = fields("name", SimpleType.STRING, "generateName", SimpleType.STRING,
                "namespace", SimpleType.STRING, "labels", labels, "annotations", labels);
        // "UID", as kube-apiserver spells it here (ObjectMeta's JSON name is uid)
        meta.putAll(fields("UID", SimpleType.STRING, "creationTimestamp", SimpleType.TIMESTAMP,
                "deletionGracePeriodSeconds", SimpleType.INT, "deletionTimestamp", SimpleType.TIMESTAMP,
                "generation", SimpleType.INT));
        meta.putAll(fields("resourceVersion", SimpleType.STRING, "finalizers", strings));
        StructType metadata = struct("kubernetes.NamespaceMetadata", meta);
        NAMESPACE = struct("kubernetes.Namespace", fields("metadata", metadata, "spec", spec, "status", status));
    }

    /** The variables struct: by name, each variable's type (dyn for one that does not compile). */
    private final StructType variables;

    AdmissionCelTypes(Map<String, CelType> variableTypes) {
        Map<String, CelType> copy = new LinkedHashMap<>(variableTypes);
        this.variables = StructType.create(VARIABLES, ImmutableSet.copyOf(copy.keySet()), f -> Optional.ofNullable(copy.get(f)));
    }

    StructType variables() {
        return variables;
    }

    private static Map<String, CelType> fields(Object... nameTypePairs) {
        Map<String, CelType> m = new LinkedHashMap<>();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            m.put((String) nameTypePairs[i], (CelType) nameTypePairs[i + 1]);
        }
        return m;
    }

    private static StructType struct(String name, Map<String, CelType> fields) {
        StructType s = StructType.create(name, ImmutableSet.copyOf(fields.keySet()), f -> Optional.ofNullable(fields.get(f)));
        FIXED.put(name, s);
        return s;
    }

    @Override
    public ImmutableCollection<CelType> types() {
        return ImmutableList.<CelType>builder().addAll(FIXED.values()).add(variables).build();
    }

    @Override
    public Optional<CelType> findType(String typeName) {
        return typeName.equals(VARIABLES) ? Optional.of(variables) : Optional.ofNullable(FIXED.get(typeName));
    }
}
