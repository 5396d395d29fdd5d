package io.kardia.store.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code /openapi/v2} in protobuf (gnostic), which kubectl asks for before a client-side
 * {@code apply}: an empty document, which kubectl reads as "no schema for this kind" and so takes
 * the strategic-merge metadata of built-in kinds from its own compiled-in types, as it does without
 * OpenAPI. The JSON form and OpenAPI v3 carry the schemas: {@link OpenApiDocuments}.
 */
final class OpenApi {
    /** The response type kube-apiserver sends (clients ask with "@v1.0", which Go cannot parse back). */
    static final String V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private static final byte[] V2_PROTO = buildV2Protobuf();

    private OpenApi() {
    }

    static byte[] v2Protobuf() {
        return V2_PROTO.clone();
    }

    private static byte[] buildV2Protobuf() {
        // gnostic openapi_v2.Document: swagger = 1, info = 2 (title = 1, version = 2), paths = 8, definitions = 9.
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        field(info, 1, "Kardia".getBytes(StandardCharsets.UTF_8));
        field(info, 2, ("v" + Discovery.KUBE_MAJOR + "." + Discovery.KUBE_MINOR).getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream doc = new ByteArrayOutputStream();
        field(doc, 1, "2.0".getBytes(StandardCharsets.UTF_8));
        field(doc, 2, info.toByteArray());
        field(doc, 8, new byte[0]);
        field(doc, 9, new byte[0]);
        return doc.toByteArray();
    }

    /** A length-delimited protobuf field (wire type 2); lengths here are below 128, one byte. */
    private static void field(ByteArrayOutputStream out, int number, byte[] value) {
        out.write((number << 3) | 2);
        out.write(value.length);
        out.write(value, 0, value.length);
    }
}
