package io.kardia.runtime.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.Json;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one webhook path's AdmissionReviews (admission.k8s.io/v1) for a {@link Validator} or a
 * {@link Defaulter} of one kind: decodes {@code object} and {@code oldObject} into the kind's Java
 * type, calls it, and answers allowed (with warnings, or the defaulter's JSON patch) or refused
 * with a Status, as controller-runtime's admission handlers do.
 */
abstract sealed class AdmissionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionHandler.class);

    final ResourceType<?> type;

    AdmissionHandler(ResourceType<?> type) {
        this.type = type;
    }

    /** The AdmissionReview answering {@code review}. */
    final ObjectNode handle(JsonNode review) {
        JsonNode request = review.path("request");
        String uid = request.path("uid").asText();
        ObjectNode response;
        try {
            response = answer(request);
        } catch (AdmissionDeniedException e) {
            response = refused(e.code(), e.reason(), e.getMessage());
        } catch (KubeApiException e) {
            Status s = e.status();
            response = refused(s.code() == null ? 403 : s.code(), s.reason(), s.message());
        } catch (IllegalArgumentException e) {
            // an object that does not decode into the kind's type: controller-runtime's Errored(400)
            response = refused(400, "BadRequest", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("admission webhook for {} failed: {}", type.kind(), e.toString());
            response = refused(403, "Forbidden", String.valueOf(e.getMessage()));
        }
        response.put("uid", uid);
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("apiVersion", "admission.k8s.io/v1");
        out.put("kind", "AdmissionReview");
        out.set("response", response);
        return out;
    }

    abstract ObjectNode answer(JsonNode request);

    @SuppressWarnings("unchecked")
    <T extends KubeObject> T decode(JsonNode object) {
        if (object == null || !object.isObject()) {
            throw new IllegalArgumentException("there is no object to decode in the request");
        }
        return (T) Json.fromTree(object, type.javaType());
    }

    static ObjectNode allowed(List<String> warnings) {
        ObjectNode r = Json.mapper().createObjectNode();
        r.put("allowed", true);
        if (warnings != null && !warnings.isEmpty()) {
            ArrayNode w = r.putArray("warnings");
            warnings.forEach(w::add);
        }
        return r;
    }

    private static ObjectNode refused(int code, String reason, String message) {
        ObjectNode r = Json.mapper().createObjectNode();
        r.put("allowed", false);
        ObjectNode status = r.putObject("status");
        status.put("code", code);
        if (reason != null) {
            status.put("reason", reason);
        }
        status.put("message", message == null ? "" : message);
        return r;
    }

    /** A {@link Validator}'s path. */
    static final class Validating<T extends KubeObject> extends AdmissionHandler {
        private final Validator<T> validator;

        Validating(ResourceType<T> type, Validator<T> validator) {
            super(type);
            this.validator = validator;
        }

        @Override
        ObjectNode answer(JsonNode request) {
            List<String> warnings = switch (request.path("operation").asText()) {
                case "CREATE" -> validator.validateCreate(decode(request.get("object")));
                case "UPDATE" -> validator.validateUpdate(decode(request.get("oldObject")), decode(request.get("object")));
                case "DELETE" -> validator.validateDelete(decode(request.get("oldObject")));
                default -> List.of();
            };
            return allowed(warnings);
        }
    }

    /** A {@link Defaulter}'s path: the patch from the object sent to the defaulted one. */
    static final class Mutating<T extends KubeObject> extends AdmissionHandler {
        private final Defaulter<T> defaulter;

        Mutating(ResourceType<T> type, Defaulter<T> defaulter) {
            super(type);
            this.defaulter = defaulter;
        }

        @Override
        ObjectNode answer(JsonNode request) {
            String operation = request.path("operation").asText();
            if (!operation.equals("CREATE") && !operation.equals("UPDATE")) {
                return allowed(List.of());
            }
            JsonNode sent = request.get("object");
            T defaulted = defaulter.applyDefaults(decode(sent));
            ArrayNode patch = JsonDiff.diff(sent, Json.toTree(defaulted));
            ObjectNode r = allowed(List.of());
            if (!patch.isEmpty()) {
                r.put("patchType", "JSONPatch");
                r.put("patch", Base64.getEncoder().encodeToString(patch.toString().getBytes(StandardCharsets.UTF_8)));
            }
            return r;
        }
    }
}
