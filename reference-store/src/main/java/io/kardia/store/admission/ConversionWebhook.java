package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.Json;
import io.kardia.core.model.Status;
import io.kardia.store.conversion.VersionConverter;
import java.util.UUID;

/**
 * A CRD's {@code conversion.strategy: Webhook}: each object that must change version is sent to
 * the operator's conversion webhook in an {@code apiextensions.k8s.io/v1 ConversionReview}, over
 * the same HTTPS caller as admission webhooks (caBundle, url or service, 30 s as kube-apiserver).
 * An object already in the desired version is not sent. The converted object keeps the original
 * metadata but for labels and annotations, which the webhook may change (kube's rule). Any
 * failure is a 500 naming the webhook and why; nothing is written with a failed conversion.
 */
final class ConversionWebhook implements VersionConverter {
    private final String group;
    private final String kind;
    private final Webhook hook;
    private final WebhookCaller caller;

    ConversionWebhook(String group, String kind, Webhook hook, WebhookCaller caller) {
        this.group = group;
        this.kind = kind;
        this.hook = hook;
        this.caller = caller;
    }

    @Override
    public ObjectNode convert(ObjectNode object, String toVersion) {
        String desired = group + "/" + toVersion;
        if (desired.equals(object.path("apiVersion").asText())) {
            return object.deepCopy();
        }
        String uid = UUID.randomUUID().toString();
        ObjectNode review = Json.mapper().createObjectNode();
        review.put("apiVersion", "apiextensions.k8s.io/v1");
        review.put("kind", "ConversionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", uid);
        request.put("desiredAPIVersion", desired);
        request.putArray("objects").add(object);
        try {
            JsonNode answer = Json.mapper().readTree(caller.call(hook, review));
            return converted(answer, uid, desired, object);
        } catch (WebhookCallException e) {
            throw failed(desired, e.getMessage());
        } catch (java.io.IOException e) {
            throw failed(desired, "received invalid webhook response: the body is not JSON");
        }
    }

    private ObjectNode converted(JsonNode answer, String uid, String desired, ObjectNode original) {
        JsonNode response = answer == null ? null : answer.path("response");
        if (response == null || !response.isObject() || !"ConversionReview".equals(answer.path("kind").asText())) {
            throw failed(desired, "received invalid webhook response: expected a ConversionReview with a response");
        }
        if (!uid.equals(response.path("uid").asText())) {
            throw failed(desired, "expected response.uid=\"" + uid + "\", got \"" + response.path("uid").asText() + "\"");
        }
        JsonNode result = response.path("result");
        if (!"Success".equals(result.path("status").asText())) {
            throw failed(desired, "conversion failed: " + result.path("message").asText(""));
        }
        JsonNode objects = response.path("convertedObjects");
        if (!objects.isArray() || objects.size() != 1 || !objects.get(0).isObject()) {
            throw failed(desired, "expected 1 converted objects, got " + (objects.isArray() ? objects.size() : 0));
        }
        ObjectNode out = (ObjectNode) objects.get(0).deepCopy();
        if (!desired.equals(out.path("apiVersion").asText())) {
            throw failed(desired, "invalid converted object: expected apiVersion " + desired + ", got " + out.path("apiVersion").asText());
        }
        if (!kind.equals(out.path("kind").asText())) {
            throw failed(desired, "invalid converted object: expected kind " + kind + ", got " + out.path("kind").asText());
        }
        // only labels and annotations may change (kube restores the rest of metadata)
        ObjectNode meta = original.path("metadata").isObject() ? ((ObjectNode) original.get("metadata")).deepCopy()
                : Json.mapper().createObjectNode();
        JsonNode newMeta = out.path("metadata");
        for (String f : new String[] {"labels", "annotations"}) {
            if (newMeta.has(f)) {
                meta.set(f, newMeta.get(f));
            } else {
                meta.remove(f);
            }
        }
        out.set("metadata", meta);
        return out;
    }

    private KubeApiException failed(String desired, String why) {
        return KubeApiException.of(Status.internalError("conversion webhook for " + desired + ", Kind=" + kind + " failed: " + why));
    }
}
