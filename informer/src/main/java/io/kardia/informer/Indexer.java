package io.kardia.informer;

import io.kardia.core.model.KubeObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Read access to an informer's cache: objects keyed {@code namespace/name} ({@code name} for
 * cluster-scoped kinds) and named indexes. Reads never block writers and never copy objects: the
 * returned objects are the cached immutable instances (the returned lists are fresh snapshots).
 */
public interface Indexer<T extends KubeObject> {

    /** The object stored under {@code namespace/name} (or {@code name}), if any. */
    Optional<T> getByKey(String key);

    /** Every cached object, in no particular order. */
    List<T> list();

    /** Every cached key. */
    List<String> listKeys();

    /** Number of cached objects. */
    int size();

    /**
     * The objects whose index function {@code indexName} yields {@code value}.
     *
     * @throws IllegalArgumentException if there is no index by that name
     */
    List<T> byIndex(String indexName, String value);

    /** The keys of the objects {@link #byIndex} would return. */
    List<String> indexKeys(String indexName, String value);

    /** The values present in an index (e.g. every namespace that has objects). */
    Set<String> indexValues(String indexName);

    /** The names of the indexes, {@link Indexers#NAMESPACE} always among them. */
    Set<String> indexNames();
}
