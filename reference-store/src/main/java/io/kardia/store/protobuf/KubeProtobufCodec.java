package io.kardia.store.protobuf;

import io.kardia.kubeapi.protobuf.ProtobufKinds;
import io.kardia.kubeapi.protobuf.ProtobufFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.kardia.core.json.Json;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Kubernetes' protobuf wire format ({@code application/vnd.kubernetes.protobuf}): the 4-byte magic
 * {@code k8s\0}, then a {@code runtime.Unknown} whose {@code typeMeta} names the apiVersion and kind
 * and whose {@code raw} is the kind's message; watch streams are length-delimited frames of
 * {@code WatchEvent} messages (without magic) whose object is such an enveloped object.
 * The envelope and the watch event are written by hand (their shape is fixed and tiny); objects go
 * through {@link ProtobufJsonReader} (protobuf to JSON) and {@link ProtobufJsonConverter} (JSON to
 * protobuf) with the kinds' descriptors.
 */
public final class KubeProtobufCodec {
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    public static final String WATCH_MEDIA_TYPE = MEDIA_TYPE + ";stream=watch";
    private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
    /** A watch frame larger than this is refused when reading a stream (kube-apiserver's request limit is 3 MiB). */
    private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private final ProtobufKinds kinds;
    private final ProtobufJsonConverter converter = new ProtobufJsonConverter();
    private final ProtobufJsonReader reader = new ProtobufJsonReader();

    public KubeProtobufCodec(ProtobufKinds kinds) {
        this.kinds = kinds;
    }

    /** The contents of the {@code runtime.Unknown} envelope. */
    public record Envelope(String apiVersion, String kind, byte[] raw, String contentEncoding, String contentType) {
    }

    /** A {@code WatchEvent} read from a stream: its type and its enveloped object. */
    public record WatchFrame(String type, byte[] object) {
    }

    /** True when objects of this kind can be written and read as protobuf. */
    public boolean supports(String apiVersion, String kind) {
        return kinds.message(apiVersion, kind).isPresent();
    }

    // ------------------------------------------------------------------ decoding

    /**
     * The JSON object (with {@code kind} and {@code apiVersion}) a protobuf body holds. An envelope
     * without apiVersion or kind takes the expected ones, as kube-apiserver defaults them from the
     * request path; one naming another kind is decoded as that kind (the caller's checks refuse it).
     *
     * @throws ProtobufFormatException when the body is not a Kubernetes protobuf object
     */
    public ObjectNode decode(byte[] body, String expectedApiVersion, String expectedKind) {
        Envelope env = unwrap(body);
        String apiVersion = env.apiVersion().isEmpty() ? expectedApiVersion : env.apiVersion();
        String kind = env.kind().isEmpty() ? expectedKind : env.kind();
        if (!env.contentEncoding().isEmpty()) {
            throw new ProtobufFormatException("the protobuf envelope's content encoding \"" + env.contentEncoding()
                    + "\" is not supported");
        }
        if (!env.contentType().isEmpty() && !env.contentType().equals(MEDIA_TYPE)) {
            throw new ProtobufFormatException("the protobuf envelope holds \"" + env.contentType()
                    + "\", not " + MEDIA_TYPE);
        }
        Descriptor type = kinds.message(apiVersion, kind).orElseThrow(() -> new ProtobufFormatException(
                "no protobuf message is known for kind \"" + kind + "\" in apiVersion \"" + apiVersion + "\""));
        ObjectNode message;
        try {
            message = reader.read(env.raw(), type);
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufFormatException("the protobuf body is not a valid " + kind + ": " + e.getMessage(), e);
        }
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("kind", kind);
        out.put("apiVersion", apiVersion);
        out.setAll(message);
        return out;
    }

    /** Reads the magic and the {@code runtime.Unknown} envelope. */
    public static Envelope unwrap(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ProtobufFormatException("provided data does not appear to be a protobuf message, expected prefix "
                    + Arrays.toString(toUnsigned(MAGIC)));
        }
        if (body.length == MAGIC.length) {
            throw new ProtobufFormatException("the protobuf body is empty after its prefix");
        }
        String apiVersion = "";
        String kind = "";
        byte[] raw = new byte[0];
        String encoding = "";
        String contentType = "";
        try {
            CodedInputStream in = CodedInputStream.newInstance(body, MAGIC.length, body.length - MAGIC.length);
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
                    case (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> raw = in.readByteArray();
                    case (3 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> encoding = in.readStringRequireUtf8();
                    case (4 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> contentType = in.readStringRequireUtf8();
                    default -> in.skipField(tag);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufFormatException("the protobuf envelope (runtime.Unknown) is malformed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Envelope(apiVersion, kind, raw, encoding, contentType);
    }

    private static int[] toUnsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xff;
        }
        return out;
    }

    // ------------------------------------------------------------------ encoding

    /** The enveloped protobuf of a JSON object, typed by its own {@code apiVersion} and {@code kind}. */
    public byte[] encode(JsonNode object) {
        return encode(object, object.path("apiVersion").asText(), object.path("kind").asText());
    }

    /** The enveloped protobuf of a JSON object of the given kind. */
    public byte[] encode(JsonNode object, String apiVersion, String kind) {
        return wrap(apiVersion, kind, encodeMessage(object, apiVersion, kind));
    }

    /** The kind's message alone, without the envelope (what a list item or a cached encoding is). */
    public byte[] encodeMessage(JsonNode object, String apiVersion, String kind) {
        return converter.toBytes(object, message(apiVersion, kind));
    }

    /**
     * The enveloped protobuf of a list ({@code PodList}...): its {@code metadata} (ListMeta) and
     * items, each converted on its own, so no message of the whole list is built.
     */
    public byte[] encodeList(String apiVersion, String listKind, JsonNode listMeta, Iterable<? extends JsonNode> items) {
        FieldDescriptor itemsField = listItems(apiVersion, listKind);
        List<byte[]> encoded = new ArrayList<>();
        for (JsonNode item : items) {
            encoded.add(converter.toBytes(item, itemsField.getMessageType()));
        }
        return encodeEncodedList(apiVersion, listKind, listMeta, encoded);
    }

    /** As {@link #encodeList}, with the items already encoded by {@link #encodeMessage}. */
    public byte[] encodeEncodedList(String apiVersion, String listKind, JsonNode listMeta, List<byte[]> items) {
        Descriptor list = message(apiVersion, listKind);
        FieldDescriptor metaField = list.findFieldByName("metadata");
        FieldDescriptor itemsField = listItems(apiVersion, listKind);
        byte[] meta = converter.toBytes(listMeta, metaField.getMessageType());
        int size = CodedOutputStream.computeByteArraySize(metaField.getNumber(), meta);
        for (byte[] item : items) {
            size += CodedOutputStream.computeByteArraySize(itemsField.getNumber(), item);
        }
        byte[] raw = new byte[size];
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(raw);
            out.writeByteArray(metaField.getNumber(), meta);
            for (byte[] item : items) {
                out.writeByteArray(itemsField.getNumber(), item);
            }
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return wrap(apiVersion, listKind, raw);
    }

    private FieldDescriptor listItems(String apiVersion, String listKind) {
        Descriptor list = message(apiVersion, listKind);
        FieldDescriptor metaField = list.findFieldByName("metadata");
        FieldDescriptor itemsField = list.findFieldByName("items");
        if (metaField == null || itemsField == null || itemsField.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            throw new ProtobufFormatException(listKind + " is not a list message");
        }
        return itemsField;
    }

    private Descriptor message(String apiVersion, String kind) {
        Optional<Descriptor> d = kinds.message(apiVersion, kind);
        return d.orElseThrow(() -> new ProtobufFormatException(
                "no protobuf message is known for kind \"" + kind + "\" in apiVersion \"" + apiVersion + "\""));
    }

    /** Magic plus {@code runtime.Unknown{typeMeta, raw, contentEncoding: "", contentType: ""}}, as kube writes it. */
    public static byte[] wrap(String apiVersion, String kind, byte[] raw) {
        try {
            int metaSize = CodedOutputStream.computeStringSize(1, apiVersion) + CodedOutputStream.computeStringSize(2, kind);
            int size = CodedOutputStream.computeTagSize(1) + CodedOutputStream.computeUInt32SizeNoTag(metaSize) + metaSize
                    + CodedOutputStream.computeByteArraySize(2, raw)
                    + CodedOutputStream.computeStringSize(3, "") + CodedOutputStream.computeStringSize(4, "");
            byte[] out = new byte[MAGIC.length + size];
            System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
            CodedOutputStream o = CodedOutputStream.newInstance(out, MAGIC.length, size);
            o.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt32NoTag(metaSize);
            o.writeString(1, apiVersion);
            o.writeString(2, kind);
            o.writeByteArray(2, raw);
            o.writeString(3, "");
            o.writeString(4, "");
            o.checkNoSpaceLeft();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ watch streams

    /**
     * Writes one frame of a protobuf watch stream: a 4-byte big-endian length, then a
     * {@code WatchEvent{type, object: RawExtension{raw: enveloped object}}} without magic.
     */
    public static void writeWatchFrame(OutputStream out, String type, byte[] envelopedObject) throws IOException {
        int rawExt = CodedOutputStream.computeByteArraySize(1, envelopedObject);
        int size = CodedOutputStream.computeStringSize(1, type)
                + CodedOutputStream.computeTagSize(2) + CodedOutputStream.computeUInt32SizeNoTag(rawExt) + rawExt;
        byte[] frame = new byte[4 + size];
        frame[0] = (byte) (size >>> 24);
        frame[1] = (byte) (size >>> 16);
        frame[2] = (byte) (size >>> 8);
        frame[3] = (byte) size;
        CodedOutputStream o = CodedOutputStream.newInstance(frame, 4, size);
        o.writeString(1, type);
        o.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        o.writeUInt32NoTag(rawExt);
        o.writeByteArray(1, envelopedObject);
        o.checkNoSpaceLeft();
        out.write(frame);
    }

    /**
     * Reads the next frame of a protobuf watch stream; null at its clean end.
     *
     * @throws ProtobufFormatException when the stream ends inside a frame or a frame is malformed
     */
    public static WatchFrame readWatchFrame(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int first = data.read();
        if (first < 0) {
            return null;
        }
        byte[] frame;
        try {
            int length = (first << 24) | (data.readUnsignedByte() << 16) | (data.readUnsignedByte() << 8) | data.readUnsignedByte();
            if (length < 0 || length > MAX_FRAME_BYTES) {
                throw new ProtobufFormatException("a watch frame declares " + Integer.toUnsignedString(length)
                        + " bytes, more than the limit of " + MAX_FRAME_BYTES);
            }
            frame = new byte[length];
            data.readFully(frame);
        } catch (EOFException e) {
            throw new ProtobufFormatException("the watch stream ended inside a frame", e);
        }
        String type = "";
        byte[] object = new byte[0];
        try {
            CodedInputStream c = CodedInputStream.newInstance(frame);
            for (int tag = c.readTag(); tag != 0; tag = c.readTag()) {
                if (tag == ((1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    type = c.readStringRequireUtf8();
                } else if (tag == ((2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    CodedInputStream ext = CodedInputStream.newInstance(c.readByteArray());
                    for (int t = ext.readTag(); t != 0; t = ext.readTag()) {
                        if (t == ((1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                            object = ext.readByteArray();
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
        return new WatchFrame(type, object);
    }
}
