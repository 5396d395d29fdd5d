package io.kardia.runtime.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code apiextensions.k8s.io/v1 ConversionReview}s on {@code /convert} with the
 * {@link Converter} registered for each object's group and kind; one failure fails the review
 * (result Failure with the message), as controller-runtime's conversion webhook.
 */
final class ConversionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConversionHandler.class);

    /** Converters by {@code kind.group}. */
    private final Map<String, Converter> converters;

    ConversionHandler(Map<String, Converter> converters) {
        this.converters = Map.copyOf(converters);
    }

    static String key(String group, String kind) {
        return kind + "." + group;
    }

    ObjectNode handle(JsonNode review) {
        JsonNode request = review.path("request");
        String desired = request.path("desiredAPIVersion").asText();
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("apiVersion", "apiextensions.k8s.io/v1");
        out.put("kind", "ConversionReview");
        ObjectNode response = out.putObject("response");
        response.put("uid", request.path("uid").asText());
        ArrayNode converted = Json.mapper().createArrayNode();
        try {
            for (JsonNode o : request.path("objects")) {
                String apiVersion = o.path("apiVersion").asText();
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                Converter c = converters.get(key(group, o.path("kind").asText()));
                if (c == null) {
                    throw new IllegalArgumentException("no converter registered for " + o.path("kind").asText() + "." + group);
                }
                converted.add(c.convert((ObjectNode) o, desired));
            }
            response.set("convertedObjects", converted);
            response.putObject("result").put("status", "Success");
        } catch (RuntimeException e) {
            LOG.warn("conversion to {} failed: {}", desired, e.toString());
            response.putArray("convertedObjects");
            response.putObject("result").put("status", "Failure").put("message", String.valueOf(e.getMessage()));
        }
        return out;
    }
}
