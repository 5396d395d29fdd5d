package io.kardia.store.protobuf;

import io.kardia.kubeapi.protobuf.ProtobufFormatException;
import io.kardia.kubeapi.protobuf.GoDuration;
import io.kardia.kubeapi.protobuf.MessageShape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;

/**
 * Reads protobuf wire bytes straight into the JSON tree the store keeps, in one pass over a
 * {@link CodedInputStream} driven by the message descriptors ({@link MessageShape}): no message
 * object is built in between. It gives the same JSON as {@link ProtobufJsonConverter#toJson} of the
 * parsed message (fields in declaration order, Kubernetes' special types, inline structs, Go's empty
 * strings left out), and takes the wire format as protobuf parsers do: fields in any order, the
 * last occurrence of a scalar wins, repeated scalars packed or not, unknown field numbers skipped.
 * A message field that occurs twice is merged as JSON (objects merged, arrays appended), which
 * protobuf's own merge gives for every Kubernetes type. A known field in a wire type it cannot have
 * is refused (as the client's {@code ProtobufToJson} refuses it), not skipped as protobuf-java would:
 * a body that sends {@code metadata} as a number is a broken encoder, not an older one.
 */
final class ProtobufJsonReader {
    static final int MAX_DEPTH = MessageShape.MAX_DEPTH;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final byte[] EMPTY = new byte[0];

    /**
     * The JSON of the message of type {@code type} these bytes encode.
     *
     * @throws InvalidProtocolBufferException when they are no valid encoding of it
     */
    ObjectNode read(byte[] bytes, Descriptor type) throws InvalidProtocolBufferException {
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.pushLimit(bytes.length); // so that every declared length is checked against what is left
            JsonNode out = message(in, MessageShape.of(type), FieldPath.ROOT, 0);
            if (!(out instanceof ObjectNode o)) {
                throw new ProtobufFormatException(type.getName() + " is no object");
            }
            return o;
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an in-memory stream has no other I/O
        }
    }

    /** The rest of the stream (up to its limit) as one message of this shape; null where JSON has no value. */
    private JsonNode message(CodedInputStream in, MessageShape s, FieldPath path, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new InvalidProtocolBufferException("the message is nested more than " + MAX_DEPTH + " levels deep");
        }
        return switch (s.special()) {
            case NONE -> object(s, fields(in, s, path, depth));
            case TIME -> {
                Object[] v = scalars(in, s);
                yield allNull(v) ? null : ProtobufJsonConverter.timeJson(longOf(v, s, "seconds"));
            }
            case MICRO_TIME -> {
                Object[] v = scalars(in, s);
                yield allNull(v) ? null : ProtobufJsonConverter.microTimeJson(longOf(v, s, "seconds"), longOf(v, s, "nanos"));
            }
            case DURATION -> NODES.textNode(GoDuration.format(longOf(scalars(in, s), s, "duration")));
            case RAW_JSON -> {
                Object raw = scalars(in, s)[0];
                yield ProtobufJsonConverter.rawJson(raw == null ? EMPTY : (byte[]) raw, s.field(0).getContainingType(), path);
            }
            case INT_OR_STRING -> {
                Object[] v = scalars(in, s);
                Object str = v[s.index("strVal")];
                yield ProtobufJsonConverter.intOrStringJson(longOf(v, s, "type"), longOf(v, s, "intVal"),
                        str == null ? "" : (String) str);
            }
            case QUANTITY -> {
                Object q = scalars(in, s)[0];
                yield ProtobufJsonConverter.quantityJson(q == null ? "" : (String) q);
            }
            case SCHEMA_OR_BOOL -> {
                JsonNode[] v = fields(in, s, path, depth);
                JsonNode schema = v[s.index("schema")];
                JsonNode allows = v[s.index("allows")];
                yield schema != null ? schema : NODES.booleanNode(allows != null && allows.booleanValue());
            }
            case SCHEMA_OR_ARRAY -> schemaOrList(s, fields(in, s, path, depth), "jSONSchemas");
            case SCHEMA_OR_STRING_ARRAY -> schemaOrList(s, fields(in, s, path, depth), "property");
            case STRING_LIST -> {
                JsonNode items = fields(in, s, path, depth)[0];
                yield items != null ? items : NODES.arrayNode();
            }
        };
    }

    private static JsonNode schemaOrList(MessageShape s, JsonNode[] v, String listField) {
        JsonNode list = v[s.index(listField)];
        return list != null && !list.isEmpty() ? list : v[s.index("schema")];
    }

    /**
     * Reads every field of one message: per field (in declaration order) its value, an array of a
     * repeated field's elements, an object of a map's entries; null for a field not on the wire.
     */
    private JsonNode[] fields(CodedInputStream in, MessageShape s, FieldPath path, int depth) throws IOException {
        JsonNode[] values = new JsonNode[s.fieldCount()];
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int i = s.indexOf(WireFormat.getTagFieldNumber(tag));
            if (i < 0) {
                skip(in, tag);
                continue;
            }
            FieldDescriptor f = s.field(i);
            int wireType = WireFormat.getTagWireType(tag);
            if (!s.accepts(i, wireType)) {
                throw new InvalidProtocolBufferException(s.wrongWireType(i, wireType));
            }
            if (s.isMap(i)) {
                ObjectNode map = values[i] == null ? NODES.objectNode() : (ObjectNode) values[i];
                mapEntry(in, f, map, child(path, s, i), depth + 1);
                values[i] = map;
            } else if (s.isRepeated(i)) {
                ArrayNode array = values[i] == null ? NODES.arrayNode() : (ArrayNode) values[i];
                if (s.isPacked(i, wireType)) {
                    packed(in, f, array, depth);
                } else {
                    JsonNode v = s.isMessage(i)
                            ? nested(in, s.child(i), child(path, s, i).index(array.size()), depth)
                            : value(in, f, path, depth);
                    if (!v.isMissingNode()) {
                        array.add(v == null ? NODES.nullNode() : v);
                    }
                }
                values[i] = array;
            } else {
                JsonNode v = s.isMessage(i)
                        ? nested(in, s.child(i), child(path, s, i), depth)
                        : value(in, f, path, depth);
                if (v == null || !v.isMissingNode()) {
                    values[i] = values[i] instanceof ObjectNode earlier && v instanceof ObjectNode later
                            ? merge(earlier, later) : v;
                }
            }
        }
        return values;
    }

    /** The JSON object of a message's fields, in declaration order, with Go's omissions. */
    private static ObjectNode object(MessageShape s, JsonNode[] values) {
        ObjectNode out = NODES.objectNode();
        for (int i = 0; i < values.length; i++) {
            JsonNode v = values[i];
            if (v == null) {
                continue;
            }
            String name = s.jsonName(i);
            if (name == null) { // inline: its fields are the parent's in JSON
                if (v instanceof ObjectNode embedded) {
                    out.setAll(embedded);
                }
                continue;
            }
            FieldDescriptor f = s.field(i);
            if (s.isRepeated(i)) {
                if (v.isEmpty()) {
                    continue; // an empty packed run: no element
                }
            } else if (v.isTextual() && v.textValue().isEmpty() && !s.keepsEmptyString(i)
                    && (f.getJavaType() == FieldDescriptor.JavaType.STRING || f.getJavaType() == FieldDescriptor.JavaType.BYTE_STRING)) {
                continue; // Go writes its non-pointer strings even when unset
            }
            out.set(name, v);
        }
        return out;
    }

    /** One map entry (key 1, value 2), a value missing on the wire being its type's default as in protobuf. */
    private void mapEntry(CodedInputStream in, FieldDescriptor f, ObjectNode map, FieldPath path, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new InvalidProtocolBufferException("the message is nested more than " + MAX_DEPTH + " levels deep");
        }
        Descriptor entry = f.getMessageType();
        FieldDescriptor keyField = entry.findFieldByNumber(1);
        FieldDescriptor valueField = entry.findFieldByNumber(2);
        int limit = in.pushLimit(declaredLength(in));
        String key = null;
        JsonNode value = null;
        boolean hasValue = false;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int number = WireFormat.getTagFieldNumber(tag);
            int wireType = WireFormat.getTagWireType(tag);
            if (number == 1 && wireType == keyField.getLiteType().getWireType()) {
                JsonNode k = value(in, keyField, path, depth);
                if (!k.isMissingNode()) {
                    key = k.asText();
                }
            } else if (number == 2 && wireType == valueField.getLiteType().getWireType()) {
                JsonNode v = value(in, valueField, key == null ? path : path.key(key), depth);
                if (v == null || !v.isMissingNode()) {
                    value = v;
                    hasValue = true;
                }
            } else if (number == 1 || number == 2) {
                MessageShape entryShape = MessageShape.of(entry);
                throw new InvalidProtocolBufferException(entryShape.wrongWireType(entryShape.indexOf(number), wireType));
            } else {
                skip(in, tag);
            }
        }
        in.popLimit(limit);
        if (key == null) {
            key = String.valueOf(keyField.getDefaultValue());
        }
        if (!hasValue) {
            value = valueField.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    ? message(CodedInputStream.newInstance(EMPTY), MessageShape.of(valueField.getMessageType()), path, depth + 1)
                    : scalarJson(valueField, valueField.getDefaultValue());
        }
        map.set(key, value == null ? NODES.nullNode() : value);
    }

    /** The elements of a packed repeated scalar field. */
    private void packed(CodedInputStream in, FieldDescriptor f, ArrayNode array, int depth) throws IOException {
        int limit = in.pushLimit(declaredLength(in));
        while (in.getBytesUntilLimit() > 0) {
            JsonNode v = value(in, f, FieldPath.ROOT, depth);
            if (!v.isMissingNode()) {
                array.add(v);
            }
        }
        in.popLimit(limit);
    }

    /**
     * One occurrence of a field: its JSON value, null where JSON has none (an empty Time), or
     * {@link MissingNode} for an enum number the type does not know (protobuf keeps it as unknown).
     */
    private JsonNode value(CodedInputStream in, FieldDescriptor f, FieldPath path, int depth) throws IOException {
        return switch (f.getType()) {
            case INT32 -> NODES.numberNode(in.readInt32());
            case UINT32 -> NODES.numberNode(in.readUInt32());
            case SINT32 -> NODES.numberNode(in.readSInt32());
            case FIXED32 -> NODES.numberNode(in.readFixed32());
            case SFIXED32 -> NODES.numberNode(in.readSFixed32());
            case INT64 -> NODES.numberNode(in.readInt64());
            case UINT64 -> NODES.numberNode(in.readUInt64());
            case SINT64 -> NODES.numberNode(in.readSInt64());
            case FIXED64 -> NODES.numberNode(in.readFixed64());
            case SFIXED64 -> NODES.numberNode(in.readSFixed64());
            case FLOAT -> ProtobufJsonConverter.floating(in.readFloat());
            case DOUBLE -> ProtobufJsonConverter.floating(in.readDouble());
            case BOOL -> NODES.booleanNode(in.readBool());
            case STRING -> NODES.textNode(in.readString());
            case BYTES -> NODES.textNode(Base64.getEncoder().encodeToString(in.readByteArray()));
            case ENUM -> {
                EnumValueDescriptor e = f.getEnumType().findValueByNumber(in.readEnum());
                yield e == null ? MissingNode.getInstance() : NODES.textNode(e.getName());
            }
            case MESSAGE -> nested(in, MessageShape.of(f.getMessageType()), path, depth);
            case GROUP -> throw new IllegalStateException("no Kubernetes message has groups: " + f.getFullName());
        };
    }

    /** A length-delimited message of this shape, one level deeper. */
    private JsonNode nested(CodedInputStream in, MessageShape shape, FieldPath path, int depth) throws IOException {
        int limit = in.pushLimit(declaredLength(in));
        JsonNode v = message(in, shape, path, depth + 1);
        in.popLimit(limit);
        return v;
    }

    /** A field's default value (a map entry's missing value) as JSON. */
    private static JsonNode scalarJson(FieldDescriptor f, Object value) {
        return switch (f.getJavaType()) {
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> NODES.numberNode((Long) value);
            case FLOAT -> ProtobufJsonConverter.floating((Float) value);
            case DOUBLE -> ProtobufJsonConverter.floating((Double) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case STRING -> NODES.textNode((String) value);
            case BYTE_STRING -> NODES.textNode("");
            case ENUM -> NODES.textNode(((EnumValueDescriptor) value).getName());
            case MESSAGE -> throw new IllegalStateException("a message has no scalar default: " + f.getFullName());
        };
    }

    /** The last value of each scalar field of one of Kubernetes' special messages (they hold only scalars); null where absent. */
    private static Object[] scalars(CodedInputStream in, MessageShape s) throws IOException {
        Object[] values = new Object[s.fieldCount()];
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int i = s.indexOf(WireFormat.getTagFieldNumber(tag));
            if (i < 0) {
                skip(in, tag);
                continue;
            }
            if (s.isRepeated(i) || WireFormat.getTagWireType(tag) != s.wireType(i)) {
                throw new InvalidProtocolBufferException(s.wrongWireType(i, WireFormat.getTagWireType(tag)));
            }
            values[i] = switch (s.field(i).getType()) {
                case INT32 -> (long) in.readInt32();
                case INT64 -> in.readInt64();
                case STRING -> in.readString();
                case BYTES -> in.readByteArray();
                default -> throw new IllegalStateException("unexpected field of a special type: " + s.field(i).getFullName());
            };
        }
        return values;
    }

    private static long longOf(Object[] values, MessageShape s, String field) {
        Object v = values[s.index(field)];
        return v == null ? 0 : (Long) v;
    }

    private static boolean allNull(Object[] values) {
        for (Object v : values) {
            if (v != null) {
                return false;
            }
        }
        return true;
    }

    /** A length-delimited field's length, refused when it reaches past what is left of the message. */
    private static int declaredLength(CodedInputStream in) throws IOException {
        int length = in.readRawVarint32();
        int left = in.getBytesUntilLimit();
        if (length < 0 || length > left) {
            throw new InvalidProtocolBufferException(MessageShape.lengthPastTheEnd(length, left));
        }
        return length;
    }

    private static void skip(CodedInputStream in, int tag) throws IOException {
        if (!in.skipField(tag)) {
            throw new InvalidProtocolBufferException("an end-group tag where none was opened");
        }
    }

    private static FieldPath child(FieldPath path, MessageShape s, int i) {
        String name = s.jsonName(i);
        return name == null ? path : path.field(name);
    }

    /** A message field seen twice: protobuf merges the second into the first. */
    private static ObjectNode merge(ObjectNode into, ObjectNode from) {
        for (Map.Entry<String, JsonNode> e : from.properties()) {
            JsonNode old = into.get(e.getKey());
            if (old instanceof ObjectNode o && e.getValue() instanceof ObjectNode n) {
                merge(o, n);
            } else if (old instanceof ArrayNode a && e.getValue() instanceof ArrayNode n) {
                a.addAll(n);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
        return into;
    }
}
