package io.kardia.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.Json;
import io.kardia.core.model.Status;
import io.kardia.store.auth.ReviewApis;
import io.kardia.store.protobuf.KubeProtobufCodec;
import io.kardia.kubeapi.protobuf.ProtobufFormatException;
import io.kardia.store.auth.UserInfo;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Serves the create-only authentication and authorization APIs over HTTP (the review kinds and
 * the ServiceAccount {@code token} subresource); {@link ReviewApis} computes the answers. Like
 * kube-apiserver, these objects are answered, never stored.
 */
final class AuthApiHandler {
    private final ReviewApis reviews;
    /** Reads the protobuf bodies kubectl's typed clients send; null when the server speaks JSON only. */
    private final Supplier<KubeProtobufCodec> protobuf;

    AuthApiHandler(ReviewApis reviews, Supplier<KubeProtobufCodec> protobuf) {
        this.reviews = reviews;
        this.protobuf = protobuf;
    }

    /** Answers the request when it is for one of these APIs; false otherwise. */
    boolean handle(HttpExchange ex, RestPath p, UserInfo user) throws IOException {
        Optional<Endpoint> endpoint = endpoint(p);
        if (endpoint.isEmpty()) {
            return false;
        }
        if (!ex.getRequestMethod().equals("POST")) {
            throw KubeApiException.of(Status.methodNotAllowed("the server does not allow this method on the requested resource ("
                    + ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + ")"));
        }
        ObjectNode body = body(ex, endpoint.get());
        ObjectNode answer = switch (endpoint.get()) {
            case SELF_SUBJECT_REVIEW -> reviews.selfSubjectReview(user);
            case SELF_SUBJECT_ACCESS_REVIEW -> reviews.selfSubjectAccessReview(user, body);
            case SELF_SUBJECT_RULES_REVIEW -> reviews.selfSubjectRulesReview(user, body);
            case SUBJECT_ACCESS_REVIEW -> reviews.subjectAccessReview(body);
            case LOCAL_SUBJECT_ACCESS_REVIEW -> reviews.localSubjectAccessReview(p.namespace(), body);
            case TOKEN_REVIEW -> reviews.tokenReview(body);
            case TOKEN_REQUEST -> reviews.tokenRequest(p.namespace(), p.name(), body);
        };
        HttpIo.sendJson(ex, 201, answer);
        return true;
    }

    private enum Endpoint {
        SELF_SUBJECT_REVIEW(ReviewApis.AUTHENTICATION, "SelfSubjectReview"),
        SELF_SUBJECT_ACCESS_REVIEW(ReviewApis.AUTHORIZATION, "SelfSubjectAccessReview"),
        SELF_SUBJECT_RULES_REVIEW(ReviewApis.AUTHORIZATION, "SelfSubjectRulesReview"),
        SUBJECT_ACCESS_REVIEW(ReviewApis.AUTHORIZATION, "SubjectAccessReview"),
        LOCAL_SUBJECT_ACCESS_REVIEW(ReviewApis.AUTHORIZATION, "LocalSubjectAccessReview"),
        TOKEN_REVIEW(ReviewApis.AUTHENTICATION, "TokenReview"),
        TOKEN_REQUEST(ReviewApis.AUTHENTICATION, "TokenRequest");

        final String apiVersion;
        final String kind;

        Endpoint(String apiVersion, String kind) {
            this.apiVersion = apiVersion;
            this.kind = kind;
        }
    }

    private static Optional<Endpoint> endpoint(RestPath p) {
        if (p.group().isEmpty() && p.version().equals("v1") && p.resource().equals("serviceaccounts")
                && "token".equals(p.subresource()) && p.namespace() != null) {
            return Optional.of(Endpoint.TOKEN_REQUEST);
        }
        if (!p.version().equals("v1") || !p.isCollection()) {
            return Optional.empty();
        }
        String r = p.resource();
        if (p.group().equals("authentication.k8s.io") && p.namespace() == null) {
            return r.equals("selfsubjectreviews") ? Optional.of(Endpoint.SELF_SUBJECT_REVIEW)
                    : r.equals("tokenreviews") ? Optional.of(Endpoint.TOKEN_REVIEW) : Optional.empty();
        }
        if (p.group().equals("authorization.k8s.io")) {
            if (p.namespace() != null) {
                return r.equals("localsubjectaccessreviews") ? Optional.of(Endpoint.LOCAL_SUBJECT_ACCESS_REVIEW) : Optional.empty();
            }
            return switch (r) {
                case "selfsubjectaccessreviews" -> Optional.of(Endpoint.SELF_SUBJECT_ACCESS_REVIEW);
                case "selfsubjectrulesreviews" -> Optional.of(Endpoint.SELF_SUBJECT_RULES_REVIEW);
                case "subjectaccessreviews" -> Optional.of(Endpoint.SUBJECT_ACCESS_REVIEW);
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    private ObjectNode body(HttpExchange ex, Endpoint endpoint) throws IOException {
        byte[] bytes = HttpIo.readBody(ex);
        if (bytes.length == 0) {
            throw KubeApiException.of(Status.badRequest("the request body is empty; an object is required"));
        }
        String ct = HttpIo.contentType(ex);
        if (ct.equals(KubeProtobufCodec.MEDIA_TYPE) && protobuf != null) {
            try {
                return protobuf.get().decode(bytes, endpoint.apiVersion, endpoint.kind);
            } catch (ProtobufFormatException e) {
                throw KubeApiException.of(Status.badRequest(e.getMessage()));
            }
        }
        if (!ct.isEmpty() && !ct.equals("application/json") && !ct.equals("*/*")) {
            throw KubeApiException.of(Status.unsupportedMediaType("the body of the request was in an unknown format - "
                    + "accepted media types include: application/json"
                    + (protobuf == null ? "" : ", " + KubeProtobufCodec.MEDIA_TYPE)));
        }
        JsonNode tree = Json.tree(bytes);
        if (!(tree instanceof ObjectNode obj)) {
            throw KubeApiException.of(Status.badRequest("the request body must be a JSON object"));
        }
        return obj;
    }
}
