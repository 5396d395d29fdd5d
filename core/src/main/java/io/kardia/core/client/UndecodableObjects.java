package io.kardia.core.client;

import io.kardia.core.json.Json;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects a list or watch carried that the typed model could not decode. Both transports skip
 * such an object (with a warning, counted here per group-resource) instead of failing the whole
 * list or ending the watch: a failing list or watch is retried, meets the same object again and
 * never gets past it, which would wedge every informer of the kind. A skipped watch event still
 * moves the watcher past its revision (it is handed out as a BOOKMARK).
 */
public final class UndecodableObjects {
    private static final Logger LOG = LoggerFactory.getLogger(UndecodableObjects.class);
    private static final Map<String, LongAdder> SKIPPED = new ConcurrentHashMap<>();

    private UndecodableObjects() {
    }

    /** Records and logs one skipped object; {@code where} says where it was met (no object content). */
    public static void skipped(ResourceType<?> type, String where, String reason) {
        SKIPPED.computeIfAbsent(type.groupResource(), k -> new LongAdder()).increment();
        LOG.warn("Skipping an undecodable {} in {}: {}", type.kind(), where, reason);
    }

    /** How many objects of {@code groupResource} were skipped in this JVM so far. */
    public static long count(String groupResource) {
        LongAdder a = SKIPPED.get(groupResource);
        return a == null ? 0 : a.sum();
    }

    /**
     * The BOOKMARK that stands in for a skipped watch event of revision {@code resourceVersion}
     * (null when the event carried none: then the event is dropped).
     */
    public static <T extends KubeObject> WatchEvent<T> bookmarkFor(ResourceType<T> type, String resourceVersion) {
        if (resourceVersion == null || resourceVersion.isEmpty()) {
            return null;
        }
        var tree = Json.mapper().createObjectNode();
        tree.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        tree.putObject("metadata").put("resourceVersion", resourceVersion);
        return new WatchEvent<>(WatchEvent.Type.BOOKMARK, Json.fromTree(tree, type.javaType()), null);
    }
}
