package io.kardia.kubeapi.protobuf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads Kubernetes' protobuf ({@code application/vnd.kubernetes.protobuf}) straight into the JSON
 * Kubernetes would have written for the same object, in one streaming pass over the wire bytes:
 * no {@code DynamicMessage}, no JSON tree. This is what lets a client ask kube-apiserver for
 * protobuf (as client-go does for built-in kinds) and still decode with its JSON models.
 *
 * <p>The conversion rules are kube-apiserver's, and the knowledge of each message type is the
 * {@link MessageShape} the reference store's readers use too:
 * {@code Time} → RFC 3339 in whole seconds, {@code MicroTime} → six fraction digits,
 * {@code Duration} → Go's duration text, {@code Quantity} → its string, {@code IntOrString} → a
 * number or a string, {@code RawExtension}/{@code FieldsV1}/apiextensions {@code JSON} → the JSON
 * they hold, inline, {@code JSONSchemaPropsOr*} → boolean/array/schema, Go structs embedded inline
 * ({@code Probe.handler}) → their fields in the parent, the JSON names the catalog gives where
 * they differ from the protobuf ones, maps → objects, bytes → base64. An empty string is Go's
 * "unset" and left out; numbers and booleans the message carries are kept.
 *
 * <p>Fields are written in the descriptor's order, so {@code metadata} (field 1 of every kind)
 * comes first, as in kube-apiserver's JSON. The wire format is taken as protobuf's parser takes it:
 * fields in any order, the last occurrence of a scalar wins, a message field sent twice is merged,
 * repeated scalars packed or not, unknown field numbers skipped. A known field in a wire type it
 * cannot have, truncated bytes and nesting deeper than {@link MessageShape#MAX_DEPTH} are a
 * {@link ProtobufFormatException}.
 */
public final class ProtobufToJson {
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    public static final String WATCH_MEDIA_TYPE = MEDIA_TYPE + ";stream=watch";
    static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
    private static final JsonFactory JSON = new JsonFactory();
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
        MessageShape shape = MessageShape.of(d);
        for (int i = 0; i < shape.fieldCount(); i++) {
            if (shape.isMessage(i)) {
                prepare(shape.child(i).type(), seen);
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
        MessageShape shape = MessageShape.of(type);
        writeFields(shape, read(shape, buf, rawStart, rawLength), buf, g, 0);
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
    private static Occurrences read(MessageShape shape, byte[] buf, int start, int length) {
        Occurrences occ = new Occurrences(shape.fieldCount());
        readInto(occ, shape, buf, start, length);
        return occ;
    }

    /**
     * Pass 1 for a message field that may occur more than once: protobuf merges every occurrence
     * into one message (as if their bytes were concatenated: the last scalar wins, repeated fields
     * and maps append, message fields merge again), which reading them all into one set of
     * occurrences gives.
     */
    private static Occurrences readMerged(MessageShape child, Occurrences occ, int field, byte[] buf) {
        if (occ.perField[field] == 1) {
            int o = occ.last(field);
            return read(child, buf, occ.start[o], occ.length[o]);
        }
        Occurrences merged = new Occurrences(child.fieldCount());
        for (int o = 0; o < occ.count; o++) {
            if (occ.field[o] == field) {
                readInto(merged, child, buf, occ.start[o], occ.length[o]);
            }
        }
        return merged;
    }

    private static void readInto(Occurrences occ, MessageShape shape, byte[] buf, int start, int length) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(buf, start, length);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int f = shape.indexOf(WireFormat.getTagFieldNumber(tag));
                if (f < 0) {
                    in.skipField(tag); // a field this release does not know: kept by nobody, as in protobuf
                    continue;
                }
                int wire = WireFormat.getTagWireType(tag);
                if (!shape.accepts(f, wire)) {
                    throw new ProtobufFormatException(shape.wrongWireType(f, wire));
                }
                switch (wire) {
                    case WireFormat.WIRETYPE_VARINT -> occ.add(f, 0, 0, in.readRawVarint64());
                    case WireFormat.WIRETYPE_FIXED64 -> occ.add(f, 0, 0, in.readRawLittleEndian64());
                    case WireFormat.WIRETYPE_FIXED32 -> occ.add(f, 0, 0, in.readRawLittleEndian32() & 0xffffffffL);
                    case WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                        int len = in.readRawVarint32();
                        int left = length - in.getTotalBytesRead();
                        if (len < 0 || len > left) {
                            throw new ProtobufFormatException("the protobuf body is not a valid " + shape.type().getName()
                                    + ": " + MessageShape.lengthPastTheEnd(len, left));
                        }
                        int at = start + in.getTotalBytesRead();
                        in.skipRawBytes(len);
                        occ.add(f, at, len, 0, shape.isPacked(f, wire));
                    }
                    default -> throw new ProtobufFormatException(shape.wrongWireType(f, wire));
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufFormatException("the protobuf body is not a valid " + shape.type().getName() + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pass 2: the fields of an ordinary message, in descriptor order, into the object being written. */
    private void writeFields(MessageShape shape, Occurrences occ, byte[] buf, JsonGenerator g, int depth) throws IOException {
        if (depth > MessageShape.MAX_DEPTH) {
            throw new ProtobufFormatException("the protobuf body is nested more than " + MessageShape.MAX_DEPTH + " levels deep");
        }
        for (int i = 0; i < shape.fieldCount(); i++) {
            if (occ.perField[i] == 0) {
                continue;
            }
            FieldDescriptor f = shape.field(i);
            String name = shape.jsonName(i);
            if (name == null) { // a Go struct embedded inline: its fields are the parent's in JSON
                MessageShape embedded = shape.child(i);
                writeFields(embedded, readMerged(embedded, occ, i, buf), buf, g, depth + 1);
                continue;
            }
            if (shape.isMap(i)) {
                g.writeFieldName(name);
                g.writeStartObject();
                for (int o = 0; o < occ.count; o++) {
                    if (occ.field[o] == i) {
                        writeMapEntry(shape.child(i), buf, occ.start[o], occ.length[o], g, depth + 1);
                    }
                }
                g.writeEndObject();
            } else if (shape.isRepeated(i)) {
                g.writeFieldName(name);
                g.writeStartArray();
                writeRepeated(shape, occ, i, buf, g, depth);
                g.writeEndArray();
            } else if (shape.isMessage(i)) {
                MessageShape child = shape.child(i);
                writeMessage(child, readMerged(child, occ, i, buf), buf, name, true, g, depth + 1);
            } else {
                int o = occ.last(i);
                FieldDescriptor.JavaType type = f.getJavaType();
                if ((type == FieldDescriptor.JavaType.STRING && occ.length[o] == 0 && !shape.keepsEmptyString(i))
                        || (type == FieldDescriptor.JavaType.BYTE_STRING && occ.length[o] == 0)) {
                    continue; // Go writes its non-pointer strings even when unset
                }
                g.writeFieldName(name);
                writeScalar(f, occ.value[o], occ.start[o], occ.length[o], buf, g);
            }
        }
    }

    /** The elements of a repeated field: each occurrence one element (a packed run several). */
    private void writeRepeated(MessageShape shape, Occurrences occ, int i, byte[] buf, JsonGenerator g, int depth) throws IOException {
        FieldDescriptor f = shape.field(i);
        for (int o = 0; o < occ.count; o++) {
            if (occ.field[o] != i) {
                continue;
            }
            if (occ.packed[o]) {
                writePacked(f, buf, occ.start[o], occ.length[o], g);
            } else if (shape.isMessage(i)) {
                MessageShape child = shape.child(i);
                writeMessage(child, read(child, buf, occ.start[o], occ.length[o]), buf, null, false, g, depth + 1);
            } else {
                writeScalar(f, occ.value[o], occ.start[o], occ.length[o], buf, g);
            }
        }
    }

    private static void writePacked(FieldDescriptor f, byte[] buf, int start, int length, JsonGenerator g) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(buf, start, length);
        try {
            while (!in.isAtEnd()) {
                long v = switch (f.getLiteType().getWireType()) {
                    case WireFormat.WIRETYPE_FIXED64 -> in.readRawLittleEndian64();
                    case WireFormat.WIRETYPE_FIXED32 -> in.readRawLittleEndian32() & 0xffffffffL;
                    default -> in.readRawVarint64();
                };
                writeScalar(f, v, 0, 0, buf, g);
            }
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufFormatException("the packed values of " + f.getName() + " are malformed: " + e.getMessage(), e);
        }
    }

    /**
     * A map entry ({@code key = 1, value = 2}) as one property; an absent value is its type's
     * default, as Go reads it. A key sent twice is written twice; JSON readers keep the last, as
     * protobuf does.
     */
    private void writeMapEntry(MessageShape entry, byte[] buf, int start, int length, JsonGenerator g, int depth)
            throws IOException {
        Occurrences occ = read(entry, buf, start, length);
        int k = entry.indexOf(1);
        int v = entry.indexOf(2);
        int ko = occ.last(k);
        FieldDescriptor key = entry.field(k);
        String name;
        if (ko < 0) {
            name = key.getJavaType() == FieldDescriptor.JavaType.STRING ? "" : "0";
        } else if (key.getJavaType() == FieldDescriptor.JavaType.STRING) {
            name = new String(buf, occ.start[ko], occ.length[ko], StandardCharsets.UTF_8);
        } else {
            name = Long.toString(occ.value[ko]);
        }
        if (entry.isMessage(v)) {
            MessageShape child = entry.child(v);
            Occurrences value = occ.perField[v] == 0 ? new Occurrences(child.fieldCount()) : readMerged(child, occ, v, buf);
            writeMessage(child, value, buf, name, false, g, depth + 1);
            return;
        }
        g.writeFieldName(name);
        int vo = occ.last(v);
        if (vo < 0) {
            writeScalar(entry.field(v), 0, 0, 0, buf, g);
        } else {
            writeScalar(entry.field(v), occ.value[vo], occ.start[vo], occ.length[vo], buf, g);
        }
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

    private static void floating(double d, JsonGenerator g) throws IOException {
        if (SpecialJson.isWhole(d)) {
            g.writeNumber((long) d);
        } else {
            g.writeNumber(d);
        }
    }

    /**
     * Writes one message of these occurrences, after {@code name} when there is one (an object's
     * property); a message whose JSON is null (an empty Time...) is left out when {@code omitNull},
     * else written as null.
     */
    private void writeMessage(MessageShape shape, Occurrences occ, byte[] buf, String name, boolean omitNull,
                              JsonGenerator g, int depth) throws IOException {
        switch (shape.special()) {
            case NONE -> {
                name(name, g);
                g.writeStartObject();
                writeFields(shape, occ, buf, g, depth);
                g.writeEndObject();
            }
            case TIME -> {
                if (occ.count == 0) {
                    writeNull(name, omitNull, g);
                } else {
                    name(name, g);
                    g.writeString(SpecialJson.time(scalar(shape, occ, "seconds")));
                }
            }
            case MICRO_TIME -> {
                if (occ.count == 0) {
                    writeNull(name, omitNull, g);
                } else {
                    name(name, g);
                    g.writeString(SpecialJson.microTime(scalar(shape, occ, "seconds"), scalar(shape, occ, "nanos")));
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
                    copyJson(buf, occ.start[o], occ.length[o], shape.type().getName(), g);
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
                g.writeString(SpecialJson.quantity(o < 0 ? "" : new String(buf, occ.start[o], occ.length[o], StandardCharsets.UTF_8)));
            }
            case SCHEMA_OR_BOOL -> {
                int schema = shape.index("schema");
                if (occ.perField[schema] > 0) {
                    MessageShape child = shape.child(schema);
                    writeMessage(child, readMerged(child, occ, schema, buf), buf, name, omitNull, g, depth + 1);
                } else {
                    name(name, g);
                    g.writeBoolean(scalar(shape, occ, "allows") != 0);
                }
            }
            case SCHEMA_OR_ARRAY -> schemaOrList(shape, occ, shape.index("jSONSchemas"), buf, name, omitNull, g, depth);
            case SCHEMA_OR_STRING_ARRAY -> schemaOrList(shape, occ, shape.index("property"), buf, name, omitNull, g, depth);
            case STRING_LIST -> {
                name(name, g);
                g.writeStartArray();
                writeRepeated(shape, occ, 0, buf, g, depth);
                g.writeEndArray();
            }
        }
    }

    private void schemaOrList(MessageShape shape, Occurrences occ, int list, byte[] buf, String name, boolean omitNull,
                              JsonGenerator g, int depth) throws IOException {
        if (occ.perField[list] > 0) {
            name(name, g);
            g.writeStartArray();
            writeRepeated(shape, occ, list, buf, g, depth);
            g.writeEndArray();
            return;
        }
        int s = shape.index("schema");
        if (occ.perField[s] == 0) {
            writeNull(name, omitNull, g);
        } else {
            MessageShape child = shape.child(s);
            writeMessage(child, readMerged(child, occ, s, buf), buf, name, omitNull, g, depth + 1);
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
    private static long scalar(MessageShape shape, Occurrences occ, String field) {
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
}
