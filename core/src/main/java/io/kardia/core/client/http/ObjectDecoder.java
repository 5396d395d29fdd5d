package io.kardia.core.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.json.CodecException;
import io.kardia.core.json.Json;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;

/**
 * Decodes objects of one kind from JSON trees. List items and some watch objects come without
 * apiVersion/kind; they are filled in from the type, as client-go does.
 */
final class ObjectDecoder<T extends KubeObject> {
    private final ResourceType<T> type;

    ObjectDecoder(ResourceType<T> type) {
        this.type = type;
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
}
