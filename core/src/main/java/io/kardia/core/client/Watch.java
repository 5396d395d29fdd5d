package io.kardia.core.client;

import io.kardia.core.model.KubeObject;

/**
 * A stream of changes. One consumer thread calls {@link #next()}; any thread may
 * {@link #close()} it. Events arrive in revision order with no gaps; an ERROR event with a 410
 * status means the start revision is older than the server's history and the caller must relist.
 */
public interface Watch<T extends KubeObject> extends AutoCloseable {

    /**
     * Blocks for the next event. Returns {@code null} once the stream has ended: closed by the
     * caller, timed out by the server, or the connection dropped. The caller then re-watches from
     * the last revision it saw.
     */
    WatchEvent<T> next() throws InterruptedException;

    @Override
    void close();
}
