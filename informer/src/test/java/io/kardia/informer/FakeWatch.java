package io.kardia.informer;

import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.KubeObject;
import java.util.concurrent.LinkedBlockingQueue;

/** A watch the test feeds by hand: {@link #send}, {@link #end}, or {@link #fail}. */
final class FakeWatch<T extends KubeObject> implements Watch<T> {
    private static final Object END = new Object();
    final WatchOptions options;
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    volatile boolean closed;

    FakeWatch(WatchOptions options) {
        this.options = options;
    }

    void send(WatchEvent<T> event) {
        events.add(event);
    }

    void end() {
        events.add(END);
    }

    /** The next {@link #next()} throws this, as a dropped connection would. */
    void fail(RuntimeException e) {
        events.add(e);
    }

    @Override
    @SuppressWarnings("unchecked")
    public WatchEvent<T> next() throws InterruptedException {
        if (closed) {
            return null;
        }
        Object o = events.take();
        if (o == END) {
            return null;
        }
        if (o instanceof RuntimeException e) {
            throw e;
        }
        return (WatchEvent<T>) o;
    }

    @Override
    public void close() {
        closed = true;
        events.add(END);
    }
}
