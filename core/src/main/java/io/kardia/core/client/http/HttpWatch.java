package io.kardia.core.client.http;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.client.UndecodableObjects;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.json.Json;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Status;
import io.kardia.kubeapi.protobuf.ProtobufFormatException;
import io.kardia.kubeapi.protobuf.ProtobufToJson;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import okhttp3.Call;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch over HTTP: the response body is a stream of JSON watch events
 * ({@code {"type":"ADDED","object":{...}}}), decoded one at a time with Jackson's streaming
 * parser as bytes arrive, each object straight into its model as list items are. {@link #close()} cancels the call, which ends a blocked {@link #next()}
 * at once. A connection silent for longer than the read timeout (the watch's timeoutSeconds plus
 * a margin) is taken as dead and ends the stream. A streaming list's initial events are decoded
 * ahead on several threads ({@link InitialEventsReadAhead}), the events after them as they come.
 */
final class HttpWatch<T extends KubeObject> implements Watch<T> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpWatch.class);

    private final Call call;
    private final Response response;
    /** The body is a protobuf watch stream, read as the JSON stream it stands for. */
    private final boolean protobuf;
    private final ObjectDecoder<T> decoder;
    private final String description;
    /** The body the streaming reader parses (after a read-ahead: what it left). */
    private InputStream body;
    /** Non-null while a streaming list's initial events are decoded ahead. */
    private InitialEventsReadAhead<T> readAhead;
    private RevisionSpottingParser parser;
    private volatile boolean closed;
    private boolean ended;
    /** Guards {@link #reading} and {@link #released}: who may close the response, and when. */
    private final Object readerState = new Object();
    /** A thread is inside {@link #next()}: only it touches the body, and it releases it on its way out once closed. */
    private boolean reading;
    /** The response was closed (its connection given back); at most once. */
    private boolean released;

    /**
     * @param initialEvents the watch asked for a streaming list's initial events ({@code sendInitialEvents=true}):
     *                      they are decoded ahead on several threads
     */
    HttpWatch(Call call, Response response, boolean protobuf, ObjectDecoder<T> decoder, String description,
              boolean initialEvents) {
        this.call = call;
        this.response = response;
        this.protobuf = protobuf;
        this.decoder = decoder;
        this.description = description;
        this.body = response.body().byteStream();
        if (initialEvents) {
            readAhead = new InitialEventsReadAhead<>(WatchFrames.of(body, protobuf), this::decodeFrame);
        }
    }

    /**
     * The next event, or null once the stream is over. A watch closed while no thread reads is
     * released by {@link #close()}; one closed while a thread reads (or by that thread itself, as
     * on an interrupt) is released here on the way out: either way the response is closed, which
     * gives its connection back (OkHttp reports a call whose body was never closed as leaked).
     */
    @Override
    public WatchEvent<T> next() throws InterruptedException {
        synchronized (readerState) {
            if (reading) {
                throw new IllegalStateException("watch " + description + " is read by two threads at once");
            }
            if (released) {
                return null;
            }
            reading = true;
        }
        try {
            return readNext();
        } finally {
            synchronized (readerState) {
                reading = false;
                if (closed) {
                    end();
                }
            }
        }
    }

    private WatchEvent<T> readNext() throws InterruptedException {
        while (true) {
            if (Thread.interrupted()) {
                close();
                throw new InterruptedException("interrupted while waiting for a watch event");
            }
            if (closed || ended) {
                end();
                return null;
            }
            WatchEvent<T> event;
            try {
                if (readAhead != null) {
                    Future<WatchEvent<T>> decoded = readAhead.next();
                    if (decoded != null) {
                        event = decoded.get();
                        if (closed) {
                            end();
                            return null;
                        }
                        if (event != null) {
                            return event;
                        }
                        continue;
                    }
                    body = readAhead.rest(); // the end bookmark and everything after it: decoded as they come
                    readAhead = null;
                }
                if (parser == null) {
                    parser = new RevisionSpottingParser(Json.mapper().createParser(
                            protobuf ? ProtobufToJson.builtIn().watchAsJson(body) : body));
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
                event = new EventReader<>(parser, decoder, description).readEvent();
            } catch (InterruptedException e) {
                close();
                end();
                throw e;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof MalformedEvent m) {
                    return malformed(m.getMessage());
                }
                if (cause instanceof ProtobufFormatException p) {
                    return malformed(p.getMessage());
                }
                if (cause instanceof RuntimeException r) {
                    throw r; // as the streaming reader would have thrown it
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                if (!closed) {
                    LOG.debug("watch {} ended: {}", description, cause.toString());
                }
                end();
                return null;
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("watch {} ended: {}", description, e.toString());
                }
                end();
                return null;
            } catch (MalformedEvent | ProtobufFormatException e) {
                return malformed(e.getMessage());
            }
            if (closed) { // an event already buffered when close() cancelled the call: a closed watch hands out nothing
                end();
                return null;
            }
            if (event != null) {
                return event;
            }
        }
    }

    /** One event's bytes (a frame split off by {@link WatchFrames}) decoded; runs on a read-ahead thread. */
    private WatchEvent<T> decodeFrame(byte[] frame) throws IOException {
        byte[] json = protobuf ? ProtobufToJson.builtIn().eventToJson(frame) : frame;
        try (RevisionSpottingParser p = new RevisionSpottingParser(Json.mapper().createParser(json))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEvent("expected a JSON object, found " + p.currentToken());
            }
            return new EventReader<>(p, decoder, description).readEvent();
        }
    }

    /** The event could not be read: the stream ends with an ERROR event saying why. */
    private static final class MalformedEvent extends RuntimeException {
        MalformedEvent(String why) {
            super(why, null, false, false);
        }
    }

    /** Reads the event whose {@code START_OBJECT} is the parser's current token. */
    private record EventReader<T extends KubeObject>(RevisionSpottingParser parser, ObjectDecoder<T> decoder,
                                                     String description) {
        /**
         * Reads one event, its object decoded straight from the stream as list items are (shared
         * strings, no intermediate tree), so a cache filled by watch events costs what a listed one
         * does. Servers write {@code type} before {@code object}; an object that comes first is read
         * into a tree and decoded from there. Null when the event is skipped.
         */
        WatchEvent<T> readEvent() throws IOException {
            String type = null;
            boolean hasObject = false;
            WatchEvent<T> event = null;
            JsonNode objectBeforeType = null;
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                JsonToken value = parser.nextToken();
                if ("type".equals(field) && value.isScalarValue()) {
                    type = parser.getText();
                } else if ("object".equals(field) && value == JsonToken.START_OBJECT && !hasObject) {
                    hasObject = true;
                    if (type == null) {
                        objectBeforeType = parser.readValueAsTree();
                    } else {
                        event = readObject(type);
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (type == null) {
                type = "";
            }
            if (!hasObject) {
                throw new MalformedEvent("event of type \"" + type + "\" has no object");
            }
            return objectBeforeType == null ? event : decodeTree(type, objectBeforeType);
        }

        /** Decodes the object at the parser's {@code START_OBJECT}; null when the event is skipped. */
        private WatchEvent<T> readObject(String type) throws IOException {
            WatchEvent.Type eventType = typeOf(type);
            if (eventType == null) {
                parser.skipChildren();
                return null;
            }
            if (eventType == WatchEvent.Type.ERROR) {
                try {
                    return WatchEvent.error(Json.mapper().readValue(parser, Status.class));
                } catch (DatabindException | RuntimeException e) {
                    throw new MalformedEvent("undecodable " + type + " object: " + e.getMessage());
                }
            }
            JsonStreamContext inEvent = parser.getParsingContext().getParent();
            parser.beginObject();
            try {
                return new WatchEvent<>(eventType, decoder.decode(parser), null);
            } catch (RuntimeException e) {
                // Ending the watch would replay this event on every re-watch: skip it, keep its revision.
                while (!(parser.getParsingContext() == inEvent && parser.currentToken() == JsonToken.END_OBJECT)) {
                    if (parser.nextToken() == null) {
                        throw new EOFException("the watch stream ended inside an object");
                    }
                }
                UndecodableObjects.skipped(decoder.type(), "a " + type + " event of watch " + description, e.getMessage());
                return UndecodableObjects.bookmarkFor(decoder.type(), parser.revision());
            }
        }

        private WatchEvent.Type typeOf(String type) {
            try {
                return WatchEvent.Type.valueOf(type);
            } catch (IllegalArgumentException e) {
                LOG.warn("watch {}: skipping event of unknown type \"{}\"", description, type);
                return null;
            }
        }

        /** The slow way, for an object sent before its event type. */
        private WatchEvent<T> decodeTree(String type, JsonNode object) {
            WatchEvent.Type eventType = typeOf(type);
            if (eventType == null) {
                return null;
            }
            if (eventType == WatchEvent.Type.ERROR) {
                try {
                    return WatchEvent.error(Json.fromTree(object, Status.class));
                } catch (RuntimeException e) {
                    throw new MalformedEvent("undecodable " + type + " object: " + e.getMessage());
                }
            }
            try {
                return new WatchEvent<>(eventType, decoder.decode(object), null);
            } catch (RuntimeException e) {
                UndecodableObjects.skipped(decoder.type(), "a " + type + " event of watch " + description, e.getMessage());
                return UndecodableObjects.bookmarkFor(decoder.type(), object.path("metadata").path("resourceVersion").asText(""));
            }
        }
    }

    /** Ends the stream with an ERROR event the caller can see, then null. */
    private WatchEvent<T> malformed(String why) {
        LOG.warn("watch {}: malformed event stream: {}", description, why);
        ended = true;
        return WatchEvent.error(Status.internalError("malformed watch event stream from the server: " + why));
    }

    /** Ends the stream and closes the response; by the reading thread, or by {@link #close()} when none reads. */
    private void end() {
        ended = true;
        synchronized (readerState) {
            if (released) {
                return;
            }
            released = true;
        }
        if (readAhead != null) {
            readAhead.cancel();
        }
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
        call.cancel(); // ends a read blocked on the socket
        synchronized (readerState) {
            if (!reading) {
                end();
            }
        }
    }

    @Override
    public String toString() {
        return "HttpWatch[" + description + (closed ? ", closed" : "") + "]";
    }
}
