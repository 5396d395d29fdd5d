package io.kardia.store.http;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.kardia.core.model.ResourceType;
import io.kardia.store.StoredObject;
import io.kardia.store.protobuf.KubeProtobufCodec;

/**
 * The protobuf message of each stored object version, encoded once and shared: a watch event goes
 * to every protobuf watcher and an object to every protobuf list and relist, as kube-apiserver
 * caches an event's serialization for all its watchers. Stored versions never change, so an entry
 * never goes stale; entries go when their object version is no longer referenced or the cache is
 * past its size.
 */
final class ProtobufEncodings {
    /** Bytes of encoded messages kept at most (about 100,000 pods). */
    private static final long MAX_BYTES = 64L * 1024 * 1024;

    private final KubeProtobufCodec codec;
    private final Cache<StoredObject, byte[]> messages = CacheBuilder.newBuilder()
            .weakKeys() // identity, and gone with the object version
            .maximumWeight(MAX_BYTES)
            .<StoredObject, byte[]>weigher((o, bytes) -> bytes.length)
            .build();

    ProtobufEncodings(KubeProtobufCodec codec) {
        this.codec = codec;
    }

    KubeProtobufCodec codec() {
        return codec;
    }

    /** The object's message (no envelope), encoded at most once per version. */
    byte[] message(ResourceType<?> type, StoredObject o) {
        byte[] cached = messages.getIfPresent(o);
        if (cached == null) {
            cached = codec.encodeMessage(o.json(), type.apiVersion(), type.kind());
            messages.put(o, cached);
        }
        return cached;
    }
}
