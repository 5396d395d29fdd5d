package io.kardia.store.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.Json;
import io.kardia.core.model.Status;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads the protobuf bodies kubectl's typed clients send to the review APIs and TokenRequest
 * ({@code application/vnd.kubernetes.protobuf}: the {@code k8s\0} magic, then a runtime.Unknown
 * whose {@code raw} is the object), into the JSON shape {@link ReviewApis} reads. Only the fields
 * those APIs use are read (field numbers of k8s.io/api authentication/v1 and authorization/v1);
 * the rest are skipped. Answers are sent as JSON, which every Kubernetes client accepts.
 */
public final class ReviewProtobuf {
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {'k', '8', 's', 0};

    /** A message's fields: number → name and how to read it. */
    private record Schema(Map<Integer, Field> fields) {
    }

    private enum Type { STRING, STRINGS, INT64, MESSAGE }

    private record Field(String name, Type type, Schema message) {
        static Field string(String name) {
            return new Field(name, Type.STRING, null);
        }
    }

    private static final Schema RESOURCE_ATTRIBUTES = new Schema(Map.of(
            1, Field.string("namespace"), 2, Field.string("verb"), 3, Field.string("group"), 4, Field.string("version"),
            5, Field.string("resource"), 6, Field.string("subresource"), 7, Field.string("name")));
    private static final Schema NON_RESOURCE_ATTRIBUTES = new Schema(Map.of(1, Field.string("path"), 2, Field.string("verb")));
    private static final Schema ACCESS_REVIEW_SPEC = new Schema(Map.of(
            1, new Field("resourceAttributes", Type.MESSAGE, RESOURCE_ATTRIBUTES),
            2, new Field("nonResourceAttributes", Type.MESSAGE, NON_RESOURCE_ATTRIBUTES),
            3, Field.string("user"), 4, new Field("groups", Type.STRINGS, null), 6, Field.string("uid")));
    private static final Schema RULES_REVIEW_SPEC = new Schema(Map.of(1, Field.string("namespace")));
    private static final Schema TOKEN_REVIEW_SPEC = new Schema(Map.of(1, Field.string("token"),
            2, new Field("audiences", Type.STRINGS, null)));
    private static final Schema BOUND_OBJECT = new Schema(Map.of(1, Field.string("kind"), 2, Field.string("apiVersion"),
            3, Field.string("name"), 4, Field.string("uid")));
    private static final Schema TOKEN_REQUEST_SPEC = new Schema(Map.of(1, new Field("audiences", Type.STRINGS, null),
            3, new Field("boundObjectRef", Type.MESSAGE, BOUND_OBJECT), 4, new Field("expirationSeconds", Type.INT64, null)));
    private static final Schema EMPTY = new Schema(Map.of());

    private static final Map<String, Schema> SPEC_BY_KIND = Map.of(
            "SelfSubjectReview", EMPTY,
            "SelfSubjectAccessReview", ACCESS_REVIEW_SPEC,
            "SubjectAccessReview", ACCESS_REVIEW_SPEC,
            "LocalSubjectAccessReview", ACCESS_REVIEW_SPEC,
            "SelfSubjectRulesReview", RULES_REVIEW_SPEC,
            "TokenReview", TOKEN_REVIEW_SPEC,
            "TokenRequest", TOKEN_REQUEST_SPEC);

    private ReviewProtobuf() {
    }

    public static boolean isProtobuf(String contentType) {
        return contentType.equals(MEDIA_TYPE);
    }

    /** The body as JSON ({@code kind}, {@code apiVersion}, {@code spec}); a 400 naming the problem when it is not one of these kinds. */
    public static ObjectNode decode(byte[] body, String expectedKind) {
        if (body.length < MAGIC.length || !Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw bad("the protobuf body does not start with the Kubernetes envelope (k8s\\x00)");
        }
        try {
            CodedInputStream unknown = CodedInputStream.newInstance(body, MAGIC.length, body.length - MAGIC.length);
            String apiVersion = "";
            String kind = "";
            byte[] raw = null;
            for (int tag = unknown.readTag(); tag != 0; tag = unknown.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> {
                        CodedInputStream typeMeta = CodedInputStream.newInstance(unknown.readByteArray());
                        for (int t = typeMeta.readTag(); t != 0; t = typeMeta.readTag()) {
                            switch (WireFormat.getTagFieldNumber(t)) {
                                case 1 -> apiVersion = typeMeta.readString();
                                case 2 -> kind = typeMeta.readString();
                                default -> typeMeta.skipField(t);
                            }
                        }
                    }
                    case 2 -> raw = unknown.readByteArray();
                    default -> unknown.skipField(tag);
                }
            }
            if (!kind.equals(expectedKind)) {
                throw bad("the protobuf body holds a " + (kind.isEmpty() ? "message without a kind" : kind)
                        + ", not a " + expectedKind);
            }
            ObjectNode out = Json.mapper().createObjectNode();
            out.put("apiVersion", apiVersion);
            out.put("kind", kind);
            ObjectNode spec = out.putObject("spec");
            if (raw != null) {
                CodedInputStream object = CodedInputStream.newInstance(raw);
                for (int tag = object.readTag(); tag != 0; tag = object.readTag()) {
                    if (WireFormat.getTagFieldNumber(tag) == 2 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        read(CodedInputStream.newInstance(object.readByteArray()), SPEC_BY_KIND.get(kind), spec);
                    } else {
                        object.skipField(tag);
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw bad("the protobuf body is malformed: " + e.getMessage());
        }
    }

    private static void read(CodedInputStream in, Schema schema, ObjectNode into) throws IOException {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            Field f = schema.fields().get(WireFormat.getTagFieldNumber(tag));
            if (f == null) {
                in.skipField(tag);
                continue;
            }
            switch (f.type()) {
                case STRING -> into.put(f.name(), in.readString());
                case STRINGS -> (into.has(f.name()) ? into.withArray(f.name()) : into.putArray(f.name())).add(in.readString());
                case INT64 -> into.put(f.name(), in.readInt64());
                case MESSAGE -> read(CodedInputStream.newInstance(in.readByteArray()), f.message(), into.putObject(f.name()));
            }
        }
    }

    private static KubeApiException bad(String message) {
        return KubeApiException.of(Status.badRequest(message));
    }
}
