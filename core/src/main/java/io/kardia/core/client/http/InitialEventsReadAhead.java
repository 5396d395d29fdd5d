package io.kardia.core.client.http;

import io.kardia.core.client.WatchEvent;
import io.kardia.core.model.KubeObject;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The initial ADDED events of a streaming list (WatchList), decoded ahead on several threads and
 * handed out in their order. A streaming list sends the whole state of a kind as events, and
 * decoding them one after another on the watch's thread made it half again as slow as a paged
 * LIST, whose pages are decoded in parallel ({@link PrefetchingListPages}). Reading ahead stops
 * at the first event that is not ADDED (the initial-events-end bookmark, an error): from there on
 * the watch's own streaming reader decodes each event as it arrives, so live events are not
 * delayed by a hop through another thread. At most {@link #AHEAD} events are decoded ahead,
 * which bounds the memory this takes; it never waits for the server while it holds a decoded
 * event it could hand out.
 */
final class InitialEventsReadAhead<T extends KubeObject> {
    static final int AHEAD = 128;
    private static final ExecutorService DECODERS =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("kardia-watch-decode-", 0).factory());

    /** Decodes one event's bytes; null when the event is skipped. */
    interface FrameDecoder<T extends KubeObject> {
        WatchEvent<T> decode(byte[] frame) throws Exception;
    }

    private final WatchFrames frames;
    private final FrameDecoder<T> decoder;
    private final ArrayDeque<Future<WatchEvent<T>>> pending = new ArrayDeque<>();
    private boolean reading = true;

    InitialEventsReadAhead(WatchFrames frames, FrameDecoder<T> decoder) {
        this.frames = frames;
        this.decoder = decoder;
    }

    /**
     * The next initial event's decoding, in stream order; null when reading ahead is over and
     * {@link #rest()} holds what follows. Blocks only to read an event when none is pending.
     */
    Future<WatchEvent<T>> next() {
        while (reading && pending.size() < AHEAD && (pending.isEmpty() || frames.hasBuffered())) {
            byte[] frame = frames.next();
            if (frame == null) {
                reading = false;
            } else if (!frames.isAdded(frame)) {
                frames.unread(frame);
                reading = false;
            } else {
                byte[] event = frame;
                pending.add(DECODERS.submit(() -> decoder.decode(event)));
            }
        }
        return pending.poll();
    }

    /** The stream after the events handed out; only once {@link #next()} returned null. */
    InputStream rest() {
        return frames.rest();
    }

    /** Drops what was decoded ahead (the watch was closed). */
    void cancel() {
        reading = false;
        for (Future<WatchEvent<T>> f; (f = pending.poll()) != null; ) {
            f.cancel(true);
        }
    }
}
