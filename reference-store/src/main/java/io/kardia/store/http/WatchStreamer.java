package io.kardia.store.http;

import com.sun.net.httpserver.HttpExchange;
import io.kardia.core.json.Json;
import io.kardia.store.StoreEvent;
import io.kardia.store.StoreWatch;
import io.kardia.store.StoredObject;
import io.kardia.store.protobuf.KubeProtobufCodec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Streams a watch as kube-apiserver does: a {@code 200} response of newline-delimited
 * {@code {"type":...,"object":...}} frames, or, when the client asked for protobuf, of
 * length-delimited {@code WatchEvent} messages. JSON events are written from the stored bytes without
 * re-encoding, and each is flushed at once so watchers see changes without delay.
 */
final class WatchStreamer {
    private static final byte[][] PREFIX = new byte[StoreEvent.Type.values().length][];

    static {
        for (StoreEvent.Type t : StoreEvent.Type.values()) {
            PREFIX[t.ordinal()] = ("{\"type\":\"" + t.name() + "\",\"object\":").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Writes an event's object in another form than the stored bytes (a Table row, its metadata alone). */
    @FunctionalInterface
    interface Renderer {
        void write(OutputStream out, StoredObject o) throws IOException;
    }

    private final HttpExchange ex;
    /** Renders ADDED/MODIFIED/DELETED objects (e.g. as Table rows); null: the stored bytes as they are. */
    private final Renderer render;
    /** Non-null: the stream is protobuf (length-delimited WatchEvent frames), not JSON lines. */
    private final ProtobufResponses protobuf;

    /** Bookmarks go through {@link #render} too (metadata-only watches: a PartialObjectMetadata bookmark). */
    private final boolean renderBookmarks;

    WatchStreamer(HttpExchange ex, Renderer render, ProtobufResponses protobuf) {
        this(ex, render, protobuf, false);
    }

    WatchStreamer(HttpExchange ex, Renderer render, ProtobufResponses protobuf, boolean renderBookmarks) {
        this.renderBookmarks = renderBookmarks;
        this.ex = ex;
        this.render = render;
        this.protobuf = protobuf;
    }

    void stream(StoreWatch watch) throws IOException {
        ex.getResponseHeaders().set("Content-Type", protobuf != null ? KubeProtobufCodec.WATCH_MEDIA_TYPE : "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-cache, private");
        // The stream ends by closing the connection, not with chunked framing: Jetty sends a
        // chunk's closing CRLF only with the next chunk, and clients whose chunk parser waits for
        // that CRLF (Python's urllib3, so the Python Kubernetes client) would see every event only
        // when the next one comes. A body ended by the close has no framing to wait for.
        ex.getResponseHeaders().set("Connection", "close");
        HttpIo.sendHeaders(ex, 200, 0);
        // Small per-watcher buffer: thousands of idle watchers must not hold megabytes; a burst is
        // still written in few chunks because a flush happens only when no event is ready.
        OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 8 * 1024);
        try {
            // Headers go out now, as kube-apiserver sends them: clients wait for them before
            // they consider the watch established, and a quiet watch may have no event for minutes.
            out.flush();
            while (true) {
                StoreEvent e = watch.next();
                if (e == null) {
                    break;
                }
                write(out, e);
                // Under a burst, write what is ready and flush once: fewer chunks and syscalls.
                if (!watch.hasReadyEvent()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                out.close();
            } catch (IOException ignored) {
                // the client went away; nothing left to tell it
            }
        }
    }

    private void write(OutputStream out, StoreEvent e) throws IOException {
        if (protobuf != null) {
            byte[] object = e.type() == StoreEvent.Type.ERROR ? protobuf.encodeStatus(e.status()) : protobuf.encodeEventObject(e.object());
            if (object != null) { // null: an object with no protobuf form, left out as in lists
                KubeProtobufCodec.writeWatchFrame(out, e.type().name(), object);
            }
            return;
        }
        out.write(PREFIX[e.type().ordinal()]);
        if (e.type() == StoreEvent.Type.ERROR) {
            out.write(Json.toBytes(e.status()));
        } else if (render != null && (e.type() != StoreEvent.Type.BOOKMARK || renderBookmarks)) {
            render.write(out, e.object());
        } else {
            e.object().writeTo(out);
        }
        out.write('}');
        out.write('\n');
    }
}
