package io.kardia.store.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.kardia.kubeapi.FieldSchema;
import io.kardia.kubeapi.KubeApiCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the protobuf conversions need to know of one message type, worked out once from its
 * descriptor and the Kubernetes API catalog's schema of it: which of Kubernetes' special JSON forms
 * it has, the JSON name of each field, the fields of Go structs embedded inline, and a field's index
 * by its number for the wire reader.
 */
final class MessageShape {
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final String APIEXTENSIONS = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.";
    /** String fields that are pointers in Go and whose empty value means something of its own. */
    private static final Set<String> EMPTY_STRING_IS_A_VALUE = Set.of(
            "k8s.io.api.core.v1.PersistentVolumeClaimSpec.storageClassName");
    private static final Map<Descriptor, MessageShape> SHAPES = new ConcurrentHashMap<>();

    enum Special {
        NONE, TIME, MICRO_TIME, DURATION, RAW_JSON, INT_OR_STRING, QUANTITY, SCHEMA_OR_BOOL, SCHEMA_OR_ARRAY,
        SCHEMA_OR_STRING_ARRAY, STRING_LIST
    }

    final Special special;
    /** The fields in declaration order. */
    final FieldDescriptor[] fields;
    /** Each field's JSON name; null for a Go struct embedded inline, whose fields are the parent's in JSON. */
    final String[] jsonNames;
    final Map<String, FieldDescriptor> byJsonName;
    final FieldDescriptor[] inline;
    /** The wire type of one occurrence of each field (of one element for a repeated field). */
    final int[] wireTypes;
    /** Whether an empty string in each field is kept in JSON (Go leaves out its non-pointer empty strings). */
    final boolean[] keepsEmptyString;
    /** Per field, asked once: FieldDescriptor works each of these out anew on every call. */
    final boolean[] isMap;
    final boolean[] isRepeated;
    final boolean[] isPackable;
    private final int[] indexByNumber;
    /** The shapes of message fields, looked up on first use. */
    private final MessageShape[] children;

    private MessageShape(Descriptor d) {
        fields = d.getFields().toArray(FieldDescriptor[]::new);
        jsonNames = new String[fields.length];
        wireTypes = new int[fields.length];
        keepsEmptyString = new boolean[fields.length];
        isMap = new boolean[fields.length];
        isRepeated = new boolean[fields.length];
        isPackable = new boolean[fields.length];
        children = new MessageShape[fields.length];
        Map<String, FieldDescriptor> byName = new HashMap<>();
        List<FieldDescriptor> inlined = new ArrayList<>();
        Map<Integer, String> schemaNames = new HashMap<>();
        Set<String> inlineFields = new HashSet<>();
        KubeApiCatalog.get().type(d.getFullName()).ifPresent(schema -> {
            for (FieldSchema f : schema.fields().values()) {
                if (f.inline() != null) {
                    int dot = f.inline().indexOf('.');
                    inlineFields.add(dot < 0 ? f.inline() : f.inline().substring(0, dot)); // nested: the outer one here
                } else if (f.protoNumber() > 0) {
                    schemaNames.put(f.protoNumber(), f.name());
                }
            }
        });
        int maxNumber = 0;
        for (int i = 0; i < fields.length; i++) {
            FieldDescriptor f = fields[i];
            maxNumber = Math.max(maxNumber, f.getNumber());
            wireTypes[i] = f.getLiteType().getWireType();
            keepsEmptyString[i] = EMPTY_STRING_IS_A_VALUE.contains(f.getFullName());
            isMap[i] = f.isMapField();
            isRepeated[i] = f.isRepeated();
            isPackable[i] = f.isPackable();
            if (inlineFields.contains(f.getName())) {
                inlined.add(f);
                continue; // jsonNames[i] stays null
            }
            jsonNames[i] = schemaNames.getOrDefault(f.getNumber(), f.getName());
            byName.put(jsonNames[i], f);
        }
        indexByNumber = new int[maxNumber + 1];
        Arrays.fill(indexByNumber, -1);
        for (int i = 0; i < fields.length; i++) {
            indexByNumber[fields[i].getNumber()] = i;
        }
        byJsonName = Map.copyOf(byName);
        inline = inlined.toArray(FieldDescriptor[]::new);
        special = special(d);
    }

    static MessageShape of(Descriptor d) {
        MessageShape s = SHAPES.get(d);
        return s != null ? s : SHAPES.computeIfAbsent(d, MessageShape::new);
    }

    /** The shape of the message type of field {@code i}. */
    MessageShape child(int i) {
        MessageShape c = children[i];
        if (c == null) {
            c = of(fields[i].getMessageType());
            children[i] = c; // a race only looks the same shape up twice
        }
        return c;
    }

    /** The index in {@link #fields} of the field with this number; -1 when the message has none. */
    int indexOf(int number) {
        return number < indexByNumber.length ? indexByNumber[number] : -1;
    }

    FieldDescriptor field(String protoName) {
        return fields[index(protoName)];
    }

    int index(String protoName) {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].getName().equals(protoName)) {
                return i;
            }
        }
        throw new IllegalStateException(protoName);
    }

    /** apimachinery's types with a JSON form of their own, by full name. */
    private static final Map<String, Special> SPECIAL_TYPES = Map.of(
            META + "Time", Special.TIME,
            META + "MicroTime", Special.MICRO_TIME,
            META + "Duration", Special.DURATION,
            META + "FieldsV1", Special.RAW_JSON,
            "k8s.io.apimachinery.pkg.runtime.RawExtension", Special.RAW_JSON,
            "k8s.io.apimachinery.pkg.util.intstr.IntOrString", Special.INT_OR_STRING,
            "k8s.io.apimachinery.pkg.api.resource.Quantity", Special.QUANTITY);
    /** apiextensions' types with a JSON form of their own (in v1 and v1beta1), by simple name. */
    private static final Map<String, Special> APIEXTENSIONS_TYPES = Map.of(
            "JSON", Special.RAW_JSON,
            "JSONSchemaPropsOrBool", Special.SCHEMA_OR_BOOL,
            "JSONSchemaPropsOrArray", Special.SCHEMA_OR_ARRAY,
            "JSONSchemaPropsOrStringArray", Special.SCHEMA_OR_STRING_ARRAY);

    private static Special special(Descriptor d) {
        Special known = d.getFullName().startsWith(APIEXTENSIONS) ? APIEXTENSIONS_TYPES.get(d.getName())
                : SPECIAL_TYPES.get(d.getFullName());
        if (known != null) {
            return known;
        }
        // ExtraValue, Verbs...: a Go []string type of its own, which is a plain array in JSON
        if (d.getFields().size() == 1 && !d.getName().endsWith("List")) {
            FieldDescriptor only = d.getFields().get(0);
            if (only.getName().equals("items") && only.isRepeated()
                    && only.getJavaType() == FieldDescriptor.JavaType.STRING) {
                return Special.STRING_LIST;
            }
        }
        return Special.NONE;
    }
}
