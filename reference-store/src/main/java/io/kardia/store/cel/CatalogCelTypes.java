package io.kardia.store.cel;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import io.kardia.kubeapi.FieldSchema;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kardia.kubeapi.TypeSchema;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CEL types of the built-in kinds, from the catalog's schemas, as kube-apiserver's type checker
 * declares them from the kinds' OpenAPI: a struct per type (named as its OpenAPI definition, e.g.
 * {@code io.k8s.api.apps.v1.DeploymentSpec}), lists, maps of strings, {@code int}, {@code double},
 * {@code bool}, {@code bytes} ({@code format: byte}) and {@code timestamp} ({@code metav1.Time},
 * {@code format: date-time}); int-or-string, quantities and free-form values are {@code dyn}.
 * Struct types are made once, as the checker first asks for them (the catalog's types are recursive).
 */
public final class CatalogCelTypes implements CelTypeProvider {
    private static final String OBJECT_META = "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private static final CatalogCelTypes INSTANCE = new CatalogCelTypes();

    /** By OpenAPI name. */
    private final Map<String, StructType> structs = new ConcurrentHashMap<>();
    /** OpenAPI name to protobuf name, for every type of the catalog. */
    private final Map<String, String> protoNames = new HashMap<>();

    private CatalogCelTypes() {
        KubeApiCatalog.get().types().keySet().forEach(n -> protoNames.put(TypeSchema.openApiName(n), n));
    }

    public static CatalogCelTypes get() {
        return INSTANCE;
    }

    /** The type of a built-in kind's objects, if the catalog has the kind. */
    public Optional<CelType> kind(String group, String version, String kind) {
        return KubeApiCatalog.get().resourceForKind(group, version, kind).map(r -> struct(r.type()));
    }

    /** ObjectMeta: the {@code metadata} of every kind, custom resources' included. */
    public CelType objectMeta() {
        return struct(OBJECT_META);
    }

    private StructType struct(String protoName) {
        return structs.computeIfAbsent(TypeSchema.openApiName(protoName), name -> newStruct(name, protoName));
    }

    private StructType newStruct(String name, String protoName) {
        TypeSchema schema = KubeApiCatalog.get().type(protoName).orElseThrow();
        Map<String, FieldSchema> byCelName = new HashMap<>();
        schema.fields().forEach((json, f) -> {
            String escaped = SchemaCelTypes.escape(json);
            if (escaped != null) {
                byCelName.put(escaped, f);
            }
        });
        return StructType.create(name, ImmutableSet.copyOf(byCelName.keySet()),
                field -> Optional.ofNullable(byCelName.get(field)).map(this::fieldType));
    }

    private CelType fieldType(FieldSchema f) {
        CelType value = switch (f.type()) {
            case STRING, DURATION -> SimpleType.STRING;
            case BYTES -> SimpleType.BYTES;
            case BOOLEAN -> SimpleType.BOOL;
            case INTEGER -> SimpleType.INT;
            case NUMBER -> SimpleType.DOUBLE;
            case DATE_TIME, MICRO_TIME -> SimpleType.TIMESTAMP;
            case OBJECT -> f.ref() != null && KubeApiCatalog.get().type(f.ref()).isPresent() ? struct(f.ref()) : SimpleType.DYN;
            case STRING_LIST -> ListType.create(SimpleType.STRING);
            case FREE_OBJECT, ANY, QUANTITY, INT_OR_STRING -> SimpleType.DYN;
        };
        if (f.array()) {
            return ListType.create(value);
        }
        if (f.map()) {
            return MapType.create(SimpleType.STRING, value);
        }
        return value;
    }

    @Override
    public ImmutableCollection<CelType> types() {
        return ImmutableList.copyOf(structs.values());
    }

    @Override
    public Optional<CelType> findType(String typeName) {
        StructType made = structs.get(typeName);
        if (made != null) {
            return Optional.of(made);
        }
        String proto = protoNames.get(typeName);
        return proto == null ? Optional.empty() : Optional.of(struct(proto));
    }
}
