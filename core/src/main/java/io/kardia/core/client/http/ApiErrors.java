package io.kardia.core.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.Json;
import io.kardia.core.model.Status;
import io.kardia.kubeapi.protobuf.ProtobufFormatException;
import io.kardia.kubeapi.protobuf.ProtobufToJson;
import java.nio.charset.StandardCharsets;

/**
 * Turns a non-2xx response into the typed {@link KubeApiException} both transports raise: the
 * body's {@link Status} when it is one, else a synthetic Status with the HTTP code, the reason
 * kube-apiserver would give it, and a short excerpt of the body (an HTML page from a proxy...).
 */
final class ApiErrors {
    private static final int EXCERPT = 200;

    private ApiErrors() {
    }

    static KubeApiException toException(int code, String contentType, String retryAfter, byte[] body) {
        return KubeApiException.of(toStatus(code, contentType, retryAfter, body));
    }

    static Status toStatus(int code, String contentType, String retryAfter, byte[] body) {
        Status status = parseStatus(ProtobufToJson.isProtobuf(contentType) ? statusJson(body) : body);
        if (status != null) {
            Status.Details details = status.details();
            if (code == 429 && (details == null || details.retryAfterSeconds() == null) && retryAfter != null) {
                details = withRetryAfter(details, (int) RequestPolicyInterceptor.retryAfterSeconds(retryAfter));
            }
            return new Status(status.apiVersion(), status.kind(), status.metadata(),
                    status.status() == null ? Status.FAILURE : status.status(), status.message(),
                    status.reason() == null || status.reason().isEmpty() ? reasonFor(code) : status.reason(),
                    details, status.code() == null || status.code() == 0 ? code : status.code(), status.extra());
        }
        String excerpt = excerpt(body);
        String message = "the server answered HTTP " + code + (contentType == null ? "" : " (" + contentType + ")")
                + (excerpt.isEmpty() ? " with an empty body" : ": " + excerpt);
        Status.Details details = code == 429 && retryAfter != null
                ? withRetryAfter(null, (int) RequestPolicyInterceptor.retryAfterSeconds(retryAfter)) : null;
        return Status.failure(code, reasonFor(code), message, details);
    }

    private static Status.Details withRetryAfter(Status.Details d, int seconds) {
        return d == null ? new Status.Details(null, null, null, null, null, seconds, null)
                : new Status.Details(d.name(), d.group(), d.kind(), d.uid(), d.causes(), seconds, d.extra());
    }

    /** A protobuf Status as JSON; null when the body is no readable protobuf object. */
    private static byte[] statusJson(byte[] body) {
        try {
            return ProtobufToJson.builtIn().toJson(body);
        } catch (ProtobufFormatException e) {
            return null;
        }
    }

    private static Status parseStatus(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode tree = Json.tree(body);
            if (tree == null || !tree.isObject() || !"Status".equals(tree.path("kind").asText())) {
                return null;
            }
            return Json.fromTree(tree, Status.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String excerpt(byte[] body) {
        if (body == null) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, 4 * EXCERPT), StandardCharsets.UTF_8)
                .replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
        return text.length() > EXCERPT ? text.substring(0, EXCERPT) + "..." : text;
    }

    /** The reason client-go gives a code when the body is no Status. */
    static String reasonFor(int code) {
        return switch (code) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 406 -> "NotAcceptable";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "RequestEntityTooLarge";
            case 415 -> "UnsupportedMediaType";
            case 422 -> "Invalid";
            case 429 -> "TooManyRequests";
            case 500 -> "InternalError";
            case 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> "Unknown";
        };
    }
}
