package io.kardia.informer;

import io.kardia.core.model.KubeObject;
import java.util.Collection;

/**
 * Computes the values an object is indexed under (e.g. its namespace, its {@code spec.nodeName},
 * its owners' uids). Must be pure and fast: it runs on the cache's write path for every change,
 * and on the old object too, to remove stale index entries. Return an empty collection for "not
 * indexed"; never null.
 */
@FunctionalInterface
public interface IndexFunction<T extends KubeObject> {
    Collection<String> values(T obj);
}
