package io.kardia.kubeapi.protobuf;

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
 * What every protobuf ↔ JSON conversion needs to know of one Kubernetes message type, worked out
 * once from its descriptor and the API catalog's schema of it: which of Kubernetes' special JSON
 * forms it has ({@link Special}), the JSON name of each field, the Go structs embedded inline, the
 * wire type each field must arrive in, and a field's index by its number. The client's
 * {@link ProtobufToJson} and the reference store's readers and writers share it, so both read the
 * same bytes to the same JSON and refuse the same bad input.
 */
public final class MessageShape {
    /** How deep messages may nest: CodedInputStream's default recursion limit, which protobuf's own parser enforces. */
    public static final int MAX_DEPTH = 100;
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final String APIEXTENSIONS = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.";
    /** String fields that are pointers in Go and whose empty value means something of its own. */
    private static final Set<String> EMPTY_STRING_IS_A_VALUE = Set.of(
            "k8s.io.api.core.v1.PersistentVolumeClaimSpec.storageClassName");
    private static final Map<Descriptor, MessageShape> SHAPES = new ConcurrentHashMap<>();

    /** Kubernetes' types whose JSON is not an object of their fields. */
    public enum Special {
        NONE, TIME, MICRO_TIME, DURATION, RAW_JSON, INT_OR_STRING, QUANTITY, SCHEMA_OR_BOOL, SCHEMA_OR_ARRAY,
        SCHEMA_OR_STRING_ARRAY, STRING_LIST
    }

    private final Descriptor type;
    private final Special special;
    private final FieldDescriptor[] fields;
    /** Each field's JSON name; null for a Go struct embedded inline, whose fields are the parent's in JSON. */
    private final String[] jsonNames;
    private final Map<String, FieldDescriptor> byJsonName;
    private final List<FieldDescriptor> inline;
    private final int[] wireTypes;
    private final boolean[] keepsEmptyString;
    /** Per field, asked once: FieldDescriptor works each of these out anew on every call. */
    private final boolean[] isMap;
    private final boolean[] isRepeated;
    private final boolean[] isPackable;
    private final boolean[] isMessage;
    private final int[] indexByNumber;
    /** The shapes of message fields, looked up on first use. */
    private final MessageShape[] children;

    private MessageShape(Descriptor d) {
        type = d;
        fields = d.getFields().toArray(FieldDescriptor[]::new);
        jsonNames = new String[fields.length];
        wireTypes = new int[fields.length];
        keepsEmptyString = new boolean[fields.length];
        isMap = new boolean[fields.length];
        isRepeated = new boolean[fields.length];
        isPackable = new boolean[fields.length];
        isMessage = new boolean[fields.length];
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
            isMessage[i] = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
            if (inlineFields.contains(f.getName())) {
                inlined.add(f);
                continue; // jsonNames[i] stays null
            }
            jsonNames[i] = schemaNames.getOrDefault(f.getNumber(), f.getName());
            byName.put(jsonNames[i], f);
        }
        if (maxNumber > 1 << 16) {
            throw new IllegalStateException(d.getFullName() + " has a field number too large to index: " + maxNumber);
        }
        indexByNumber = new int[maxNumber + 1];
        Arrays.fill(indexByNumber, -1);
        for (int i = 0; i < fields.length; i++) {
            indexByNumber[fields[i].getNumber()] = i;
        }
        byJsonName = Map.copyOf(byName);
        inline = List.copyOf(inlined);
        special = special(d);
    }

    public static MessageShape of(Descriptor d) {
        MessageShape s = SHAPES.get(d);
        return s != null ? s : SHAPES.computeIfAbsent(d, MessageShape::new);
    }

    public Descriptor type() {
        return type;
    }

    public Special special() {
        return special;
    }

    /** How many fields the message declares; fields are indexed 0.. in declaration order. */
    public int fieldCount() {
        return fields.length;
    }

    public FieldDescriptor field(int i) {
        return fields[i];
    }

    /** The JSON name of field {@code i}; null for a Go struct embedded inline. */
    public String jsonName(int i) {
        return jsonNames[i];
    }

    /** The field a JSON property names, or null. */
    public FieldDescriptor fieldByJsonName(String name) {
        return byJsonName.get(name);
    }

    /** The Go structs embedded inline, whose fields are the parent's in JSON. */
    public List<FieldDescriptor> inlineFields() {
        return inline;
    }

    /** The wire type of one occurrence of field {@code i} (of one element, for a repeated field). */
    public int wireType(int i) {
        return wireTypes[i];
    }

    /** Whether an empty string in field {@code i} is kept in JSON (Go leaves out its non-pointer empty strings). */
    public boolean keepsEmptyString(int i) {
        return keepsEmptyString[i];
    }

    public boolean isMap(int i) {
        return isMap[i];
    }

    public boolean isRepeated(int i) {
        return isRepeated[i];
    }

    public boolean isMessage(int i) {
        return isMessage[i];
    }

    /**
     * Whether an occurrence of field {@code i} in {@code wireType} is readable: its own wire type,
     * or a packed run of a repeated scalar. Anything else is malformed (see {@link #wrongWireType}).
     */
    public boolean accepts(int i, int wireType) {
        return wireType == wireTypes[i] || (wireType == 2 && isRepeated[i] && isPackable[i]);
    }

    /** Whether an occurrence of field {@code i} in {@code wireType} is a packed run of scalars. */
    public boolean isPacked(int i, int wireType) {
        return wireType == 2 && wireTypes[i] != 2 && isRepeated[i] && isPackable[i];
    }

    /** The words of the error for an occurrence of field {@code i} in a wire type it cannot have. */
    public String wrongWireType(int i, int wireType) {
        return type.getName() + ": field " + fields[i].getName() + " has wire type " + wireType + ", expected " + wireTypes[i];
    }

    /**
     * The words of the error for a length-delimited field that declares more bytes than are left
     * (a truncated body, or a hostile length: it is refused before anything is allocated for it).
     */
    public static String lengthPastTheEnd(int declared, int left) {
        return "a field declares " + Integer.toUnsignedString(declared) + " bytes where " + left
                + " are left: the body is truncated or a length in it is wrong";
    }

    /** The shape of the message type of field {@code i}. */
    public MessageShape child(int i) {
        MessageShape c = children[i];
        if (c == null) {
            c = of(fields[i].getMessageType());
            children[i] = c; // a race only looks the same shape up twice
        }
        return c;
    }

    /** The index of the field with this number; -1 when the message has none. */
    public int indexOf(int number) {
        return number < indexByNumber.length ? indexByNumber[number] : -1;
    }

    public FieldDescriptor field(String protoName) {
        return fields[index(protoName)];
    }

    /** The index of the field with this protobuf name (the special types' fields are looked up so). */
    public int index(String protoName) {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].getName().equals(protoName)) {
                return i;
            }
        }
        throw new IllegalStateException(type.getFullName() + " has no field " + protoName);
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
