package io.kardia.store.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import io.kardia.core.json.CodecException;
import io.kardia.core.json.Json;
import io.kardia.kubeapi.FieldSchema;
import io.kardia.kubeapi.KubeApiCatalog;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Converts between an object's JSON form (as Kubernetes writes it, and as the store keeps it) and
 * its protobuf message, driven only by the message descriptors. Kubernetes' types with their own
 * JSON form are converted as kube-apiserver does:
 * <ul>
 *   <li>{@code Time} (seconds, nanos) ↔ RFC 3339 in whole seconds (kube drops the nanos when it
 *       reads protobuf); {@code MicroTime} ↔ RFC 3339 with six fraction digits; an empty time
 *       message is the zero time, JSON null, left out;</li>
 *   <li>{@code Duration} (nanoseconds) ↔ Go's duration text ({@code "1h0m0s"});</li>
 *   <li>{@code Quantity} ↔ its string; {@code IntOrString} (type, intVal, strVal) ↔ a number or a string;</li>
 *   <li>{@code RawExtension}, {@code FieldsV1} and apiextensions' {@code JSON} (raw bytes) ↔ the
 *       JSON those bytes hold, inline;</li>
 *   <li>apiextensions' {@code JSONSchemaPropsOrBool/OrArray/OrStringArray} ↔ a boolean, array or
 *       schema; {@code JSONSchemaProps}' {@code $ref}, {@code $schema} and {@code x-kubernetes-*}
 *       names;</li>
 *   <li>single-list wrappers such as {@code ExtraValue} ({@code repeated string items}) ↔ an array;</li>
 *   <li>Go structs embedded inline ({@code Probe.handler}, {@code Volume.volumeSource}) ↔ their
 *       fields in the parent object; the few fields whose JSON name is not the protobuf one (both
 *       read from the Kubernetes API catalog's schemas, {@code FieldSchema.inline} and its JSON names);</li>
 *   <li>maps (repeated entry messages) ↔ objects; bytes ↔ base64.</li>
 * </ul>
 * Going to JSON, a field the message does not carry is left out, as is a non-pointer string Go
 * wrote because it always writes them: an empty string is Go's "unset". Numbers and booleans the
 * message carries are kept, since Kubernetes' optional numbers are pointers whose zero means
 * something ({@code replicas: 0}). JSON fields the message has no field for are dropped, as
 * kube-apiserver drops them.
 */
public final class ProtobufJsonConverter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final String APIEXTENSIONS = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.";
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
            .withZone(ZoneOffset.UTC);
    /** String fields that are pointers in Go and whose empty value means something of its own. */
    private static final Set<String> EMPTY_STRING_IS_A_VALUE = Set.of(
            "k8s.io.api.core.v1.PersistentVolumeClaimSpec.storageClassName");

    private enum Special {
        NONE, TIME, MICRO_TIME, DURATION, RAW_JSON, INT_OR_STRING, QUANTITY, SCHEMA_OR_BOOL, SCHEMA_OR_ARRAY,
        SCHEMA_OR_STRING_ARRAY, STRING_LIST
    }

    /** What the converter needs to know of one message type, worked out once. */
    private record Shape(Special special, Map<String, FieldDescriptor> byJsonName, String[] jsonNames, FieldDescriptor[] fields,
                         FieldDescriptor[] inline) {
        FieldDescriptor field(String protoName) {
            for (FieldDescriptor f : fields) {
                if (f.getName().equals(protoName)) {
                    return f;
                }
            }
            throw new IllegalStateException(protoName);
        }
    }

    private final Map<Descriptor, Shape> shapes = new ConcurrentHashMap<>();

    // ------------------------------------------------------------------ protobuf → JSON

    /** The JSON of a message (without kind and apiVersion, which a message never carries). */
    public ObjectNode toJson(Message message) {
        JsonNode out = messageToJson(message, FieldPath.ROOT);
        if (!(out instanceof ObjectNode o)) {
            throw new ProtobufFormatException(message.getDescriptorForType().getName() + " is no object");
        }
        return o;
    }

    private JsonNode messageToJson(Message m, FieldPath path) {
        Shape shape = shape(m.getDescriptorForType());
        return switch (shape.special) {
            case NONE -> objectToJson(m, shape, path);
            case TIME -> {
                if (isEmpty(m)) {
                    yield null;
                }
                // kube reads only the seconds of a Time (its JSON has no fraction)
                yield NODES.textNode(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(longOf(m, shape, "seconds"))));
            }
            case MICRO_TIME -> {
                if (isEmpty(m)) {
                    yield null;
                }
                Instant t = Instant.ofEpochSecond(longOf(m, shape, "seconds"), longOf(m, shape, "nanos"))
                        .truncatedTo(ChronoUnit.MICROS);
                yield NODES.textNode(MICRO_TIME.format(t));
            }
            case DURATION -> NODES.textNode(GoDuration.format(longOf(m, shape, "duration")));
            case RAW_JSON -> {
                ByteString raw = (ByteString) m.getField(shape.fields[0]);
                if (raw.isEmpty()) {
                    yield null;
                }
                try {
                    yield Json.tree(raw.toByteArray());
                } catch (CodecException e) {
                    throw new ProtobufFormatException(where(path) + "the raw bytes of a " + m.getDescriptorForType().getName()
                            + " are not JSON: " + e.getMessage(), e);
                }
            }
            case INT_OR_STRING -> longOf(m, shape, "type") == 1
                    ? NODES.textNode((String) m.getField(shape.field("strVal")))
                    : NODES.numberNode((int) longOf(m, shape, "intVal"));
            case QUANTITY -> {
                String q = (String) m.getField(shape.fields[0]);
                yield NODES.textNode(q.isEmpty() ? "0" : q);
            }
            case SCHEMA_OR_BOOL -> m.hasField(shape.field("schema"))
                    ? messageToJson((Message) m.getField(shape.field("schema")), path)
                    : NODES.booleanNode((Boolean) m.getField(shape.field("allows")));
            case SCHEMA_OR_ARRAY -> {
                FieldDescriptor list = shape.field("jSONSchemas");
                if (m.getRepeatedFieldCount(list) > 0) {
                    yield repeatedToJson(m, list, path);
                }
                FieldDescriptor schema = shape.field("schema");
                yield m.hasField(schema) ? messageToJson((Message) m.getField(schema), path) : null;
            }
            case SCHEMA_OR_STRING_ARRAY -> {
                FieldDescriptor list = shape.field("property");
                if (m.getRepeatedFieldCount(list) > 0) {
                    yield repeatedToJson(m, list, path);
                }
                FieldDescriptor schema = shape.field("schema");
                yield m.hasField(schema) ? messageToJson((Message) m.getField(schema), path) : null;
            }
            case STRING_LIST -> repeatedToJson(m, shape.fields[0], path);
        };
    }

    private ObjectNode objectToJson(Message m, Shape shape, FieldPath path) {
        ObjectNode out = NODES.objectNode();
        for (int i = 0; i < shape.fields.length; i++) {
            FieldDescriptor f = shape.fields[i];
            String name = shape.jsonNames[i];
            JsonNode v;
            if (name == null) { // inline: its fields are the parent's in JSON
                if (m.hasField(f) && messageToJson((Message) m.getField(f), path) instanceof ObjectNode embedded) {
                    out.setAll(embedded);
                }
                continue;
            }
            if (f.isMapField()) {
                if (m.getRepeatedFieldCount(f) == 0) {
                    continue;
                }
                v = mapToJson(m, f, path.field(name));
            } else if (f.isRepeated()) {
                if (m.getRepeatedFieldCount(f) == 0) {
                    continue;
                }
                v = repeatedToJson(m, f, path.field(name));
            } else {
                if (!m.hasField(f)) {
                    continue;
                }
                Object value = m.getField(f);
                if (value instanceof String s && s.isEmpty() && !EMPTY_STRING_IS_A_VALUE.contains(f.getFullName())
                        || value instanceof ByteString b && b.isEmpty()) {
                    continue; // Go writes its non-pointer strings even when unset
                }
                v = valueToJson(f, value, path.field(name));
            }
            if (v != null) {
                out.set(name, v);
            }
        }
        return out;
    }

    private ArrayNode repeatedToJson(Message m, FieldDescriptor f, FieldPath path) {
        int n = m.getRepeatedFieldCount(f);
        ArrayNode out = NODES.arrayNode(n);
        for (int i = 0; i < n; i++) {
            JsonNode v = valueToJson(f, m.getRepeatedField(f, i), path.index(i));
            out.add(v == null ? NODES.nullNode() : v);
        }
        return out;
    }

    private ObjectNode mapToJson(Message m, FieldDescriptor f, FieldPath path) {
        Descriptor entry = f.getMessageType();
        FieldDescriptor key = entry.findFieldByNumber(1);
        FieldDescriptor value = entry.findFieldByNumber(2);
        ObjectNode out = NODES.objectNode();
        int n = m.getRepeatedFieldCount(f);
        for (int i = 0; i < n; i++) {
            Message e = (Message) m.getRepeatedField(f, i);
            String k = String.valueOf(e.getField(key));
            JsonNode v = valueToJson(value, e.getField(value), path.key(k));
            out.set(k, v == null ? NODES.nullNode() : v);
        }
        return out;
    }

    private JsonNode valueToJson(FieldDescriptor f, Object value, FieldPath path) {
        return switch (f.getJavaType()) {
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> NODES.numberNode((Long) value);
            case FLOAT -> floating(((Float) value).doubleValue());
            case DOUBLE -> floating((Double) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case STRING -> NODES.textNode((String) value);
            case BYTE_STRING -> NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case ENUM -> NODES.textNode(((com.google.protobuf.Descriptors.EnumValueDescriptor) value).getName());
            case MESSAGE -> messageToJson((Message) value, path);
        };
    }

    /** Go writes a whole float64 without a fraction ({@code 10}, not {@code 10.0}). */
    private static JsonNode floating(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return NODES.numberNode((long) d);
        }
        return NODES.numberNode(d);
    }

    private static boolean isEmpty(Message m) {
        return m.getAllFields().isEmpty();
    }

    private static long longOf(Message m, Shape shape, String field) {
        return ((Number) m.getField(shape.field(field))).longValue();
    }

    // ------------------------------------------------------------------ JSON → protobuf

    /** The encoded message of type {@code type} that this JSON describes; kind and apiVersion are not part of it. */
    public byte[] toBytes(JsonNode json, Descriptor type) {
        ReverseWriter w = new ReverseWriter(1024);
        writeMessage(json, type, w, FieldPath.ROOT);
        return w.toByteArray();
    }

    /** Writes the fields of one message, last first (see {@link ReverseWriter}). */
    private void writeMessage(JsonNode json, Descriptor type, ReverseWriter w, FieldPath path) {
        Shape shape = shape(type);
        switch (shape.special) {
            case NONE -> {
                if (!json.isObject()) {
                    throw mismatch(path, "an object", json);
                }
                for (int i = shape.inline.length - 1; i >= 0; i--) {
                    // Go always writes an embedded struct; its fields are read from the same object
                    writeNested(shape.inline[i], json, w, path);
                }
                List<Map.Entry<String, JsonNode>> props = new java.util.ArrayList<>(json.size());
                json.properties().forEach(props::add);
                for (int p = props.size() - 1; p >= 0; p--) {
                    Map.Entry<String, JsonNode> e = props.get(p);
                    FieldDescriptor f = shape.byJsonName.get(e.getKey());
                    JsonNode v = e.getValue();
                    if (f == null || v.isNull()) {
                        continue;
                    }
                    FieldPath at = path.field(e.getKey());
                    if (f.isMapField()) {
                        writeMap(f, v, w, at);
                    } else if (f.isRepeated()) {
                        if (!v.isArray()) {
                            throw mismatch(at, "an array", v);
                        }
                        writeRepeated(f, v, w, at);
                    } else {
                        writeField(f, v, w, at);
                    }
                }
            }
            case TIME, MICRO_TIME -> {
                Instant t = instant(json, path);
                writeScalar(shape.field("nanos"), t.getNano(), w);
                writeScalar(shape.field("seconds"), t.getEpochSecond(), w);
            }
            case DURATION -> {
                try {
                    writeScalar(shape.field("duration"), GoDuration.parse(text(json, path)), w);
                } catch (IllegalArgumentException e) {
                    throw new ProtobufFormatException(where(path) + e.getMessage());
                }
            }
            case RAW_JSON -> {
                w.bytes(Json.toBytes(json));
                w.tag(shape.fields[0].getNumber(), WireFormat.WIRETYPE_LENGTH_DELIMITED);
            }
            case INT_OR_STRING -> {
                boolean isString = json.isTextual();
                if (!isString && !json.isIntegralNumber()) {
                    throw mismatch(path, "an integer or a string", json);
                }
                writeScalar(shape.field("strVal"), isString ? json.textValue() : "", w);
                writeScalar(shape.field("intVal"), isString ? 0 : json.intValue(), w);
                writeScalar(shape.field("type"), isString ? 1L : 0L, w);
            }
            case QUANTITY -> {
                if (!json.isTextual() && !json.isNumber()) {
                    throw mismatch(path, "a quantity", json);
                }
                writeScalar(shape.fields[0], json.asText(), w);
            }
            case SCHEMA_OR_BOOL -> {
                if (json.isBoolean()) {
                    writeScalar(shape.field("allows"), json.booleanValue(), w);
                } else {
                    writeNested(shape.field("schema"), json, w, path);
                    writeScalar(shape.field("allows"), true, w);
                }
            }
            case SCHEMA_OR_ARRAY -> schemaOrList(shape, json, shape.field("jSONSchemas"), w, path);
            case SCHEMA_OR_STRING_ARRAY -> schemaOrList(shape, json, shape.field("property"), w, path);
            case STRING_LIST -> {
                if (!json.isArray()) {
                    throw mismatch(path, "an array", json);
                }
                for (int i = json.size() - 1; i >= 0; i--) {
                    writeScalar(shape.fields[0], text(json.get(i), path), w);
                }
            }
        }
    }

    private void schemaOrList(Shape shape, JsonNode json, FieldDescriptor list, ReverseWriter w, FieldPath path) {
        if (json.isArray()) {
            writeRepeated(list, json, w, path);
        } else {
            writeNested(shape.field("schema"), json, w, path);
        }
    }

    private void writeRepeated(FieldDescriptor f, JsonNode array, ReverseWriter w, FieldPath path) {
        for (int i = array.size() - 1; i >= 0; i--) {
            if (!array.get(i).isNull()) {
                writeField(f, array.get(i), w, path.index(i));
            }
        }
    }

    private void writeMap(FieldDescriptor f, JsonNode v, ReverseWriter w, FieldPath path) {
        if (!v.isObject()) {
            throw mismatch(path, "an object", v);
        }
        Descriptor entry = f.getMessageType();
        FieldDescriptor key = entry.findFieldByNumber(1);
        FieldDescriptor value = entry.findFieldByNumber(2);
        List<Map.Entry<String, JsonNode>> entries = new java.util.ArrayList<>(v.size());
        v.properties().forEach(entries::add);
        for (int i = entries.size() - 1; i >= 0; i--) {
            Map.Entry<String, JsonNode> e = entries.get(i);
            int end = w.written();
            if (!e.getValue().isNull()) {
                writeField(value, e.getValue(), w, path.key(e.getKey()));
            }
            writeScalar(key, key.getJavaType() == FieldDescriptor.JavaType.STRING ? e.getKey()
                    : jsonToValue(key, NODES.textNode(e.getKey()), path), w);
            w.varint(w.written() - end);
            w.tag(f.getNumber(), WireFormat.WIRETYPE_LENGTH_DELIMITED);
        }
    }

    /** One occurrence of a field: a nested message, or a scalar converted from JSON. */
    private void writeField(FieldDescriptor f, JsonNode v, ReverseWriter w, FieldPath path) {
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            writeNested(f, v, w, path);
        } else {
            writeScalar(f, jsonToValue(f, v, path), w);
        }
    }

    private void writeNested(FieldDescriptor f, JsonNode v, ReverseWriter w, FieldPath path) {
        int end = w.written();
        writeMessage(v, f.getMessageType(), w, path);
        w.varint(w.written() - end);
        w.tag(f.getNumber(), WireFormat.WIRETYPE_LENGTH_DELIMITED);
    }

    private static void writeScalar(FieldDescriptor f, Object value, ReverseWriter w) {
        switch (f.getType()) {
            case INT32, INT64, UINT32, UINT64, ENUM -> {
                long n = value instanceof com.google.protobuf.Descriptors.EnumValueDescriptor e ? e.getNumber()
                        : ((Number) value).longValue();
                w.varint(f.getType() == FieldDescriptor.Type.UINT32 ? n & 0xFFFFFFFFL : n);
                w.tag(f.getNumber(), WireFormat.WIRETYPE_VARINT);
            }
            case SINT32, SINT64 -> {
                long n = ((Number) value).longValue();
                w.varint((n << 1) ^ (n >> 63));
                w.tag(f.getNumber(), WireFormat.WIRETYPE_VARINT);
            }
            case BOOL -> {
                w.varint((Boolean) value ? 1 : 0);
                w.tag(f.getNumber(), WireFormat.WIRETYPE_VARINT);
            }
            case DOUBLE -> {
                w.fixed64(Double.doubleToRawLongBits(((Number) value).doubleValue()));
                w.tag(f.getNumber(), WireFormat.WIRETYPE_FIXED64);
            }
            case FIXED64, SFIXED64 -> {
                w.fixed64(((Number) value).longValue());
                w.tag(f.getNumber(), WireFormat.WIRETYPE_FIXED64);
            }
            case FLOAT -> {
                w.fixed32(Float.floatToRawIntBits(((Number) value).floatValue()));
                w.tag(f.getNumber(), WireFormat.WIRETYPE_FIXED32);
            }
            case FIXED32, SFIXED32 -> {
                w.fixed32(((Number) value).intValue());
                w.tag(f.getNumber(), WireFormat.WIRETYPE_FIXED32);
            }
            case STRING -> {
                w.string((String) value);
                w.tag(f.getNumber(), WireFormat.WIRETYPE_LENGTH_DELIMITED);
            }
            case BYTES -> {
                w.bytes(((ByteString) value).toByteArray());
                w.tag(f.getNumber(), WireFormat.WIRETYPE_LENGTH_DELIMITED);
            }
            default -> throw new IllegalStateException("no scalar: " + f.getFullName());
        }
    }

    private Object jsonToValue(FieldDescriptor f, JsonNode v, FieldPath path) {
        return switch (f.getJavaType()) {
            case INT -> {
                long n = integral(v, path);
                if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
                    throw new ProtobufFormatException(where(path) + v + " does not fit in 32 bits");
                }
                yield (int) n;
            }
            case LONG -> integral(v, path);
            case FLOAT -> (float) number(v, path);
            case DOUBLE -> number(v, path);
            case BOOLEAN -> {
                if (!v.isBoolean()) {
                    throw mismatch(path, "a boolean", v);
                }
                yield v.booleanValue();
            }
            case STRING -> {
                if (v.isContainerNode()) {
                    throw mismatch(path, "a string", v);
                }
                yield v.asText();
            }
            case BYTE_STRING -> {
                try {
                    yield ByteString.copyFrom(Base64.getDecoder().decode(text(v, path)));
                } catch (IllegalArgumentException e) {
                    throw new ProtobufFormatException(where(path) + "not base64: " + e.getMessage());
                }
            }
            case ENUM -> f.getEnumType().findValueByName(text(v, path));
            case MESSAGE -> throw new IllegalStateException("a message is written, not converted: " + f.getFullName());
        };
    }

    private static long integral(JsonNode v, FieldPath path) {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue())) {
            return (long) v.doubleValue();
        }
        throw mismatch(path, "an integer", v);
    }

    private static double number(JsonNode v, FieldPath path) {
        if (!v.isNumber()) {
            throw mismatch(path, "a number", v);
        }
        return v.doubleValue();
    }

    private static String text(JsonNode v, FieldPath path) {
        if (!v.isTextual()) {
            throw mismatch(path, "a string", v);
        }
        return v.textValue();
    }

    private static Instant instant(JsonNode v, FieldPath path) {
        try {
            return OffsetDateTime.parse(text(v, path)).toInstant();
        } catch (DateTimeParseException e) {
            throw new ProtobufFormatException(where(path) + "\"" + v.asText() + "\" is not an RFC 3339 time");
        }
    }

    private static ProtobufFormatException mismatch(FieldPath path, String expected, JsonNode got) {
        return new ProtobufFormatException(where(path) + "expected " + expected + ", got " + got.getNodeType().name().toLowerCase());
    }

    private static String where(FieldPath path) {
        return path.prefix();
    }

    // ------------------------------------------------------------------ shapes

    private Shape shape(Descriptor d) {
        Shape s = shapes.get(d);
        if (s == null) {
            s = shapes.computeIfAbsent(d, ProtobufJsonConverter::shapeOf);
        }
        return s;
    }

    /**
     * A message's shape, from the Kubernetes API catalog's schema of it: the JSON name of each field
     * (where it differs from the protobuf one: {@code $ref}, {@code x-kubernetes-*}, {@code uID} →
     * {@code uid}...) and the fields of Go structs embedded inline ({@code Probe.handler} holds
     * {@code httpGet}...), which are a field of their own in protobuf but flattened into the parent
     * in JSON. A message the catalog does not know keeps its protobuf names.
     */
    private static Shape shapeOf(Descriptor d) {
        List<FieldDescriptor> fields = d.getFields();
        FieldDescriptor[] fs = fields.toArray(FieldDescriptor[]::new);
        String[] names = new String[fs.length];
        Map<String, FieldDescriptor> byName = new HashMap<>();
        List<FieldDescriptor> inline = new java.util.ArrayList<>();
        Map<Integer, String> jsonNames = new HashMap<>();
        java.util.Set<String> inlineFields = new java.util.HashSet<>();
        KubeApiCatalog.get().type(d.getFullName()).ifPresent(schema -> {
            for (FieldSchema f : schema.fields().values()) {
                if (f.inline() != null) {
                    int dot = f.inline().indexOf('.');
                    inlineFields.add(dot < 0 ? f.inline() : f.inline().substring(0, dot)); // nested: the outer one here
                } else if (f.protoNumber() > 0) {
                    jsonNames.put(f.protoNumber(), f.name());
                }
            }
        });
        for (int i = 0; i < fs.length; i++) {
            if (inlineFields.contains(fs[i].getName())) {
                inline.add(fs[i]);
                continue; // names[i] stays null
            }
            names[i] = jsonNames.getOrDefault(fs[i].getNumber(), fs[i].getName());
            byName.put(names[i], fs[i]);
        }
        return new Shape(special(d), Map.copyOf(byName), names, fs, inline.toArray(FieldDescriptor[]::new));
    }

    private static Special special(Descriptor d) {
        String full = d.getFullName();
        if (full.startsWith(META)) {
            switch (d.getName()) {
                case "Time" -> {
                    return Special.TIME;
                }
                case "MicroTime" -> {
                    return Special.MICRO_TIME;
                }
                case "Duration" -> {
                    return Special.DURATION;
                }
                case "FieldsV1" -> {
                    return Special.RAW_JSON;
                }
                default -> {
                }
            }
        }
        switch (full) {
            case "k8s.io.apimachinery.pkg.runtime.RawExtension" -> {
                return Special.RAW_JSON;
            }
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> {
                return Special.INT_OR_STRING;
            }
            case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> {
                return Special.QUANTITY;
            }
            default -> {
            }
        }
        if (full.startsWith(APIEXTENSIONS)) {
            switch (d.getName()) {
                case "JSON" -> {
                    return Special.RAW_JSON;
                }
                case "JSONSchemaPropsOrBool" -> {
                    return Special.SCHEMA_OR_BOOL;
                }
                case "JSONSchemaPropsOrArray" -> {
                    return Special.SCHEMA_OR_ARRAY;
                }
                case "JSONSchemaPropsOrStringArray" -> {
                    return Special.SCHEMA_OR_STRING_ARRAY;
                }
                default -> {
                }
            }
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

    /** JSONSchemaProps' JSON names that are no valid proto names: {@code $ref}, {@code $schema}, {@code x-kubernetes-*}. */
}
