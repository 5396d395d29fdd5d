package io.kardia.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.store.StoreList;
import io.kardia.store.StoredObject;
import io.kardia.kubeapi.protobuf.ProtobufFormatException;
import io.kardia.store.protobuf.KubeProtobufCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the responses of one request as {@code application/vnd.kubernetes.protobuf}: attached to
 * the exchange once content negotiation chose protobuf for a built-in kind, so every way out of
 * the request (object, list, Status error) answers in the format the client asked for.
 */
final class ProtobufResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ProtobufResponses.class);
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

    /** The object; one that has no protobuf form is a 500 that says why and names JSON as the way to read it. */
    void sendObject(HttpExchange ex, int code, StoredObject o) throws IOException {
        byte[] body;
        try {
            body = encodeObject(o);
        } catch (ProtobufFormatException e) {
            LOG.warn("{} {}/{} (resourceVersion {}) cannot be encoded as protobuf: {}", type.kind(), o.namespace(), o.name(),
                    o.resourceVersion(), e.getMessage());
            sendStatus(ex, 500, Status.internalError(type.kind() + " \"" + o.name() + "\" cannot be encoded as protobuf ("
                    + e.getMessage() + "); read it as application/json"));
            return;
        }
        send(ex, code, body);
    }

    /**
     * The page as the kind's list message. An object that has no protobuf form (stored by an older
     * version with a value its message cannot hold) is left out with a warning, as JSON serves
     * every other object: one such object must not fail every protobuf client's list of the kind.
     */
    void sendList(HttpExchange ex, StoreList page, JsonNode listMeta) throws IOException {
        List<byte[]> items = new ArrayList<>(page.items().size());
        for (StoredObject o : page.items()) {
            byte[] message = messageOrNull(o);
            if (message != null) {
                items.add(message);
            }
        }
        send(ex, 200, codec.encodeEncodedList(type.apiVersion(), type.listKind(), listMeta, items));
    }

    /** The object's message, or null (logged) when it has no protobuf form. */
    private byte[] messageOrNull(StoredObject o) {
        try {
            return encodings.message(type, o);
        } catch (ProtobufFormatException e) {
            LOG.warn("{} {}/{} (resourceVersion {}) cannot be encoded as protobuf and is left out of a protobuf "
                    + "list or watch (JSON clients still see it): {}", type.kind(), o.namespace(), o.name(),
                    o.resourceVersion(), e.getMessage());
            return null;
        }
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

    /** The enveloped object of a watch event, or null (logged) when the object has no protobuf form: the event is left out. */
    byte[] encodeEventObject(StoredObject o) {
        byte[] message = messageOrNull(o);
        return message == null ? null : KubeProtobufCodec.wrap(type.apiVersion(), type.kind(), message);
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
