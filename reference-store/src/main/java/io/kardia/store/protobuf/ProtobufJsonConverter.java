package io.kardia.store.protobuf;

import io.kardia.kubeapi.protobuf.ProtobufFormatException;
import io.kardia.kubeapi.protobuf.GoDuration;
import io.kardia.kubeapi.protobuf.MessageShape;
import io.kardia.kubeapi.protobuf.SpecialJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import io.kardia.core.json.CodecException;
import io.kardia.core.json.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Converts between an object's JSON form (as Kubernetes writes it, and as the store keeps it) and
 * its protobuf message, driven only by the message descriptors: JSON to wire bytes, and a built
 * {@link Message} to JSON (wire bytes are read to JSON in one pass by {@link ProtobufJsonReader},
 * which gives the same JSON). Kubernetes' types with their own
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
        MessageShape shape = MessageShape.of(m.getDescriptorForType());
        return switch (shape.special()) {
            case NONE -> objectToJson(m, shape, path);
            case TIME -> {
                if (isEmpty(m)) {
                    yield null;
                }
                yield timeJson(longOf(m, shape, "seconds"));
            }
            case MICRO_TIME -> {
                if (isEmpty(m)) {
                    yield null;
                }
                yield microTimeJson(longOf(m, shape, "seconds"), longOf(m, shape, "nanos"));
            }
            case DURATION -> NODES.textNode(GoDuration.format(longOf(m, shape, "duration")));
            case RAW_JSON -> rawJson(((ByteString) m.getField(shape.field(0))).toByteArray(), m.getDescriptorForType(), path);
            case INT_OR_STRING -> intOrStringJson(longOf(m, shape, "type"), longOf(m, shape, "intVal"),
                    (String) m.getField(shape.field("strVal")));
            case QUANTITY -> quantityJson((String) m.getField(shape.field(0)));
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
            case STRING_LIST -> repeatedToJson(m, shape.field(0), path);
        };
    }

    private ObjectNode objectToJson(Message m, MessageShape shape, FieldPath path) {
        ObjectNode out = NODES.objectNode();
        for (int i = 0; i < shape.fieldCount(); i++) {
            FieldDescriptor f = shape.field(i);
            String name = shape.jsonName(i);
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
                if (value instanceof String s && s.isEmpty() && !shape.keepsEmptyString(i)
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

    /** A Time: kube reads only its seconds (its JSON has no fraction). */
    static JsonNode timeJson(long seconds) {
        return NODES.textNode(SpecialJson.time(seconds));
    }

    /** A MicroTime: RFC 3339 with six fraction digits. */
    static JsonNode microTimeJson(long seconds, long nanos) {
        return NODES.textNode(SpecialJson.microTime(seconds, nanos));
    }

    /** The JSON raw bytes hold (RawExtension, FieldsV1, apiextensions' JSON); null for none. */
    static JsonNode rawJson(byte[] raw, Descriptor type, FieldPath path) {
        if (raw.length == 0) {
            return null;
        }
        try {
            return Json.tree(raw);
        } catch (CodecException e) {
            throw new ProtobufFormatException(where(path) + "the raw bytes of a " + type.getName()
                    + " are not JSON: " + e.getMessage(), e);
        }
    }

    static JsonNode intOrStringJson(long type, long intVal, String strVal) {
        return type == 1 ? NODES.textNode(strVal) : NODES.numberNode((int) intVal);
    }

    static JsonNode quantityJson(String q) {
        return NODES.textNode(SpecialJson.quantity(q));
    }

    /** Go writes a whole float64 without a fraction ({@code 10}, not {@code 10.0}). */
    static JsonNode floating(double d) {
        if (SpecialJson.isWhole(d)) {
            return NODES.numberNode((long) d);
        }
        return NODES.numberNode(d);
    }

    private static boolean isEmpty(Message m) {
        return m.getAllFields().isEmpty();
    }

    private static long longOf(Message m, MessageShape shape, String field) {
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
        MessageShape shape = MessageShape.of(type);
        switch (shape.special()) {
            case NONE -> {
                if (!json.isObject()) {
                    throw mismatch(path, "an object", json);
                }
                for (int i = shape.inlineFields().size() - 1; i >= 0; i--) {
                    // Go always writes an embedded struct; its fields are read from the same object
                    writeNested(shape.inlineFields().get(i), json, w, path);
                }
                List<Map.Entry<String, JsonNode>> props = new java.util.ArrayList<>(json.size());
                json.properties().forEach(props::add);
                for (int p = props.size() - 1; p >= 0; p--) {
                    Map.Entry<String, JsonNode> e = props.get(p);
                    FieldDescriptor f = shape.fieldByJsonName(e.getKey());
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
                w.tag(shape.field(0).getNumber(), WireFormat.WIRETYPE_LENGTH_DELIMITED);
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
                writeScalar(shape.field(0), json.asText(), w);
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
                    writeScalar(shape.field(0), text(json.get(i), path), w);
                }
            }
        }
    }

    private void schemaOrList(MessageShape shape, JsonNode json, FieldDescriptor list, ReverseWriter w, FieldPath path) {
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

    static String where(FieldPath path) {
        return path.prefix();
    }
}
