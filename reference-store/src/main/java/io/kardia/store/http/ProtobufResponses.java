package io.kardia.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.store.StoreList;
import io.kardia.store.StoredObject;
import io.kardia.store.protobuf.KubeProtobufCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes the responses of one request as {@code application/vnd.kubernetes.protobuf}: attached to
 * the exchange once content negotiation chose protobuf for a built-in kind, so every way out of
 * the request (object, list, Status error) answers in the format the client asked for.
 */
final class ProtobufResponses {
    /**
     * The requests answering in protobuf. Not an exchange attribute: the JDK server keeps those
     * in the context, shared by every request.
     */
    private static final Map<HttpExchange, ProtobufResponses> ACTIVE = new ConcurrentHashMap<>();

    private final ProtobufEncodings encodings;
    private final KubeProtobufCodec codec;
    private final ResourceType<?> type;

    private ProtobufResponses(ProtobufEncodings encodings, ResourceType<?> type) {
        this.encodings = encodings;
        this.codec = encodings.codec();
        this.type = type;
    }

    /** This request answers in protobuf until {@link #detach}. */
    static void attach(HttpExchange ex, ProtobufEncodings encodings, ResourceType<?> type) {
        ACTIVE.put(ex, new ProtobufResponses(encodings, type));
    }

    /** Called when the request is done. */
    static void detach(HttpExchange ex) {
        ACTIVE.remove(ex);
    }

    /** The protobuf writer of this request, null when it answers in JSON. */
    static ProtobufResponses of(HttpExchange ex) {
        return ACTIVE.isEmpty() ? null : ACTIVE.get(ex);
    }

    void sendObject(HttpExchange ex, int code, StoredObject o) throws IOException {
        send(ex, code, encodeObject(o));
    }

    void sendList(HttpExchange ex, StoreList page, JsonNode listMeta) throws IOException {
        List<byte[]> items = new ArrayList<>(page.items().size());
        for (StoredObject o : page.items()) {
            items.add(encodings.message(type, o));
        }
        send(ex, 200, codec.encodeEncodedList(type.apiVersion(), type.listKind(), listMeta, items));
    }

    void sendStatus(HttpExchange ex, int code, Status status) throws IOException {
        send(ex, code, encodeStatus(status));
    }

    byte[] encodeStatus(Status status) {
        return codec.encode(Json.toTree(status), "v1", "Status");
    }

    /** The enveloped object of a watch event. */
    byte[] encodeObject(StoredObject o) {
        return KubeProtobufCodec.wrap(type.apiVersion(), type.kind(), encodings.message(type, o));
    }

    private static void send(HttpExchange ex, int code, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", KubeProtobufCodec.MEDIA_TYPE);
        ex.getResponseHeaders().set("Cache-Control", "no-cache, private");
        if (ex.getRequestMethod().equals("HEAD")) {
            HttpIo.sendHeaders(ex, code, -1);
            ex.getResponseBody().close();
            return;
        }
        HttpIo.sendHeaders(ex, code, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
