package io.kardia.store.client;

import io.kardia.core.client.UndecodableObjects;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.json.CodecException;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.store.StoreEvent;
import io.kardia.store.StoreWatch;

/**
 * core's {@link Watch} over a {@link StoreWatch}. An object the typed model cannot decode is
 * skipped as over HTTP ({@link UndecodableObjects}): handed out as a BOOKMARK of its revision.
 */
final class InProcessWatch<T extends KubeObject> implements Watch<T> {
    private final ResourceType<T> type;
    private final StoreWatch watch;

    InProcessWatch(ResourceType<T> type, StoreWatch watch) {
        this.type = type;
        this.watch = watch;
    }

    @Override
    public WatchEvent<T> next() throws InterruptedException {
        while (true) {
            StoreEvent e = watch.next();
            if (e == null) {
                return null;
            }
            WatchEvent.Type eventType = WatchEvent.Type.valueOf(e.type().name());
            if (e.object() == null) {
                return new WatchEvent<>(eventType, null, e.status());
            }
            try {
                return new WatchEvent<>(eventType, InProcessResourceClient.decodeAs(e.object(), type), e.status());
            } catch (CodecException failed) {
                UndecodableObjects.skipped(type, "a " + eventType + " event of an in-process watch ("
                        + e.object().namespace() + "/" + e.object().name() + ")", failed.getMessage());
                WatchEvent<T> bookmark = UndecodableObjects.bookmarkFor(type, e.object().resourceVersion());
                if (bookmark != null) {
                    return bookmark;
                }
            }
        }
    }

    @Override
    public void close() {
        watch.close();
    }
}
