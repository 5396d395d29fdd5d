package io.kardia.kubeapi.protobuf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.kardia.kubeapi.FieldSchema;
import io.kardia.kubeapi.KubeApiCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads Kubernetes' protobuf ({@code application/vnd.kubernetes.protobuf}) straight into the JSON
 * Kubernetes would have written for the same object, in one streaming pass over the wire bytes:
 * no {@code DynamicMessage}, no JSON tree. This is what lets a client ask kube-apiserver for
 * protobuf (as client-go does for built-in kinds) and still decode with its JSON models.
 *
 * <p>The conversion rules are kube-apiserver's (and the reference store's {@code ProtobufJsonConverter}'s):
 * {@code Time} → RFC 3339 in whole seconds, {@code MicroTime} → six fraction digits,
 * {@code Duration} → Go's duration text, {@code Quantity} → its string, {@code IntOrString} → a
 * number or a string, {@code RawExtension}/{@code FieldsV1}/apiextensions {@code JSON} → the JSON
 * they hold, inline, {@code JSONSchemaPropsOr*} → boolean/array/schema, Go structs embedded inline
 * ({@code Probe.handler}) → their fields in the parent, the JSON names the catalog gives where
 * they differ from the protobuf ones, maps → objects, bytes → base64. An empty string is Go's
 * "unset" and left out; numbers and booleans the message carries are kept.
 *
 * <p>Fields are written in the descriptor's order, so {@code metadata} (field 1 of every kind)
 * comes first, as in kube-apiserver's JSON.
 */
public final class ProtobufToJson {
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    public static final String WATCH_MEDIA_TYPE = MEDIA_TYPE + ";stream=watch";
    static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
    private static final JsonFactory JSON = new JsonFactory();
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

    /**
     * What the reader needs to know of one message type, worked out once: its fields in
     * descriptor order, their JSON names (null for a Go struct embedded inline), and the index of
     * each field number.
     */
    private record Shape(Special special, FieldDescriptor[] fields, String[] jsonNames, int[] indexByNumber) {
        int index(int number) {
            return number < indexByNumber.length ? indexByNumber[number] : -1;
        }

        int index(String protoName) {
            for (int i = 0; i < fields.length; i++) {
                if (fields[i].getName().equals(protoName)) {
                    return i;
                }
            }
            throw new IllegalStateException(protoName);
        }
    }

    /** The fields one message carries, as read from the wire: per occurrence, its field and where its value is. */
    private static final class Occurrences {
        int count;
        int[] field = new int[8];
        int[] start = new int[8];
        int[] length = new int[8];
        long[] value = new long[8];
        /** A length-delimited occurrence of a repeated scalar field: packed values. */
        boolean[] packed = new boolean[8];
        int[] perField;

        Occurrences(int fields) {
            perField = new int[fields];
        }

        void add(int f, int s, int len, long v) {
            add(f, s, len, v, false);
        }

        void add(int f, int s, int len, long v, boolean isPacked) {
            if (count == field.length) {
                int n = count * 2;
                field = Arrays.copyOf(field, n);
                start = Arrays.copyOf(start, n);
                length = Arrays.copyOf(length, n);
                value = Arrays.copyOf(value, n);
                packed = Arrays.copyOf(packed, n);
            }
            packed[count] = isPacked;
            field[count] = f;
            start[count] = s;
            length[count] = len;
            value[count] = v;
            count++;
            perField[f]++;
        }

        /** The last occurrence of a field (protobuf: the last one wins), or -1. */
        int last(int f) {
            if (perField[f] == 0) {
                return -1;
            }
            for (int i = count - 1; i >= 0; i--) {
                if (field[i] == f) {
                    return i;
                }
            }
            return -1;
        }
    }

    private final ProtobufKinds kinds;
    private final Map<Descriptor, Shape> shapes = new ConcurrentHashMap<>();

    public ProtobufToJson(ProtobufKinds kinds) {
        this.kinds = kinds;
    }

    /** The reader for the pinned release's kinds, built once. */
    public static ProtobufToJson builtIn() {
        return BuiltIn.READER;
    }

    private static final class BuiltIn {
        static final ProtobufToJson READER = new ProtobufToJson(ProtobufKinds.builtIn());
    }

    /** True when objects of this kind have a protobuf message (built-in kinds; never a custom resource). */
    public boolean supports(String apiVersion, String kind) {
        return kinds.message(apiVersion, kind).isPresent();
    }

    /**
     * Works out the shapes of a kind's message and of every message it contains (and of its list),
     * so that the first object read is as fast as the next: a client calls this when it is made,
     * before any watch whose idle timeout the first read could otherwise exceed. False when the
     * kind has no protobuf message.
     */
    public boolean prepare(String apiVersion, String kind) {
        var message = kinds.message(apiVersion, kind);
        if (message.isEmpty()) {
            return false;
        }
        Set<Descriptor> seen = new HashSet<>();
        prepare(message.get(), seen);
        kinds.message(apiVersion, kind + "List").ifPresent(list -> prepare(list, seen));
        return true;
    }

    private void prepare(Descriptor d, Set<Descriptor> seen) {
        if (!seen.add(d)) {
            return;
        }
        shape(d);
        for (FieldDescriptor f : d.getFields()) {
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                prepare(f.getMessageType(), seen);
            }
        }
    }

    /** True when a {@code Content-Type} header names Kubernetes' protobuf (object, list or watch stream). */
    public static boolean isProtobuf(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, MEDIA_TYPE, 0, MEDIA_TYPE.length());
    }

    // ------------------------------------------------------------------ objects and lists

    /**
     * The JSON (with {@code kind} and {@code apiVersion} first) of an enveloped object or list: the
     * 4 bytes {@code k8s\0}, then a {@code runtime.Unknown}.
     *
     * @throws ProtobufFormatException when the body is not a Kubernetes protobuf object of a known kind
     */
    public byte[] toJson(byte[] body) {
        ByteArrayBuilder out = new ByteArrayBuilder(Math.max(256, body.length * 2));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeEnveloped(body, 0, body.length, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
        return out.toByteArray();
    }

    private void writeEnveloped(byte[] buf, int off, int len, JsonGenerator g) throws IOException {
        if (len < MAGIC.length || !Arrays.equals(buf, off, off + MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ProtobufFormatException("provided data does not appear to be a protobuf message, expected prefix [107, 56, 115, 0]");
        }
        String apiVersion = "";
        String kind = "";
        int rawStart = 0;
        int rawLength = 0;
        try {
            CodedInputStream in = CodedInputStream.newInstance(buf, off + MAGIC.length, len - MAGIC.length);
            int base = off + MAGIC.length;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (tag) {
                    case (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                        CodedInputStream meta = CodedInputStream.newInstance(in.readByteArray());
                        for (int t = meta.readTag(); t != 0; t = meta.readTag()) {
                            switch (t) {
                                case (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> apiVersion = meta.readStringRequireUtf8();
                                case (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> kind = meta.readStringRequireUtf8();
                                default -> meta.skipField(t);
                            }
                        }
                    }
                    case (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                        rawLength = in.readRawVarint32();
                        rawStart = base + in.getTotalBytesRead();
                        in.skipRawBytes(rawLength);
                    }
                    case (3 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                        String encoding = in.readStringRequireUtf8();
                        if (!encoding.isEmpty()) {
                            throw new ProtobufFormatException("the protobuf envelope's content encoding \"" + encoding + "\" is not supported");
                        }
                    }
                    case (4 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                        String type = in.readStringRequireUtf8();
                        if (!type.isEmpty() && !type.equals(MEDIA_TYPE)) {
                            throw new ProtobufFormatException("the protobuf envelope holds \"" + type + "\", not " + MEDIA_TYPE);
                        }
                    }
                    default -> in.skipField(tag);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufFormatException("the protobuf envelope (runtime.Unknown) is malformed: " + e.getMessage(), e);
        }
        String k = kind;
        String v = apiVersion;
        Descriptor type = kinds.message(apiVersion, kind).orElseThrow(() -> new ProtobufFormatException(
                "no protobuf message is known for kind \"" + k + "\" in apiVersion \"" + v + "\""));
        g.writeStartObject();
        g.writeStringField("kind", kind);
        g.writeStringField("apiVersion", apiVersion);
        Shape shape = shape(type);
        writeFields(shape, read(shape, buf, rawStart, rawLength, kind), buf, g);
        g.writeEndObject();
    }

    // ------------------------------------------------------------------ watch streams

    /**
     * A protobuf watch stream ({@code application/vnd.kubernetes.protobuf;stream=watch}: frames of
     * a 4-byte big-endian length and a {@code WatchEvent} whose object is an enveloped object) as
     * the newline-delimited JSON watch stream kube-apiserver would have sent. Frames are converted
     * one at a time as they arrive; a malformed frame throws {@link ProtobufFormatException} from
     * {@code read}.
     */
    public InputStream watchAsJson(InputStream frames) {
        return new WatchJsonStream(frames);
    }

    /** The largest watch frame read (kube-apiserver's objects are at most 3 MiB; lists never come as events). */
    static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private final class WatchJsonStream extends InputStream {
        private final InputStream frames;
        private byte[] current = new byte[0];
        private int position;
        private boolean ended;

        WatchJsonStream(InputStream frames) {
            this.frames = frames;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (position == current.length) {
                if (ended || !nextFrame()) {
                    ended = true;
                    return -1;
                }
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return current.length - position;
        }

        /** Reads and converts the next frame; false at the stream's clean end (between frames). */
        private boolean nextFrame() throws IOException {
            int first = frames.read();
            if (first < 0) {
                return false;
            }
            byte[] header = new byte[3];
            if (readFully(header) < 3) {
                throw new ProtobufFormatException("the watch stream ended inside a frame's length");
            }
            long length = ((long) first << 24) | ((header[0] & 0xffL) << 16) | ((header[1] & 0xffL) << 8) | (header[2] & 0xffL);
            if (length > MAX_FRAME_BYTES) {
                throw new ProtobufFormatException("a watch frame declares " + length + " bytes, more than the limit of "
                        + MAX_FRAME_BYTES);
            }
            byte[] frame = new byte[(int) length];
            int read = readFully(frame);
            if (read < length) {
                throw new ProtobufFormatException("the watch stream ended inside a frame (" + read + " of "
                        + length + " bytes)");
            }
            current = eventToJson(frame);
            position = 0;
            return true;
        }

        /**
         * Reads until {@code into} is full or the stream ends; the bytes read. Never asks for 0
         * bytes ({@code readNBytes} does at the end, and an HTTP body's stream then blocks for
         * more data: the last frame before a pause would wait for the next one).
         */
        private int readFully(byte[] into) throws IOException {
            int n = 0;
            while (n < into.length) {
                int r = frames.read(into, n, into.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            frames.close();
        }
    }

    /**
     * One {@code WatchEvent} frame (without its length prefix) as a JSON watch event line.
     *
     * @throws ProtobufFormatException when the frame is not a {@code WatchEvent} of a known kind
     */
    public byte[] eventToJson(byte[] frame) throws IOException {
        String type = null;
        int objectStart = -1;
        int objectLength = 0;
        try {
            CodedInputStream c = CodedInputStream.newInstance(frame);
            for (int tag = c.readTag(); tag != 0; tag = c.readTag()) {
                if (tag == ((1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    type = c.readStringRequireUtf8();
                } else if (tag == ((2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    int extLength = c.readRawVarint32();
                    int extStart = c.getTotalBytesRead();
                    c.skipRawBytes(extLength);
                    CodedInputStream ext = CodedInputStream.newInstance(frame, extStart, extLength);
                    for (int t = ext.readTag(); t != 0; t = ext.readTag()) {
                        if (t == ((1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                            objectLength = ext.readRawVarint32();
                            objectStart = extStart + ext.getTotalBytesRead();
                            ext.skipRawBytes(objectLength);
                        } else {
                            ext.skipField(t);
                        }
                    }
                } else {
                    c.skipField(tag);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufFormatException("a watch frame is not a WatchEvent: " + e.getMessage(), e);
        }
        if (type == null || objectStart < 0) {
            throw new ProtobufFormatException("a watch frame has no " + (type == null ? "type" : "object"));
        }
        ByteArrayBuilder out = new ByteArrayBuilder(Math.max(256, frame.length * 2));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", type);
            g.writeFieldName("object");
            writeEnveloped(frame, objectStart, objectLength, g);
            g.writeEndObject();
        }
        out.write('\n');
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ messages

    /** Pass 1: where each field of the message in {@code buf[start, start+length)} is. */
    private Occurrences read(Shape shape, byte[] buf, int start, int length, String what) {
        Occurrences occ = new Occurrences(shape.fields.length);
        try {
            CodedInputStream in = CodedInputStream.newInstance(buf, start, length);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int f = shape.index(WireFormat.getTagFieldNumber(tag));
                if (f < 0) {
                    in.skipField(tag);
                    continue;
                }
                int wire = WireFormat.getTagWireType(tag);
                FieldDescriptor fd = shape.fields[f];
                int expected = fd.getLiteType().getWireType();
                boolean packed = wire == WireFormat.WIRETYPE_LENGTH_DELIMITED && fd.isRepeated() && fd.isPackable();
                if (wire != expected && !packed) {
                    throw new ProtobufFormatException(what + ": field " + fd.getName() + " has wire type " + wire
                            + ", expected " + expected);
                }
                switch (wire) {
                    case WireFormat.WIRETYPE_VARINT -> occ.add(f, 0, 0, in.readRawVarint64());
                    case WireFormat.WIRETYPE_FIXED64 -> occ.add(f, 0, 0, in.readRawLittleEndian64());
                    case WireFormat.WIRETYPE_FIXED32 -> occ.add(f, 0, 0, in.readRawLittleEndian32() & 0xffffffffL);
                    case WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                        int len = in.readRawVarint32();
                        int at = start + in.getTotalBytesRead();
                        in.skipRawBytes(len);
                        occ.add(f, at, len, 0, packed);
                    }
                    default -> throw new ProtobufFormatException(what + ": field " + fd.getName() + " has wire type " + wire);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufFormatException("the protobuf body is not a valid " + what + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return occ;
    }

    /** Pass 2: the fields of an ordinary message, in descriptor order, into the object being written. */
    private void writeFields(Shape shape, Occurrences occ, byte[] buf, JsonGenerator g) throws IOException {
        for (int i = 0; i < shape.fields.length; i++) {
            if (occ.perField[i] == 0) {
                continue;
            }
            FieldDescriptor f = shape.fields[i];
            String name = shape.jsonNames[i];
            if (name == null) { // a Go struct embedded inline: its fields are the parent's in JSON
                int o = occ.last(i);
                Shape embedded = shape(f.getMessageType());
                writeFields(embedded, read(embedded, buf, occ.start[o], occ.length[o], f.getMessageType().getName()), buf, g);
                continue;
            }
            if (f.isMapField()) {
                g.writeFieldName(name);
                g.writeStartObject();
                for (int o = 0; o < occ.count; o++) {
                    if (occ.field[o] == i) {
                        writeMapEntry(f, buf, occ.start[o], occ.length[o], g);
                    }
                }
                g.writeEndObject();
            } else if (f.isRepeated()) {
                g.writeFieldName(name);
                g.writeStartArray();
                writeRepeated(occ, i, f, buf, g);
                g.writeEndArray();
            } else {
                int o = occ.last(i);
                FieldDescriptor.JavaType type = f.getJavaType();
                if ((type == FieldDescriptor.JavaType.STRING && occ.length[o] == 0 && !EMPTY_STRING_IS_A_VALUE.contains(f.getFullName()))
                        || (type == FieldDescriptor.JavaType.BYTE_STRING && occ.length[o] == 0)) {
                    continue; // Go writes its non-pointer strings even when unset
                }
                writeValue(f, occ.value[o], occ.start[o], occ.length[o], buf, name, true, g);
            }
        }
    }

    private void writeRepeated(Occurrences occ, int i, FieldDescriptor f, byte[] buf, JsonGenerator g) throws IOException {
        for (int o = 0; o < occ.count; o++) {
            if (occ.field[o] != i) {
                continue;
            }
            if (occ.packed[o]) {
                writePacked(f, buf, occ.start[o], occ.length[o], g);
            } else {
                writeValue(f, occ.value[o], occ.start[o], occ.length[o], buf, null, false, g);
            }
        }
    }

    private void writePacked(FieldDescriptor f, byte[] buf, int start, int length, JsonGenerator g) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(buf, start, length);
        while (!in.isAtEnd()) {
            long v = switch (f.getLiteType().getWireType()) {
                case WireFormat.WIRETYPE_FIXED64 -> in.readRawLittleEndian64();
                case WireFormat.WIRETYPE_FIXED32 -> in.readRawLittleEndian32() & 0xffffffffL;
                default -> in.readRawVarint64();
            };
            writeScalar(f, v, 0, 0, buf, g);
        }
    }

    /** A map entry ({@code key = 1, value = 2}) as one property; an absent value is its type's default, as Go reads it. */
    private void writeMapEntry(FieldDescriptor map, byte[] buf, int start, int length, JsonGenerator g) throws IOException {
        Descriptor entry = map.getMessageType();
        Shape shape = shape(entry);
        Occurrences occ = read(shape, buf, start, length, entry.getName());
        int k = shape.index(1);
        int v = shape.index(2);
        int ko = occ.last(k);
        FieldDescriptor key = shape.fields[k];
        String name;
        if (ko < 0) {
            name = key.getJavaType() == FieldDescriptor.JavaType.STRING ? "" : "0";
        } else if (key.getJavaType() == FieldDescriptor.JavaType.STRING) {
            name = new String(buf, occ.start[ko], occ.length[ko], StandardCharsets.UTF_8);
        } else {
            name = Long.toString(occ.value[ko]);
        }
        int vo = occ.last(v);
        FieldDescriptor value = shape.fields[v];
        if (vo < 0) {
            writeValue(value, 0, 0, 0, buf, name, false, g);
        } else {
            writeValue(value, occ.value[vo], occ.start[vo], occ.length[vo], buf, name, false, g);
        }
    }

    /**
     * Writes one value, after {@code name} when there is one (an object's property); a message
     * whose JSON is null (an empty Time...) is left out when {@code omitNull}, else written as null.
     */
    private void writeValue(FieldDescriptor f, long v, int start, int length, byte[] buf, String name, boolean omitNull,
                            JsonGenerator g) throws IOException {
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            writeMessage(f.getMessageType(), buf, start, length, name, omitNull, g);
            return;
        }
        if (name != null) {
            g.writeFieldName(name);
        }
        writeScalar(f, v, start, length, buf, g);
    }

    private static void writeScalar(FieldDescriptor f, long v, int start, int length, byte[] buf, JsonGenerator g) throws IOException {
        switch (f.getType()) {
            case INT32, UINT32, FIXED32, SFIXED32 -> g.writeNumber((int) v);
            case SINT32 -> g.writeNumber(CodedInputStream.decodeZigZag32((int) v));
            case INT64, UINT64, FIXED64, SFIXED64 -> g.writeNumber(v);
            case SINT64 -> g.writeNumber(CodedInputStream.decodeZigZag64(v));
            case FLOAT -> floating(Float.intBitsToFloat((int) v), g);
            case DOUBLE -> floating(Double.longBitsToDouble(v), g);
            case BOOL -> g.writeBoolean(v != 0);
            case STRING -> g.writeString(new String(buf, start, length, StandardCharsets.UTF_8));
            case BYTES -> g.writeBinary(buf, start, length);
            case ENUM -> {
                EnumValueDescriptor e = f.getEnumType().findValueByNumber((int) v);
                if (e == null) {
                    g.writeNumber((int) v);
                } else {
                    g.writeString(e.getName());
                }
            }
            default -> throw new IllegalStateException("no scalar: " + f.getFullName());
        }
    }

    /** Go writes a whole float64 without a fraction ({@code 10}, not {@code 10.0}). */
    private static void floating(double d, JsonGenerator g) throws IOException {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            g.writeNumber((long) d);
        } else {
            g.writeNumber(d);
        }
    }

    private void writeMessage(Descriptor d, byte[] buf, int start, int length, String name, boolean omitNull,
                              JsonGenerator g) throws IOException {
        Shape shape = shape(d);
        Occurrences occ = read(shape, buf, start, length, d.getName());
        switch (shape.special) {
            case NONE -> {
                name(name, g);
                g.writeStartObject();
                writeFields(shape, occ, buf, g);
                g.writeEndObject();
            }
            case TIME -> {
                if (occ.count == 0) {
                    writeNull(name, omitNull, g);
                } else { // kube reads only the seconds of a Time (its JSON has no fraction)
                    name(name, g);
                    g.writeString(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(scalar(shape, occ, "seconds"))));
                }
            }
            case MICRO_TIME -> {
                if (occ.count == 0) {
                    writeNull(name, omitNull, g);
                } else {
                    name(name, g);
                    Instant t = Instant.ofEpochSecond(scalar(shape, occ, "seconds"), (int) scalar(shape, occ, "nanos"))
                            .truncatedTo(ChronoUnit.MICROS);
                    g.writeString(MICRO_TIME.format(t));
                }
            }
            case DURATION -> {
                name(name, g);
                g.writeString(GoDuration.format(scalar(shape, occ, "duration")));
            }
            case RAW_JSON -> {
                int o = occ.last(0);
                if (o < 0 || occ.length[o] == 0) {
                    writeNull(name, omitNull, g);
                } else {
                    name(name, g);
                    copyJson(buf, occ.start[o], occ.length[o], d.getName(), g);
                }
            }
            case INT_OR_STRING -> {
                name(name, g);
                if (scalar(shape, occ, "type") == 1) {
                    int o = occ.last(shape.index("strVal"));
                    g.writeString(o < 0 ? "" : new String(buf, occ.start[o], occ.length[o], StandardCharsets.UTF_8));
                } else {
                    g.writeNumber((int) scalar(shape, occ, "intVal"));
                }
            }
            case QUANTITY -> {
                name(name, g);
                int o = occ.last(0);
                g.writeString(o < 0 || occ.length[o] == 0 ? "0" : new String(buf, occ.start[o], occ.length[o], StandardCharsets.UTF_8));
            }
            case SCHEMA_OR_BOOL -> {
                int schema = occ.last(shape.index("schema"));
                if (schema >= 0) {
                    writeMessage(shape.fields[shape.index("schema")].getMessageType(), buf, occ.start[schema], occ.length[schema],
                            name, omitNull, g);
                } else {
                    name(name, g);
                    g.writeBoolean(scalar(shape, occ, "allows") != 0);
                }
            }
            case SCHEMA_OR_ARRAY -> schemaOrList(shape, occ, shape.index("jSONSchemas"), buf, name, omitNull, g);
            case SCHEMA_OR_STRING_ARRAY -> schemaOrList(shape, occ, shape.index("property"), buf, name, omitNull, g);
            case STRING_LIST -> {
                name(name, g);
                g.writeStartArray();
                writeRepeated(occ, 0, shape.fields[0], buf, g);
                g.writeEndArray();
            }
        }
    }

    private void schemaOrList(Shape shape, Occurrences occ, int list, byte[] buf, String name, boolean omitNull,
                              JsonGenerator g) throws IOException {
        if (occ.perField[list] > 0) {
            name(name, g);
            g.writeStartArray();
            writeRepeated(occ, list, shape.fields[list], buf, g);
            g.writeEndArray();
            return;
        }
        int s = shape.index("schema");
        int o = occ.last(s);
        if (o < 0) {
            writeNull(name, omitNull, g);
        } else {
            writeMessage(shape.fields[s].getMessageType(), buf, occ.start[o], occ.length[o], name, omitNull, g);
        }
    }

    private static void name(String name, JsonGenerator g) throws IOException {
        if (name != null) {
            g.writeFieldName(name);
        }
    }

    private static void writeNull(String name, boolean omitNull, JsonGenerator g) throws IOException {
        if (!omitNull) {
            name(name, g);
            g.writeNull();
        }
    }

    /** The scalar value of a field by protobuf name; 0 when the message does not carry it. */
    private static long scalar(Shape shape, Occurrences occ, String field) {
        int o = occ.last(shape.index(field));
        return o < 0 ? 0 : occ.value[o];
    }

    /** Copies raw JSON bytes (a RawExtension's...) into the output as one value, checking that they are one JSON value. */
    private static void copyJson(byte[] buf, int start, int length, String what, JsonGenerator g) throws IOException {
        try (JsonParser p = JSON.createParser(buf, start, length)) {
            if (p.nextToken() == null) {
                throw new ProtobufFormatException("the raw bytes of a " + what + " are not JSON: empty");
            }
            g.copyCurrentStructure(p);
            if (p.nextToken() != null) {
                throw new ProtobufFormatException("the raw bytes of a " + what + " hold more than one JSON value");
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ProtobufFormatException("the raw bytes of a " + what + " are not JSON: " + e.getOriginalMessage(), e);
        }
    }

    // ------------------------------------------------------------------ shapes

    private Shape shape(Descriptor d) {
        Shape s = shapes.get(d);
        if (s == null) {
            s = shapes.computeIfAbsent(d, ProtobufToJson::shapeOf);
        }
        return s;
    }

    /** A message's JSON names and inline fields, from the Kubernetes API catalog's schema of it (see ProtobufJsonConverter). */
    private static Shape shapeOf(Descriptor d) {
        FieldDescriptor[] fs = d.getFields().toArray(FieldDescriptor[]::new);
        String[] names = new String[fs.length];
        Map<Integer, String> jsonNames = new HashMap<>();
        Set<String> inlineFields = new HashSet<>();
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
        int max = 0;
        for (FieldDescriptor f : fs) {
            max = Math.max(max, f.getNumber());
        }
        if (max > 1 << 16) {
            throw new IllegalStateException(d.getFullName() + " has a field number too large to index: " + max);
        }
        int[] index = new int[max + 1];
        Arrays.fill(index, -1);
        for (int i = 0; i < fs.length; i++) {
            index[fs[i].getNumber()] = i;
            if (!inlineFields.contains(fs[i].getName())) {
                names[i] = jsonNames.getOrDefault(fs[i].getNumber(), fs[i].getName());
            }
        }
        return new Shape(special(d), fs, names, index);
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
            if (only.getName().equals("items") && only.isRepeated() && only.getJavaType() == FieldDescriptor.JavaType.STRING) {
                return Special.STRING_LIST;
            }
        }
        return Special.NONE;
    }
}
