package io.kardia.store.client;

import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.model.KubeObject;
import io.kardia.store.StoreEvent;
import io.kardia.store.StoreWatch;
import io.kardia.store.StoredObject;
import java.util.function.Function;

/** core's {@link Watch} over a {@link StoreWatch}. */
final class InProcessWatch<T extends KubeObject> implements Watch<T> {
    private final StoreWatch watch;
    private final Function<StoredObject, T> decode;

    InProcessWatch(StoreWatch watch, Function<StoredObject, T> decode) {
        this.watch = watch;
        this.decode = decode;
    }

    @Override
    public WatchEvent<T> next() throws InterruptedException {
        StoreEvent e = watch.next();
        if (e == null) {
            return null;
        }
        WatchEvent.Type type = WatchEvent.Type.valueOf(e.type().name());
        return new WatchEvent<>(type, e.object() == null ? null : decode.apply(e.object()), e.status());
    }

    @Override
    public void close() {
        watch.close();
    }
}
