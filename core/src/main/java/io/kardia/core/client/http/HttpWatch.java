package io.kardia.core.client.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.client.UndecodableObjects;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.json.Json;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Status;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch over HTTP: the response body is a stream of JSON watch events
 * ({@code {"type":"ADDED","object":{...}}}), decoded one at a time with Jackson's streaming
 * parser as bytes arrive. {@link #close()} cancels the call, which ends a blocked {@link #next()}
 * at once. A connection silent for longer than the read timeout (the watch's timeoutSeconds plus
 * a margin) is taken as dead and ends the stream.
 */
final class HttpWatch<T extends KubeObject> implements Watch<T> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpWatch.class);

    private final Call call;
    private final Response response;
    private final ObjectDecoder<T> decoder;
    private final String description;
    private JsonParser parser;
    private volatile boolean closed;
    private boolean ended;

    HttpWatch(Call call, Response response, ObjectDecoder<T> decoder, String description) {
        this.call = call;
        this.response = response;
        this.decoder = decoder;
        this.description = description;
    }

    @Override
    public WatchEvent<T> next() throws InterruptedException {
        while (true) {
            if (Thread.interrupted()) {
                close();
                throw new InterruptedException("interrupted while waiting for a watch event");
            }
            if (closed || ended) {
                end();
                return null;
            }
            JsonNode event;
            try {
                if (parser == null) {
                    parser = Json.mapper().createParser(response.body().byteStream());
                }
                JsonToken token = parser.nextToken();
                if (token == null) {
                    LOG.debug("watch {} ended by the server", description);
                    end();
                    return null;
                }
                if (token != JsonToken.START_OBJECT) {
                    return malformed("expected a JSON object, found " + token);
                }
                event = parser.readValueAsTree();
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("watch {} ended: {}", description, e.toString());
                }
                end();
                return null;
            }
            if (closed) { // an event already buffered when close() cancelled the call: a closed watch hands out nothing
                end();
                return null;
            }
            WatchEvent<T> decoded = decode(event);
            if (decoded != null) {
                return decoded;
            }
        }
    }

    private WatchEvent<T> decode(JsonNode event) {
        String type = event.path("type").asText("");
        JsonNode object = event.get("object");
        if (object == null || !object.isObject()) {
            return malformed("event of type \"" + type + "\" has no object");
        }
        WatchEvent.Type eventType;
        try {
            eventType = WatchEvent.Type.valueOf(type);
        } catch (IllegalArgumentException e) {
            LOG.warn("watch {}: skipping event of unknown type \"{}\"", description, type);
            return null;
        }
        if (eventType == WatchEvent.Type.ERROR) {
            try {
                return WatchEvent.error(Json.fromTree(object, Status.class));
            } catch (RuntimeException e) {
                return malformed("undecodable " + type + " object: " + e.getMessage());
            }
        }
        try {
            return new WatchEvent<>(eventType, decoder.decode(object), null);
        } catch (RuntimeException e) {
            // Ending the watch would replay this event on every re-watch: skip it, keep its revision.
            UndecodableObjects.skipped(decoder.type(), "a " + type + " event of watch " + description, e.getMessage());
            return UndecodableObjects.bookmarkFor(decoder.type(), object.path("metadata").path("resourceVersion").asText(""));
        }
    }

    /** Ends the stream with an ERROR event the caller can see, then null. */
    private WatchEvent<T> malformed(String why) {
        LOG.warn("watch {}: malformed event stream: {}", description, why);
        ended = true;
        return WatchEvent.error(Status.internalError("malformed watch event stream from the server: " + why));
    }

    private void end() {
        ended = true;
        try {
            if (parser != null) {
                parser.close();
            }
        } catch (IOException e) {
            // the stream is over either way
        }
        response.close();
    }

    @Override
    public void close() {
        closed = true;
        call.cancel();
    }

    @Override
    public String toString() {
        return "HttpWatch[" + description + (closed ? ", closed" : "") + "]";
    }
}
