package io.kardia.store.http;

import java.util.Locale;

/**
 * Which form of {@code /openapi/v2} a request may have. The store serves the document as JSON
 * only: kubectl asks for gnostic protobuf ({@value #V2_PROTOBUF_REQUEST}) and nothing else, and is
 * answered 406 Not Acceptable as kube-apiserver answers an Accept it does not serve. client-go then
 * tries the legacy {@code /swagger-2.0.0.pb-v1} (404 here) and goes on without a v2 schema, so
 * kubectl computes strategic merge patches of built-in kinds from its compiled-in types. Serving
 * the document itself would be worse than that: the catalog's schemas carry no patch strategies (no
 * published artifact of the release has them), and kubectl would build patches that replace lists
 * such as a pod's containers whole instead of merging them by key. The JSON form and OpenAPI v3
 * carry the schemas: {@link OpenApiDocuments}.
 */
final class OpenApi {
    /** What kubectl and client-go send as Accept for {@code /openapi/v2}. */
    static final String V2_PROTOBUF_REQUEST = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    private OpenApi() {
    }

    /**
     * True when the Accept header allows JSON: absent, empty, {@code application/json},
     * {@code application/*} or {@code *}{@code /*} among its media ranges (parameters ignored).
     */
    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            int semicolon = range.indexOf(';');
            String type = (semicolon < 0 ? range : range.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
            if (type.equals("application/json") || type.equals("application/*") || type.equals("*/*") || type.isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
