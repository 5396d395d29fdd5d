package io.kardia.core.client.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.json.CodecException;
import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import java.io.IOException;

/**
 * Decodes objects of one kind, from JSON trees or straight from a parser. List items and some
 * watch objects come without apiVersion/kind; they are filled in from the type, as client-go does.
 */
final class ObjectDecoder<T extends KubeObject> {
    private final ResourceType<T> type;
    private final ObjectReader reader;

    ObjectDecoder(ResourceType<T> type) {
        this.type = type;
        this.reader = Json.mapper().readerFor(type.javaType());
    }

    ResourceType<T> type() {
        return type;
    }

    T decode(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new KubeClientException("the server sent a " + type.kind() + " that is not a JSON object");
        }
        ObjectNode object = (ObjectNode) node;
        if (!object.hasNonNull("apiVersion")) {
            object.put("apiVersion", type.apiVersion());
        }
        if (!object.hasNonNull("kind")) {
            object.put("kind", type.kind());
        }
        try {
            return Json.fromTree(object, type.javaType());
        } catch (CodecException e) {
            throw new KubeClientException("cannot decode the server's " + type.kind() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes the object that starts at the parser's current {@code START_OBJECT}, without an
     * intermediate tree: this is how lists of thousands of items are read.
     */
    T decode(JsonParser parser) throws IOException {
        T decoded;
        try {
            decoded = reader.readValue(parser);
        } catch (com.fasterxml.jackson.databind.DatabindException e) {
            throw new KubeClientException("cannot decode the server's " + type.kind() + ": " + e.getOriginalMessage(), e);
        }
        if (decoded == null) {
            throw new KubeClientException("the server sent a " + type.kind() + " that is not a JSON object");
        }
        return withTypeMeta(decoded);
    }

    /** The models fill in their own apiVersion/kind; generic objects and models that do not are completed here. */
    @SuppressWarnings("unchecked")
    private T withTypeMeta(T decoded) {
        if (decoded.apiVersion() != null && decoded.kind() != null) {
            return decoded;
        }
        if (decoded instanceof GenericObject g) {
            return (T) new GenericObject(g.apiVersion() == null ? type.apiVersion() : g.apiVersion(),
                    g.kind() == null ? type.kind() : g.kind(), g.metadata(), g.fields());
        }
        return decode(Json.toTree(decoded)); // a model without defaults: rare, so the slow way
    }
}
