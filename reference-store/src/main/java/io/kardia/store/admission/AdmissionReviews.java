package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** admission.k8s.io/v1 AdmissionReview: the request the store sends a webhook and the response it reads back. */
final class AdmissionReviews {
    private AdmissionReviews() {
    }

    /** What a webhook answered: allowed or not, the Status it gave, a JSON patch (mutating webhooks) and warnings. */
    record Response(boolean allowed, JsonNode status, JsonNode patch, List<String> warnings) {
    }

    /** The AdmissionReview for {@code r} with request uid {@code uid}; {@code object} is the object as mutated so far. */
    static ObjectNode request(String uid, AdmissionRequest r, ObjectNode object) {
        ObjectNode review = Json.mapper().createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1");
        review.put("kind", "AdmissionReview");
        ObjectNode req = review.putObject("request");
        ResourceType<?> t = r.type();
        req.put("uid", uid);
        ObjectNode kind = req.putObject("kind");
        kind.put("group", t.group()).put("version", t.version()).put("kind", t.kind());
        ObjectNode resource = req.putObject("resource");
        resource.put("group", t.group()).put("version", t.version()).put("resource", t.plural());
        String sub = r.subresource() == null ? "" : r.subresource();
        if (!sub.isEmpty()) {
            req.put("subResource", sub);
        }
        req.set("requestKind", kind.deepCopy());
        req.set("requestResource", resource.deepCopy());
        if (!sub.isEmpty()) {
            req.put("requestSubResource", sub);
        }
        if (r.name() != null && !r.name().isEmpty()) {
            req.put("name", r.name());
        }
        if (r.namespace() != null && !r.namespace().isEmpty()) {
            req.put("namespace", r.namespace());
        }
        req.put("operation", r.operation().name());
        userInfo(req.putObject("userInfo"));
        req.set("object", object);
        req.set("oldObject", r.oldObject());
        req.put("dryRun", r.dryRun());
        ObjectNode options = req.putObject("options");
        options.put("apiVersion", "meta.k8s.io/v1");
        options.put("kind", switch (r.operation()) {
            case CREATE -> "CreateOptions";
            case UPDATE -> "UpdateOptions";
            case DELETE -> "DeleteOptions";
        });
        return review;
    }

    /**
     * Reads a webhook's answer to the request with {@code uid}.
     *
     * @throws WebhookCallException when it is not an admission.k8s.io/v1 AdmissionReview response to that request
     */
    /** The writing user as kube's UserInfo JSON (empty fields left out, as Go's omitempty does). */
    private static void userInfo(ObjectNode out) {
        io.kardia.store.auth.UserInfo u = AdmissionUser.current().orElse(null);
        out.put("username", u == null ? "" : u.name());
        if (u == null) {
            return;
        }
        if (!u.uid().isEmpty()) {
            out.put("uid", u.uid());
        }
        if (!u.groups().isEmpty()) {
            u.groups().forEach(out.putArray("groups")::add);
        }
        if (!u.extra().isEmpty()) {
            ObjectNode extra = out.putObject("extra");
            u.extra().forEach((k, values) -> values.forEach(extra.putArray(k)::add));
        }
    }

    static Response response(byte[] body, String uid) throws WebhookCallException {
        JsonNode review;
        try {
            review = Json.mapper().readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid("the body is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw invalid("the body could not be read: " + e.getMessage());
        }
        if (review == null || !review.isObject()) {
            throw invalid("the body is not an AdmissionReview object");
        }
        if (!"admission.k8s.io/v1".equals(review.path("apiVersion").asText()) || !"AdmissionReview".equals(review.path("kind").asText())) {
            throw invalid("expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got "
                    + review.path("apiVersion").asText() + ", Kind=" + review.path("kind").asText());
        }
        JsonNode response = review.path("response");
        if (!response.isObject()) {
            throw invalid("webhook response was absent");
        }
        if (!uid.equals(response.path("uid").asText())) {
            throw invalid("expected response.uid=\"" + uid + "\", got \"" + response.path("uid").asText() + "\"");
        }
        if (!response.path("allowed").isBoolean()) {
            throw invalid("response.allowed must be true or false");
        }
        JsonNode patch = null;
        if (response.hasNonNull("patch")) {
            if (!"JSONPatch".equals(response.path("patchType").asText())) {
                throw invalid("webhook returned response.patch but not response.patchType");
            }
            try {
                patch = Json.mapper().readTree(Base64.getDecoder().decode(response.get("patch").asText()));
            } catch (IllegalArgumentException | java.io.IOException e) {
                throw invalid("response.patch is not a base64-encoded JSON patch");
            }
        } else if (response.hasNonNull("patchType")) {
            throw invalid("webhook returned response.patchType but not response.patch");
        }
        List<String> warnings = new ArrayList<>();
        response.path("warnings").forEach(w -> warnings.add(w.asText()));
        return new Response(response.get("allowed").asBoolean(), response.get("status"), patch, warnings);
    }

    private static WebhookCallException invalid(String why) {
        return new WebhookCallException("received invalid webhook response: " + why);
    }
}
